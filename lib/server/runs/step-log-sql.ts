import "server-only";
// The one SQL both drivers write run-log rows with, and where step executions are
// metered: the rows and the project's usage counter change in the same statement, so
// the count is exact, survives crashes and costs no round trip of its own.
//
// A step execution is a node whose row becomes "succeeded" or "failed" (finished
// rows). A finished row (or one cancelled with its run, or reused by a retry) is
// final: a later write for the same node (a replayed step, a retried Inngest step)
// leaves it as it is, so the first write wins, as it does for the step's memo. Such a
// write updates no row, RETURNING leaves it out, and it is not counted again. ON
// CONFLICT decides on the row's latest committed version, so two writes of one step at
// once still count once.
//
// The rows travel as arrays (one parameter per column, unnested in the statement), so
// the statement's text is the same for any number of rows and is prepared once.
import type { TPreparedStepLog } from "./run-log";

/**
 * Statuses a row never leaves: the metered ones, a step cancelled with its run and a
 * step a retry reused (written when the retry is queued; neither is metered).
 */
const FINAL_STEP_STATUSES = ["succeeded", "failed", "cancelled", "reused"];

/** Statuses that count as a step execution (skipped, running, cancelled and reused do not). */
export const METERED_STEP_STATUSES = ["succeeded", "failed"] as const;

export function isMeteredStatus(status: string): boolean {
  return (METERED_STEP_STATUSES as readonly string[]).includes(status);
}

/** How many parameters stepLogCtesText's CTEs take (stepLogValues gives them, in order). */
export const STEP_LOG_PARAMS = 7;

// Code, never input: inlined as literals.
const quoted = (values: readonly string[]) => values.map((value) => `'${value}'`).join(", ");

/**
 * CTEs (with a leading comma, to follow a `WITH run AS (SELECT id FROM ...)`) that
 * upsert the log rows of the run selected by the `run` CTE and add the newly finished
 * ones to the project's usage for their day. Nothing is written when `run` is empty (a
 * lease lost) or there are no rows. Parameters `$first` to `$first + 6` are
 * stepLogValues' (the rows' nodes in one batch are distinct: one row per node).
 * Timestamps are stored as UTC, as Prisma stores them; a step execution is counted on
 * the UTC day it finished.
 */
export function stepLogCtesText(first: number): string {
  const p = (offset: number) => `$${first + offset}`;
  return `, logged AS (
      INSERT INTO flow_run_steps (id, "runId", "nodeId", status, attempts, "startedAt", "finishedAt", "recordSealed")
      SELECT gen_random_uuid(), run.id, row."nodeId", row.status, row.attempts,
        row."startedAt" AT TIME ZONE 'UTC', row."finishedAt" AT TIME ZONE 'UTC', row."recordSealed"
      FROM run, unnest(${p(1)}::text[], ${p(2)}::text[], ${p(3)}::int[], ${p(4)}::timestamptz[], ${p(5)}::timestamptz[], ${p(6)}::text[])
        AS row("nodeId", status, attempts, "startedAt", "finishedAt", "recordSealed")
      ON CONFLICT ("runId", "nodeId") DO UPDATE SET
        status = EXCLUDED.status,
        attempts = EXCLUDED.attempts,
        "finishedAt" = coalesce(EXCLUDED."finishedAt", flow_run_steps."finishedAt"),
        "recordSealed" = coalesce(EXCLUDED."recordSealed", flow_run_steps."recordSealed")
      WHERE flow_run_steps.status NOT IN (${quoted(FINAL_STEP_STATUSES)})
      RETURNING status, "finishedAt"::date AS day
    ), usage AS (
      INSERT INTO usage_days ("projectId", day, "stepExecutions")
      SELECT ${p(0)}::uuid, day, count(*)::int FROM logged
      WHERE status IN (${quoted(METERED_STEP_STATUSES)})
      GROUP BY day
      ORDER BY day -- rows of two days (a batch across midnight) are locked in one order: no deadlock
      ON CONFLICT ("projectId", day) DO UPDATE SET "stepExecutions" = usage_days."stepExecutions" + EXCLUDED."stepExecutions"
    )`;
}

/** The STEP_LOG_PARAMS values of stepLogCtesText, for these rows of one project's run. */
export function stepLogValues(projectId: string, logs: readonly TPreparedStepLog[]): unknown[] {
  const nodeIds: string[] = [];
  const statuses: string[] = [];
  const attempts: number[] = [];
  const startedAt: string[] = [];
  const finishedAt: (string | null)[] = [];
  const records: (string | null)[] = [];
  for (const log of logs) {
    nodeIds.push(log.nodeId);
    statuses.push(log.status);
    attempts.push(log.attempts);
    startedAt.push(log.at.toISOString());
    finishedAt.push(log.finishedAt ? log.finishedAt.toISOString() : null);
    records.push(log.recordSealed);
  }
  return [projectId, nodeIds, statuses, attempts, startedAt, finishedAt, records];
}
