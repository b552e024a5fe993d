import "server-only";
// Executes (or resumes) one claimed run: replays the interpreter over the run's sealed
// state, writes the run log through the scrub-then-seal choke point, and either parks
// the run until its next wake time or finishes it.
import { interpretFlow, type TExecutor } from "@/lib/flows/interpreter";
import { createScrubber, type Scrubber } from "@/lib/scrub";
import { getLogger } from "@/lib/log";
import { countRunFinished } from "@/lib/metrics/run-metrics";
import { getDb } from "../../db";
import { cancelInFlightStepsCte } from "../cancel-in-flight-steps";
import { connectionIdsOf } from "@/lib/flows/connection-uses";
import { prepareStepLog, scrubRunError, stepRecordOf, type TPreparedStepLog } from "../run-log";
import { isRunAwaited, runEventNotifyJoin, signalRunEvent } from "../run-events";
import { openRunState, RESPONSE_STATE_KEY, REUSE_STATE_KEY, TRIGGER_STATE_KEY } from "../run-state";
import { getVersionDocument } from "../version-document";
import { readRunSignal } from "../signals/read-run-signal";
import { cancelSubflowRunsOfEndedRun, cancelTimedOutSubflowRun } from "../cancel-subflow-runs";
import { childRunEndOf, type TParentLink } from "../signals/parent-signal";
import { sealRunSignal } from "../signals/run-signal-seal";
import { wakeSignalledRun } from "../signals/send-run-signal";
import { Prisma } from "@/prisma/generated/client";
import { loadRun, renewLease, type TLoadedRun } from "./claim-run";
import { createDurableStepTools, SuspendRun } from "./durable-step-tools";
import { createStepLogBuffer } from "./step-log-buffer";
import { LeaseLostError, saveStepResult } from "./step-writes";
import type { TKnownRunSecrets } from "../run-secrets";

export type TExecuteOptions = {
  owner: string;
  executors: Partial<Record<string, TExecutor>>;
  /** Every secret the run could see, for the scrubber. */
  secretsFor: (projectId: string, connectionIds: string[], flowId?: string, known?: TKnownRunSecrets) => Promise<string[]>;
  now?: () => Date;
  /** Test hook: called after each durable step is stored. */
  afterStepSaved?: (stepKey: string) => void;
};

export type TExecuteResult = "succeeded" | "failed" | "cancelled" | "suspended" | "lost";

export async function executeRun(runId: string, options: TExecuteOptions, claimed?: TLoadedRun): Promise<TExecuteResult> {
  const db = getDb();
  const now = options.now ?? (() => new Date());
  const run = claimed ?? (await loadRun(runId));
  if (!run) throw new Error("run not found");
  if (run.isCancelRequested) return finish(run, { status: "CANCELLED" }, options.owner);

  const document = await getVersionDocument(run.versionId);
  if (!document) throw new Error("run version not found");
  const connectionIds = connectionIdsOf(document).map((use) => use.connectionId);
  // A webhook call may be waiting for this run's end: announce it (see run-events.ts).
  const isAwaited = isRunAwaited(document);
  const scrubber: Scrubber = createScrubber({
    secrets: await options.secretsFor(run.projectId, connectionIds, run.flowId, { webhookSecretSealed: run.webhookSecretSealed }),
  });
  const memo = new Map<string, unknown>((run.state ?? []).map((row) => [row.k, openRunState(row.v, run.projectId, run.id, row.k)]));

  // Every write reads the run's cancel flag back, so the check before a node starts
  // sees a cancel requested up to the previous node's write, without a read of its own.
  let isCancelRequested = false;
  const write = async (step: { key: string; value: unknown } | undefined, logs: TPreparedStepLog[]) => {
    const written = await saveStepResult({ projectId: run.projectId, runId: run.id, owner: options.owner, step, logs });
    isCancelRequested ||= written.isCancelRequested;
  };
  const logs = createStepLogBuffer((rows) => write(undefined, rows));
  const step = createDurableStepTools({
    memo,
    save: async (key, value) => write({ key, value }, await logs.take()),
    now: options.now,
    afterStepSaved: options.afterStepSaved,
    readSignal: (key) => readRunSignal(run.projectId, run.id, key),
    // A sub-flow this run stopped waiting for is cancelled, with its own sub-flows.
    onWaitTimedOut: async (key) => {
      await cancelTimedOutSubflowRun({ runId: run.id, projectId: run.projectId }, key);
    },
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
        canLogInsideAttempt: true,
        isCancelled: async () => isCancelRequested,
        onNodeEvent: async ({ nodeId, outcome }) => {
          const entry =
            outcome.status === "running"
              ? { projectId: run.projectId, runId: run.id, nodeId, status: "running" as const, attempts: outcome.attempt, at: now() }
              : {
                  projectId: run.projectId,
                  runId: run.id,
                  nodeId,
                  status: outcome.status,
                  attempts: outcome.status === "skipped" ? 0 : outcome.attempts,
                  record: stepRecordOf(outcome),
                  at: now(),
                };
          logs.add(prepareStepLog(entry, scrubber));
        },
      },
    });
    if (isLost) return "lost";
    if (result.status === "cancelled") return finish(run, { status: "CANCELLED" }, options.owner, isAwaited, scrubber);
    if (result.status === "failed") {
      const failed = result.nodes[result.failedNodeId!];
      const message = failed?.status === "failed" ? failed.error : "The run failed.";
      const failedStepName = document.nodes.find((node) => node.id === result.failedNodeId)?.name;
      return finish(
        run,
        { status: "FAILED", error: scrubRunError(message, scrubber), failedNodeId: result.failedNodeId, failedStepName },
        options.owner,
        isAwaited,
        scrubber,
      );
    }
    const output = (result as { output?: unknown }).output;
    return finish(run, { status: "SUCCEEDED", output }, options.owner, isAwaited, scrubber);
  } catch (error) {
    if (error instanceof SuspendRun) {
      // A run parked for a signal re-checks it in the same statement: a signal stored
      // after the wait looked for it, but before this park, makes the run due at once
      // (its sender's wake-up may have landed while this worker still held the run).
      await db.$executeRaw`
        UPDATE flow_runs SET
          "wakeAt" = CASE WHEN ${error.signalKey ?? null}::text IS NOT NULL AND EXISTS (
            SELECT 1 FROM run_signals s WHERE s."runId" = ${run.id}::uuid AND s.key = ${error.signalKey ?? null}::text
          ) THEN now() ELSE ${error.wakeAt} END,
          "leaseUntil" = NULL,
          "leaseOwner" = NULL
        WHERE id = ${run.id}::uuid AND "leaseOwner" = ${options.owner}`;
      return "suspended";
    }
    // Another worker owns the run now; it replays the memoized steps and goes on.
    if (error instanceof LeaseLostError) return "lost";
    getLogger().error({ err: { name: (error as Error)?.name }, runId: run.id }, "run execution failed");
    // Leave the lease to expire: the run resumes on another pass, replaying memoized steps.
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Ends the run, if this worker still holds it, in one statement. The in-flight state
 * goes when the run ends, except what re-running needs, kept sealed for the retry
 * window (maintenance removes it after): the trigger payload of every run (re-run from
 * the start), and a failed run's step results (retry from the failed step reuses the
 * outputs before it). A cancelled run's in-flight step is cancelled with it, at the
 * same moment (cancel-in-flight-steps.ts).
 */
async function finish(
  run: Pick<TLoadedRun, "id" | "projectId"> & TParentLink,
  outcome: { status: "SUCCEEDED" | "FAILED" | "CANCELLED"; error?: string; failedNodeId?: string; failedStepName?: string; output?: unknown },
  owner: string,
  isAwaited = false,
  scrubber: Scrubber | null = null,
): Promise<TExecuteResult> {
  const runId = run.id;
  const isStateCleared = outcome.status !== "FAILED";
  const finishedAt = new Date();
  // A sub-flow's run tells its parent in the statement that ends it: the parent's
  // signal is stored and the parent made due, or neither (a crash cannot split them).
  const parent = run.parentRunId && run.parentWaitKey ? { runId: run.parentRunId, key: run.parentWaitKey } : null;
  const signalled = parent
    ? Prisma.sql`, signalled AS (
      INSERT INTO run_signals ("runId", key, "payloadSealed", "createdAt")
      SELECT ${parent.runId}::uuid, ${parent.key}, ${sealRunSignal(childRunEndOf(outcome.status, outcome, scrubber), run.projectId, parent.runId, parent.key)}, ${finishedAt}
      FROM done WHERE EXISTS (SELECT 1 FROM flow_runs p WHERE p.id = ${parent.runId}::uuid)
      ON CONFLICT DO NOTHING
      RETURNING "runId"
    ), woken AS (
      UPDATE flow_runs SET "wakeAt" = now() WHERE id IN (SELECT "runId" FROM signalled) AND status = 'RUNNING'
    )`
    : Prisma.empty;
  const rows = await getDb().$queryRaw<{ kept: number; trigger: string | null }[]>`
    WITH done AS (
      UPDATE flow_runs SET
        status = ${outcome.status}::"RunStatus",
        error = ${outcome.error ?? null},
        "failedNodeId" = ${outcome.failedNodeId ?? null},
        "failedStepName" = ${outcome.failedStepName ?? null},
        "finishedAt" = ${finishedAt},
        "leaseUntil" = NULL,
        "leaseOwner" = NULL,
        "wakeAt" = NULL
      WHERE id = ${runId}::uuid AND "leaseOwner" = ${owner}
      RETURNING id, trigger
    ), cleared AS (
      DELETE FROM run_state
      WHERE ${isStateCleared} AND "runId" IN (SELECT id FROM done) AND "stepKey" NOT IN (${TRIGGER_STATE_KEY}, ${RESPONSE_STATE_KEY})
    ), unsignalled AS (
      -- Signals the run received were in-flight state too: they go when it ends.
      DELETE FROM run_signals WHERE "runId" IN (SELECT id FROM done)
    )${cancelInFlightStepsCte("done", outcome.status === "CANCELLED", finishedAt)}${signalled}
    SELECT count(*)::int AS kept, min(done.trigger) AS trigger FROM done${runEventNotifyJoin("done.id", isAwaited)}`;
  if (rows[0]?.kept !== 1) return "lost";
  countRunFinished(rows[0].trigger, outcome.status);
  signalRunEvent(runId);
  if (parent) await wakeSignalledRun({ projectId: run.projectId, runId: parent.runId }, parent.key);
  // Sub-flow runs it started and no longer waits for (it failed or was cancelled meanwhile) end with it.
  await cancelSubflowRunsOfEndedRun({ runId, projectId: run.projectId }).catch((error: unknown) => {
    getLogger().error({ err: { name: (error as Error)?.name }, runId }, "cancelling the sub-flow runs of an ended run failed");
  });
  return outcome.status === "SUCCEEDED" ? "succeeded" : outcome.status === "FAILED" ? "failed" : "cancelled";
}
