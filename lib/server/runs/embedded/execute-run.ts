import "server-only";
// Executes (or resumes) one claimed run: replays the interpreter over the run's sealed
// state, writes the run log through the scrub-then-seal choke point, and either parks
// the run until its next wake time or finishes it.
import { interpretFlow, type TExecutor } from "@/lib/flows/interpreter";
import { createScrubber, type Scrubber } from "@/lib/scrub";
import { getLogger } from "@/lib/log";
import { countRunFinished } from "@/lib/metrics/run-metrics";
import { hotQuery } from "../../db";
import { connectionIdsOf } from "@/lib/flows/connection-uses";
import { prepareStepLog, scrubRunError, stepRecordOf } from "../run-log";
import { isRunAwaited, isRunEventBroadcast, runEventNotifyJoinText, signalRunEvent } from "../run-events";
import { openRunState, RESPONSE_STATE_KEY, REUSE_STATE_KEY, sealRunState, TRIGGER_STATE_KEY } from "../run-state";
import { STEP_LOG_PARAMS, stepLogCtesText, stepLogValues } from "../step-log-sql";
import { getVersionDocument } from "../version-document";
import { readRunSignal } from "../signals/read-run-signal";
import { cancelInFlightStepsCteText } from "../cancel-in-flight-steps";
import { cancelSubflowRunsOfEndedRun, cancelTimedOutSubflowRun } from "../cancel-subflow-runs";

/** The one step type that starts sub-flow runs (executors/subflow.ts). */
const SUBFLOW_NODE_TYPE = "step.subflow";
import { childRunEndOf, type TParentLink } from "../signals/parent-signal";
import { sealRunSignal } from "../signals/run-signal-seal";
import { wakeSignalledRun } from "../signals/send-run-signal";
import { loadRun, renewLease, type TLoadedRun } from "./claim-run";
import { createDurableStepTools, SuspendRun } from "./durable-step-tools";
import { notifyRunQueued } from "./run-queue-signal";
import { createStepLogBuffer } from "./step-log-buffer";
import { createStepWriter, LeaseLostError, saveStepResult, type TStepWrite } from "./step-writes";
import type { TKnownRunSecrets } from "../run-secrets";

export type TExecuteOptions = {
  owner: string;
  executors: Partial<Record<string, TExecutor>>;
  /** Every secret the run could see, for the scrubber. */
  secretsFor: (projectId: string, connectionIds: string[], flowId?: string, known?: TKnownRunSecrets) => Promise<string[]>;
  now?: () => Date;
  /** Test hook: called after each durable step is stored on its own (not for one stored with the run's end). */
  afterStepSaved?: (stepKey: string) => void;
};

export type TExecuteResult = "succeeded" | "failed" | "cancelled" | "suspended" | "lost";

export async function executeRun(runId: string, options: TExecuteOptions, claimed?: TLoadedRun): Promise<TExecuteResult> {
  const now = options.now ?? (() => new Date());
  const run = claimed ?? (await loadRun(runId));
  if (!run) throw new Error("run not found");
  if (run.isCancelRequested) return finish(run, { status: "CANCELLED" }, options.owner);

  const document = await getVersionDocument(run.versionId);
  if (!document) throw new Error("run version not found");
  const connectionIds = connectionIdsOf(document).map((use) => use.connectionId);
  // A webhook call may be waiting for this run's end: announce it (see run-events.ts).
  const isAwaited = isRunAwaited(document);
  // Only a Run-a-flow step starts sub-flow runs: without one, the run's end has none to cancel.
  const hasSubflows = document.nodes.some((node) => node.type === SUBFLOW_NODE_TYPE);
  const runSecrets = await options.secretsFor(run.projectId, connectionIds, run.flowId, { webhookSecretSealed: run.webhookSecretSealed });
  const scrubber: Scrubber = createScrubber({ secrets: runSecrets });
  const memo = new Map<string, unknown>((run.state ?? []).map((row) => [row.k, openRunState(row.v, run.projectId, run.id, row.k)]));

  // Every write reads the run's cancel flag back, so the check before a node starts
  // sees a cancel requested up to the previous node's write, without a read of its own.
  let isCancelRequested = false;
  const write = async (written: TStepWrite) => {
    const result = await saveStepResult({ projectId: run.projectId, runId: run.id, owner: options.owner, ...written });
    isCancelRequested ||= result.isCancelRequested;
  };
  const logs = createStepLogBuffer((rows) => write({ logs: rows }));
  // A completed step is stored when something depends on it (step-writes.ts): the last
  // one rides in the statement that ends the run.
  const writer = createStepWriter(write, options.afterStepSaved);
  const step = createDurableStepTools({
    memo,
    save: async (key, value) => writer.save({ key, value }, await logs.take()),
    work: writer.work,
    now: options.now,
    readSignal: async (key) => {
      await writer.flush();
      return readRunSignal(run.projectId, run.id, key);
    },
    // A sub-flow this run stopped waiting for is cancelled, with its own sub-flows.
    onWaitTimedOut: async (key) => {
      await writer.flush();
      await cancelTimedOutSubflowRun({ runId: run.id, projectId: run.projectId }, key);
    },
  });

  // Ends the run with its last completed step. If the statement fails (the database
  // went away), that step is stored on its own if it can be, so the pass that resumes
  // the run replays it instead of repeating its effects.
  const end = async (outcome: TOutcome): Promise<TExecuteResult> => {
    const last = writer.takePending();
    try {
      return await finish(run, outcome, options.owner, { isAwaited, scrubber, hasSubflows, last });
    } catch (error) {
      if (last) await write(last).catch(() => undefined);
      throw error;
    }
  };

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
      runSecrets,
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
    if (result.status === "cancelled") {
      // The cancelled step's log rows go first: the run's end marks its running steps cancelled.
      await writer.flush();
      return await end({ status: "CANCELLED" });
    }
    if (result.status === "failed") {
      const failed = result.nodes[result.failedNodeId!];
      const message = failed?.status === "failed" ? failed.error : "The run failed.";
      const failedStepName = document.nodes.find((node) => node.id === result.failedNodeId)?.name;
      return await end({ status: "FAILED", error: scrubRunError(message, scrubber), failedNodeId: result.failedNodeId, failedStepName });
    }
    return await end({ status: "SUCCEEDED", output: (result as { output?: unknown }).output });
  } catch (error) {
    if (error instanceof SuspendRun) {
      try {
        await writer.flush();
      } catch (flushError) {
        if (flushError instanceof LeaseLostError) return "lost";
        throw flushError;
      }
      const parked = await hotQuery<{ isDue: boolean }>("vf_park_run", PARK_SQL, [run.id, options.owner, error.signalKey ?? null, error.wakeAt.toISOString()]);
      // Due already (its signal came meanwhile): this process's driver claims it at once.
      if (parked[0]?.isDue) notifyRunQueued();
      return "suspended";
    }
    // Another worker owns the run now; it replays the memoized steps and goes on.
    if (error instanceof LeaseLostError) return "lost";
    getLogger().error({ err: { name: (error as Error)?.name }, runId: run.id }, "run execution failed");
    // A completed step is kept if it can be: it need not run again on the resume.
    await writer.flush().catch(() => undefined);
    // Leave the lease to expire: the run resumes on another pass, replaying memoized steps.
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

// A run parked for a signal re-checks it in the same statement: a signal stored after
// the wait looked for it, but before this park, makes the run due at once (its sender's
// wake-up may have landed while this worker still held the run).
// $1 run, $2 owner, $3 the signal's key or NULL, $4 the wake time.
const PARK_SQL = `
  UPDATE flow_runs SET
    "wakeAt" = CASE WHEN $3::text IS NOT NULL AND EXISTS (
      SELECT 1 FROM run_signals s WHERE s."runId" = $1::uuid AND s.key = $3::text
    ) THEN now() ELSE $4::timestamptz AT TIME ZONE 'UTC' END,
    "leaseUntil" = NULL,
    "leaseOwner" = NULL
  WHERE id = $1::uuid AND "leaseOwner" = $2
  RETURNING "wakeAt" <= now() AS "isDue"`;

// The statement that ends a run: $1 run, $2 owner, $3 status, $4 error, $5 failed node,
// $6 failed step's name, $7 finishedAt, $8 whether the in-flight state goes, $9/$10 the
// last step's key and sealed result (NULL: none), then the last step's log rows, then
// for a sub-flow's run the parent, its wait key and the sealed signal. Its variants (a
// parent to signal, in-flight steps to cancel, waiting webhook calls to notify) are a
// fixed set of texts, each prepared once.
const FINISH_LOG_FIRST = 11;
const FINISH_PARENT_FIRST = FINISH_LOG_FIRST + STEP_LOG_PARAMS;
const quoted = (value: string) => `'${value.replaceAll("'", "''")}'`;

function finishSql(variant: { hasParent: boolean; isCancelled: boolean; isNotified: boolean }): string {
  const finishedAt = `($7::timestamptz AT TIME ZONE 'UTC')`;
  const parent = `$${FINISH_PARENT_FIRST}::uuid`;
  // When a run ends as cancelled, the step it was in ends with it.
  const stopped = variant.isCancelled ? cancelInFlightStepsCteText("done", finishedAt) : "";
  // A sub-flow's run tells its parent in the statement that ends it: the parent's signal
  // is stored and the parent made due, or neither (a crash cannot split them).
  const signalled = variant.hasParent
    ? `, signalled AS (
      INSERT INTO run_signals ("runId", key, "payloadSealed", "createdAt")
      SELECT ${parent}, $${FINISH_PARENT_FIRST + 1}::text, $${FINISH_PARENT_FIRST + 2}::text, ${finishedAt}
      FROM done WHERE EXISTS (SELECT 1 FROM flow_runs p WHERE p.id = ${parent})
      ON CONFLICT DO NOTHING
      RETURNING "runId"
    ), woken AS (
      UPDATE flow_runs SET "wakeAt" = now() WHERE id IN (SELECT "runId" FROM signalled) AND status = 'RUNNING'
    )`
    : "";
  return `
    WITH done AS (
      UPDATE flow_runs SET
        status = $3::text::"RunStatus",
        error = $4::text,
        "failedNodeId" = $5::text,
        "failedStepName" = $6::text,
        "finishedAt" = ${finishedAt},
        "leaseUntil" = NULL,
        "leaseOwner" = NULL,
        "wakeAt" = NULL
      WHERE id = $1::uuid AND "leaseOwner" = $2
      RETURNING id, trigger
    ), run AS (
      SELECT id FROM done
    ), cleared AS (
      DELETE FROM run_state
      WHERE $8::boolean AND "runId" IN (SELECT id FROM done) AND "stepKey" NOT IN (${quoted(TRIGGER_STATE_KEY)}, ${quoted(RESPONSE_STATE_KEY)})
    ), unsignalled AS (
      -- Signals the run received were in-flight state too: they go when it ends.
      DELETE FROM run_signals WHERE "runId" IN (SELECT id FROM done)
    ), memo AS (
      INSERT INTO run_state ("runId", "stepKey", "valueSealed", "createdAt")
      SELECT id, $9::text, $10::text, now() AT TIME ZONE 'UTC' FROM run WHERE $9::text IS NOT NULL
      ON CONFLICT ("runId", "stepKey") DO NOTHING
    )${stepLogCtesText(FINISH_LOG_FIRST)}${stopped}${signalled}
    SELECT count(*)::int AS kept, min(done.trigger) AS trigger FROM done${variant.isNotified ? runEventNotifyJoinText("done.id") : ""}`;
}

const FINISH_STATEMENTS = new Map<string, { name: string; text: string }>();
for (const hasParent of [false, true])
  for (const isCancelled of [false, true])
    for (const isNotified of [false, true]) {
      const flags = `${Number(hasParent)}${Number(isCancelled)}${Number(isNotified)}`;
      FINISH_STATEMENTS.set(flags, { name: `vf_finish_run_${flags}`, text: finishSql({ hasParent, isCancelled, isNotified }) });
    }

type TOutcome = { status: "SUCCEEDED" | "FAILED" | "CANCELLED"; error?: string; failedNodeId?: string; failedStepName?: string; output?: unknown };

/**
 * Ends the run, if this worker still holds it, in one statement. The in-flight state
 * goes when the run ends, except what re-running needs, kept sealed for the retry
 * window (maintenance removes it after): the trigger payload of every run (re-run from
 * the start), and a failed run's step results (retry from the failed step reuses the
 * outputs before it). A cancelled run's in-flight step is cancelled with it, at the
 * same moment (cancel-in-flight-steps.ts). The run's last completed step, not stored
 * yet (`last`), is stored in the same statement: its log rows, and its result when the
 * run's state stays (a failed run); atomic with the run's end.
 */
async function finish(
  run: Pick<TLoadedRun, "id" | "projectId"> & TParentLink,
  outcome: TOutcome,
  owner: string,
  ending: {
    isAwaited?: boolean;
    scrubber?: Scrubber | null;
    /** Whether the run may have started sub-flow runs (unknown: true). */
    hasSubflows?: boolean;
    last?: TStepWrite | null;
  } = {},
): Promise<TExecuteResult> {
  const { isAwaited = false, scrubber = null, hasSubflows = true, last = null } = ending;
  const runId = run.id;
  const isStateCleared = outcome.status !== "FAILED";
  const finishedAt = new Date();
  const parent = run.parentRunId && run.parentWaitKey ? { runId: run.parentRunId, key: run.parentWaitKey } : null;
  const lastStep = !isStateCleared && last?.step ? last.step : null;
  const values: unknown[] = [
    runId,
    owner,
    outcome.status,
    outcome.error ?? null,
    outcome.failedNodeId ?? null,
    outcome.failedStepName ?? null,
    finishedAt.toISOString(),
    isStateCleared,
    lastStep ? lastStep.key : null,
    lastStep ? sealRunState(lastStep.value, run.projectId, runId, lastStep.key) : null,
    ...stepLogValues(run.projectId, last?.logs ?? []),
  ];
  if (parent) values.push(parent.runId, parent.key, sealRunSignal(childRunEndOf(outcome.status, outcome, scrubber), run.projectId, parent.runId, parent.key));
  const isNotified = isAwaited && isRunEventBroadcast();
  const statement = FINISH_STATEMENTS.get(`${Number(parent !== null)}${Number(outcome.status === "CANCELLED")}${Number(isNotified)}`)!;
  const rows = await hotQuery<{ kept: number; trigger: string | null }>(statement.name, statement.text, values);
  if (rows[0]?.kept !== 1) return "lost";
  countRunFinished(rows[0].trigger, outcome.status);
  signalRunEvent(runId);
  if (parent) await wakeSignalledRun({ projectId: run.projectId, runId: parent.runId }, parent.key);
  // Sub-flow runs it started and no longer waits for (it failed or was cancelled meanwhile) end with it.
  if (hasSubflows)
    await cancelSubflowRunsOfEndedRun({ runId, projectId: run.projectId }).catch((error: unknown) => {
      getLogger().error({ err: { name: (error as Error)?.name }, runId }, "cancelling the sub-flow runs of an ended run failed");
    });
  return outcome.status === "SUCCEEDED" ? "succeeded" : outcome.status === "FAILED" ? "failed" : "cancelled";
}
