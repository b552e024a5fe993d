import "server-only";
// The embedded driver's hot-path writes, one statement each (every statement costs a
// round trip and, when it commits, a WAL flush). A step's result, its run-log rows and
// the project's step-execution count (usage_days) are one statement (step-log-sql.ts).
// Each is fenced by the lease: a worker that lost its run writes nothing (and counts
// nothing), so a run taken over is never written by two workers. Each also reads the run's cancel flag, so the check before the next node
// starts costs no statement of its own.
import { Prisma } from "@/prisma/generated/client";
import { getDb } from "../../db";
import type { TPreparedStepLog } from "../run-log";
import { sealRunState } from "../run-state";
import { stepLogCtes } from "../step-log-sql";

/** The worker no longer holds the run's lease (another worker took it over). */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor() {
    super("lease lost");
  }
}

export type TStepWriteResult = { isCancelRequested: boolean };

/**
 * Stores a completed step's sealed result (a replay's second write keeps the first),
 * the run-log rows it produced and the step executions they add to the project's
 * usage, atomically, in one statement. Without `step`, only the log rows (a long
 * attempt shown as running).
 */
export async function saveStepResult(input: {
  projectId: string;
  runId: string;
  owner: string;
  step?: { key: string; value: unknown };
  logs: TPreparedStepLog[];
}): Promise<TStepWriteResult> {
  const memo = input.step
    ? Prisma.sql`, memo AS (
      INSERT INTO run_state ("runId", "stepKey", "valueSealed", "createdAt")
      SELECT id, ${input.step.key}, ${sealRunState(input.step.value, input.projectId, input.runId, input.step.key)}, ${new Date()} FROM run
      ON CONFLICT ("runId", "stepKey") DO NOTHING
    )`
    : Prisma.empty;
  const rows = await getDb().$queryRaw<{ isCancelRequested: boolean }[]>`
    WITH run AS (
      SELECT id, "cancelRequestedAt" FROM flow_runs WHERE id = ${input.runId}::uuid AND "leaseOwner" = ${input.owner}
    )${memo}${stepLogCtes(input.projectId, input.logs)}
    SELECT "cancelRequestedAt" IS NOT NULL AS "isCancelRequested" FROM run`;
  const row = rows[0];
  if (!row) throw new LeaseLostError();
  return { isCancelRequested: row.isCancelRequested };
}
