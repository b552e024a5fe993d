import "server-only";
import type { TStepTools } from "@/lib/flows/interpreter";
import { getDb } from "../../db";
import type { TWaitingStepTools } from "../embedded/durable-step-tools";
import { cancelTimedOutSubflowRun, SUBFLOW_WAIT_PREFIX } from "../cancel-subflow-runs";
import { readRunSignal } from "../signals/read-run-signal";
import { RUN_SIGNAL_EVENT } from "../signals/run-signal-seal";

/** The part of Inngest's step object the interpreter uses. */
export type TInngestStep = {
  run: (id: string, fn: () => Promise<unknown>) => Promise<unknown>;
  sleep: (id: string, duration: number) => Promise<unknown>;
  sleepUntil: (id: string, at: Date) => Promise<unknown>;
  waitForEvent: (id: string, options: { event: string; timeout: Date; if: string }) => Promise<unknown>;
};

export type TSleepObserver = (id: string, ms: number) => void;

/** A string literal for an Inngest `if` expression (CEL): JSON's escaping is valid there. */
function celString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Inngest's step tools as the interpreter's contract; Inngest memoizes and sleeps durably.
 * A wait for a signal first looks for the stored signal in a memoized step (a signal sent
 * before the wait began is not lost: Inngest matches only events sent after the wait
 * starts), then waits for the run's signal event, whose data is ids only; the payload is
 * read from the database in a memoized step after it.
 */
export function toStepTools(step: TInngestStep, onSleep?: TSleepObserver, run?: { runId: string; projectId?: string }): TWaitingStepTools {
  const tools: TStepTools = {
    run: async <T>(id: string, fn: () => Promise<T>) => (await step.run(id, fn)) as T,
    sleep: async (id, durationMs) => {
      onSleep?.(id, durationMs);
      await step.sleep(id, Math.max(1, Math.round(durationMs)));
    },
    sleepUntil: async (id, at) => {
      onSleep?.(id, at.getTime() - Date.now());
      await step.sleepUntil(id, at);
    },
  };
  return {
    ...tools,
    waitForSignal: async (id, options) => {
      if (!run) throw new Error("waitForSignal needs the run's id");
      const read = async () => {
        const projectId = run.projectId ?? (await projectIdOf(run.runId));
        return projectId ? readRunSignal(projectId, run.runId, options.key) : null;
      };
      const before = (await step.run(`signal-check:${id}`, read)) as { payload: unknown } | null;
      if (before) return before;
      const event = await step.waitForEvent(`signal:${id}`, {
        event: RUN_SIGNAL_EVENT,
        timeout: options.until,
        if: `async.data.runId == ${celString(run.runId)} && async.data.key == ${celString(options.key)}`,
      });
      if (!event) {
        // The wait ended at its deadline: a sub-flow run started for it is cancelled (a memoized step, so once).
        if (options.key.startsWith(SUBFLOW_WAIT_PREFIX)) {
          await step.run(`subflow-cancel:${id}`, async () => {
            const projectId = run.projectId ?? (await projectIdOf(run.runId));
            return projectId ? cancelTimedOutSubflowRun({ runId: run.runId, projectId }, options.key) : 0;
          });
        }
        return null;
      }
      return (await step.run(`signal-read:${id}`, read)) as { payload: unknown } | null;
    },
  };
}

async function projectIdOf(runId: string): Promise<string | null> {
  return (await getDb().flowRun.findUnique({ where: { id: runId }, select: { projectId: true } }))?.projectId ?? null;
}
