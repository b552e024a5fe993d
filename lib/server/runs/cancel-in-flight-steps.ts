import "server-only";
// When a run ends as cancelled, the step it was in (running, asleep in a Delay, or
// waiting for its next attempt) ends with it: its log row reads "cancelled", finished
// when the run finished. Every place that ends a run as CANCELLED does this in the same
// statement or transaction, so no ended run shows a step still running. A cancelled
// step is not a step execution: these rows never pass through step-log-sql.ts, the
// only place usage is metered.
import { Prisma } from "@/prisma/generated/client";

type TTx = Pick<Prisma.TransactionClient, "flowRunStep">;

/** For a Prisma transaction that ends the run as CANCELLED at `finishedAt`. */
export async function cancelInFlightSteps(tx: TTx, runId: string, finishedAt: Date): Promise<number> {
  const { count } = await tx.flowRunStep.updateMany({ where: { runId, status: "running" }, data: { status: "cancelled", finishedAt } });
  return count;
}

/**
 * The same as a CTE (with a leading comma) for one fixed statement that ends runs: the
 * rows of the runs returned by CTE `doneCte`, finished at the SQL expression `finishedAt`
 * (both code, never input).
 */
export function cancelInFlightStepsCteText(doneCte: string, finishedAt: string): string {
  return `, stopped AS (
      UPDATE flow_run_steps SET status = 'cancelled', "finishedAt" = ${finishedAt}
      WHERE "runId" IN (SELECT id FROM ${doneCte}) AND status = 'running'
    )`;
}
