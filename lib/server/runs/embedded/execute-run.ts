import "server-only";
// Executes (or resumes) one claimed run: replays the interpreter over the run's sealed
// state, writes the run log through the scrub-then-seal choke point, and either parks
// the run until its next wake time or finishes it.
import { parseFlowDocument } from "@/lib/flows/document";
import { interpretFlow, type TExecutor, type TNodeOutcome } from "@/lib/flows/interpreter";
import { createScrubber, type Scrubber } from "@/lib/scrub";
import { getLogger } from "@/lib/log";
import { getDb } from "../../db";
import { scrubRunError, writeStepLog } from "../run-log";
import { loadRunState } from "../run-state";
import { renewLease } from "./claim-run";
import { createDurableStepTools, SuspendRun } from "./durable-step-tools";

export const TRIGGER_STATE_KEY = "trigger:payload";
export const REUSE_STATE_KEY = "retry:reuse";
/** A Respond step's answer, read (then deleted) by the webhook request waiting for it. */
export const RESPONSE_STATE_KEY = "webhook:response";

export type TExecuteOptions = {
  owner: string;
  executors: Partial<Record<string, TExecutor>>;
  /** Every secret the run could see, for the scrubber. */
  secretsFor: (projectId: string, connectionIds: string[], flowId?: string) => Promise<string[]>;
  now?: () => Date;
  /** Test hook: called after each durable step is stored. */
  afterStepSaved?: (stepKey: string) => void;
};

export type TExecuteResult = "succeeded" | "failed" | "cancelled" | "suspended" | "lost";

function stepLogRecord(outcome: TNodeOutcome) {
  if (outcome.status === "succeeded") return { input: outcome.input, output: outcome.output, ...(outcome.branch ? { branch: outcome.branch } : {}) };
  if (outcome.status === "failed") return { input: outcome.input, error: outcome.error };
  return undefined;
}

export async function executeRun(runId: string, options: TExecuteOptions): Promise<TExecuteResult> {
  const db = getDb();
  const run = await db.flowRun.findUniqueOrThrow({
    where: { id: runId },
    select: { id: true, projectId: true, flowId: true, cancelRequestedAt: true, version: { select: { document: true } } },
  });
  if (run.cancelRequestedAt) return finish(runId, { status: "CANCELLED" }, options.owner);


  const document = parseFlowDocument(run.version.document);
  const connectionIds = document.nodes.flatMap((node) => (typeof node.config.connectionId === "string" ? [node.config.connectionId] : []));
  const scrubber: Scrubber = createScrubber({ secrets: await options.secretsFor(run.projectId, connectionIds, run.flowId) });
  const memo = await loadRunState(run.projectId, run.id);
  const step = createDurableStepTools({
    projectId: run.projectId,
    runId: run.id,
    memo,
    now: options.now,
    afterStepSaved: options.afterStepSaved,
  });

  let isLost = false;
  const heartbeat = setInterval(() => {
    renewLease(run.id, options.owner)
      .then((kept) => {
        isLost ||= !kept;
      })
      .catch(() => undefined);
  }, 10_000);
  heartbeat.unref();
  try {
    const result = await interpretFlow({
      runId: run.id,
      projectId: run.projectId,
      document,
      triggerPayload: memo.get(TRIGGER_STATE_KEY) ?? {},
      reuse: (memo.get(REUSE_STATE_KEY) as Record<string, unknown> | undefined) ?? undefined,
      step,
      executors: options.executors,
      hooks: {
        isCancelled: async () => {
          const current = await db.flowRun.findUnique({ where: { id: run.id }, select: { cancelRequestedAt: true, leaseOwner: true } });
          return !current || current.cancelRequestedAt !== null || current.leaseOwner !== options.owner;
        },
        onNodeEvent: async ({ nodeId, outcome }) => {
          const at = (options.now ?? (() => new Date()))();
          if (outcome.status === "running") {
            await writeStepLog({ projectId: run.projectId, runId: run.id, nodeId, status: "running", attempts: outcome.attempt, at }, scrubber);
            return;
          }
          await writeStepLog(
            {
              projectId: run.projectId,
              runId: run.id,
              nodeId,
              status: outcome.status,
              attempts: outcome.status === "skipped" ? 0 : outcome.attempts,
              record: stepLogRecord(outcome),
              at,
            },
            scrubber,
          );
        },
      },
    });
    if (isLost) return "lost";
    if (result.status === "cancelled") return finish(run.id, { status: "CANCELLED" }, options.owner);
    if (result.status === "failed") {
      const failed = result.nodes[result.failedNodeId!];
      const message = failed?.status === "failed" ? failed.error : "The run failed.";
      return finish(run.id, { status: "FAILED", error: scrubRunError(message, scrubber), failedNodeId: result.failedNodeId }, options.owner);
    }
    return finish(run.id, { status: "SUCCEEDED" }, options.owner);
  } catch (error) {
    if (error instanceof SuspendRun) {
      await db.flowRun.updateMany({
        where: { id: run.id, leaseOwner: options.owner },
        data: { wakeAt: error.wakeAt, leaseUntil: null, leaseOwner: null },
      });
      return "suspended";
    }
    getLogger().error({ err: { name: (error as Error)?.name }, runId: run.id }, "run execution failed");
    // Leave the lease to expire: the run resumes on another pass, replaying memoized steps.
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

async function finish(
  runId: string,
  outcome: { status: "SUCCEEDED" | "FAILED" | "CANCELLED"; error?: string; failedNodeId?: string },
  owner: string,
): Promise<TExecuteResult> {
  const kept = await getDb().$transaction(async (tx) => {
    // Only the worker holding the lease may finish the run.
    const updated = await tx.flowRun.updateMany({
      where: { id: runId, leaseOwner: owner },
      data: {
        status: outcome.status,
        error: outcome.error ?? null,
        failedNodeId: outcome.failedNodeId ?? null,
        finishedAt: new Date(),
        leaseUntil: null,
        leaseOwner: null,
        wakeAt: null,
      },
    });
    if (updated.count !== 1) return false;
    // The in-flight state goes when the run ends, except what re-running needs, kept
    // sealed for the retry window (maintenance removes it after): the trigger payload
    // of every run (re-run from the start), and a failed run's step results (retry
    // from the failed step reuses the outputs before it).
    if (outcome.status !== "FAILED") await tx.runState.deleteMany({ where: { runId, stepKey: { notIn: [TRIGGER_STATE_KEY, RESPONSE_STATE_KEY] } } });
    return true;
  });
  if (!kept) return "lost";
  return outcome.status === "SUCCEEDED" ? "succeeded" : outcome.status === "FAILED" ? "failed" : "cancelled";
}
