import "server-only";
// Sub-flow runs whose parent no longer waits for them are cancelled, with their own
// sub-flow runs: when the parent is cancelled (cancel-run.ts), when the parent's wait
// for one ends at its timeout (both drivers' waitForSignal), and when the parent run
// ends while a sub-flow it started still runs (it failed elsewhere, e.g. another item of
// a loop). An idle run (queued, held, or parked with no worker) ends at once, with its
// in-flight step and without its in-flight state; one being executed stops before its
// next step, as any cancelled run does.
import type { Prisma } from "@/prisma/generated/client";
import { getDb } from "../db";
import { cancelInFlightSteps } from "./cancel-in-flight-steps";
import { notifyRunEventIn, signalRunEvent } from "./run-events";
import { TRIGGER_STATE_KEY } from "./run-state";

/** The wait keys of sub-flow steps (interpreter: `subflow:<nodeId>[@i]`). */
export const SUBFLOW_WAIT_PREFIX = "subflow:";

/**
 * Cancels the still-running sub-flow runs started by `runId` (only the one started for
 * `waitKey` when given) and, below them, theirs. Returns the ids of the runs it ended
 * at once (the others are asked to stop).
 */
export async function cancelSubflowRunsIn(
  tx: Prisma.TransactionClient,
  parent: { runId: string; projectId: string; waitKey?: string },
  now: Date,
): Promise<{ ended: string[]; asked: string[] }> {
  const byKey = parent.waitKey === undefined ? null : parent.waitKey;
  const rows = await tx.$queryRaw<{ id: string; status: string }[]>`
    WITH RECURSIVE tree AS (
      SELECT id FROM flow_runs
      WHERE "parentRunId" = ${parent.runId}::uuid AND "projectId" = ${parent.projectId}::uuid
        AND (${byKey}::text IS NULL OR "parentWaitKey" = ${byKey}::text)
        AND status IN ('QUEUED', 'RUNNING', 'HELD')
      UNION
      SELECT c.id FROM flow_runs c JOIN tree ON c."parentRunId" = tree.id WHERE c.status IN ('QUEUED', 'RUNNING', 'HELD')
    ), marked AS (
      UPDATE flow_runs SET
        "cancelRequestedAt" = coalesce("cancelRequestedAt", ${now}),
        status = CASE WHEN "leaseUntil" IS NULL OR "leaseUntil" < ${now} THEN 'CANCELLED'::"RunStatus" ELSE status END,
        "finishedAt" = CASE WHEN "leaseUntil" IS NULL OR "leaseUntil" < ${now} THEN ${now} ELSE "finishedAt" END,
        "wakeAt" = CASE WHEN "leaseUntil" IS NULL OR "leaseUntil" < ${now} THEN NULL ELSE "wakeAt" END
      WHERE id IN (SELECT id FROM tree)
      RETURNING id, status
    )
    SELECT id::text AS id, status::text AS status FROM marked`;
  const ended = rows.filter((row) => row.status === "CANCELLED").map((row) => row.id);
  for (const id of ended) {
    await tx.runState.deleteMany({ where: { runId: id, stepKey: { not: TRIGGER_STATE_KEY } } });
    await tx.runSignal.deleteMany({ where: { runId: id } });
    await cancelInFlightSteps(tx, id, now);
  }
  for (const row of rows) await notifyRunEventIn(tx, row.id);
  return { ended, asked: rows.filter((row) => row.status !== "CANCELLED").map((row) => row.id) };
}

/** In its own transaction, then wakes this process's watchers of each run it changed. */
async function cancelSubflowRuns(parent: { runId: string; projectId: string; waitKey?: string }): Promise<number> {
  const changed = await getDb().$transaction(async (tx) => {
    const { ended, asked } = await cancelSubflowRunsIn(tx, parent, new Date());
    return [...ended, ...asked];
  });
  for (const id of changed) signalRunEvent(id);
  return changed.length;
}

/**
 * A wait that ended without its answer (the step's timeout): the sub-flow run started for
 * that wait, if it still runs, is cancelled. Nothing for other waits (approvals). Safe to
 * repeat (a replay finds nothing left to cancel).
 */
export async function cancelTimedOutSubflowRun(parent: { runId: string; projectId: string }, waitKey: string): Promise<number> {
  if (!waitKey.startsWith(SUBFLOW_WAIT_PREFIX)) return 0;
  return cancelSubflowRuns({ ...parent, waitKey });
}

/** A run that ended: the sub-flow runs it started and that still run are cancelled. */
export async function cancelSubflowRunsOfEndedRun(parent: { runId: string; projectId: string }): Promise<number> {
  return cancelSubflowRuns(parent);
}
