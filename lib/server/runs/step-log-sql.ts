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
import { randomUUID } from "node:crypto";
import { Prisma } from "@/prisma/generated/client";
import type { TPreparedStepLog } from "./run-log";

/**
 * Statuses a row never leaves: the metered ones, a step cancelled with its run and a
 * step a retry reused (written when the retry is queued; neither is metered).
 */
const FINAL_STEP_STATUSES = ["succeeded", "failed", "cancelled", "reused"];
// Inlined as literals (code, never input): no bind parameters per row of a batch.
const FINAL_STEP_STATUS_LIST = Prisma.raw(FINAL_STEP_STATUSES.map((status) => `'${status}'`).join(", "));

/** Statuses that count as a step execution (skipped, running, cancelled and reused do not). */
export const METERED_STEP_STATUSES = ["succeeded", "failed"] as const;

export function isMeteredStatus(status: string): boolean {
  return (METERED_STEP_STATUSES as readonly string[]).includes(status);
}

/** The UTC day a step execution is counted on: the day it finished. */
function usageDayOf(log: TPreparedStepLog): string {
  return (log.finishedAt ?? log.at).toISOString().slice(0, 10);
}

/**
 * CTEs (each with a leading comma, to follow a `WITH run AS (SELECT id FROM ...)`) that
 * upsert the log rows of the run selected by the `run` CTE and add the newly finished
 * ones to the project's usage for their day. Nothing is written when `run` is empty
 * (a lease lost). A batch without a finished row has no usage CTE at all.
 */
export function stepLogCtes(projectId: string, logs: TPreparedStepLog[]): Prisma.Sql {
  if (logs.length === 0) return Prisma.empty;
  const ctes = logs.map(
    (log, index) => Prisma.sql`, log${Prisma.raw(String(index))} AS (
      INSERT INTO flow_run_steps (id, "runId", "nodeId", status, attempts, "startedAt", "finishedAt", "recordSealed")
      SELECT ${randomUUID()}::uuid, id, ${log.nodeId}, ${log.status}, ${log.attempts}, ${log.at}, ${log.finishedAt}, ${log.recordSealed}
      FROM run
      ON CONFLICT ("runId", "nodeId") DO UPDATE SET
        status = EXCLUDED.status,
        attempts = EXCLUDED.attempts,
        "finishedAt" = coalesce(EXCLUDED."finishedAt", flow_run_steps."finishedAt"),
        "recordSealed" = coalesce(EXCLUDED."recordSealed", flow_run_steps."recordSealed")
      WHERE flow_run_steps.status NOT IN (${FINAL_STEP_STATUS_LIST})
      RETURNING status, ${usageDayOf(log)}::date AS day
    )`,
  );
  const metered = logs.flatMap((log, index) => (isMeteredStatus(log.status) ? [Prisma.sql`SELECT status, day FROM log${Prisma.raw(String(index))}`] : []));
  if (metered.length === 0) return Prisma.join(ctes, "");
  const usage = Prisma.sql`, usage AS (
      INSERT INTO usage_days ("projectId", day, "stepExecutions")
      SELECT ${projectId}::uuid, day, count(*)::int FROM (${Prisma.join(metered, " UNION ALL ")}) finished
      WHERE status IN ('succeeded', 'failed')
      GROUP BY day
      ORDER BY day -- rows of two days (a batch across midnight) are locked in one order: no deadlock
      ON CONFLICT ("projectId", day) DO UPDATE SET "stepExecutions" = usage_days."stepExecutions" + EXCLUDED."stepExecutions"
    )`;
  return Prisma.sql`${Prisma.join(ctes, "")}${usage}`;
}
