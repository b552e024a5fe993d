import "server-only";
// Step executions of a project in a usage period: one indexed range read of its daily
// counters (usage_days' primary key is (projectId, day)). Internal: callers authorize.
import type { Prisma } from "@/prisma/generated/client";
import { getDb } from "../db";

/** The UTC day of an instant, as PostgreSQL's DATE text (YYYY-MM-DD). */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * Step executions counted from the period's first UTC day on. Counters are per day, so
 * a subscription period that starts during a day counts that whole day in the new period.
 */
export async function countPeriodStepExecutions(
  projectId: string,
  periodStart: Date,
  db: Pick<Prisma.TransactionClient, "$queryRaw"> = getDb(),
): Promise<number> {
  const rows = await db.$queryRaw<{ n: number }[]>`
    SELECT coalesce(sum("stepExecutions"), 0)::int AS n FROM usage_days
    WHERE "projectId" = ${projectId}::uuid AND day >= ${utcDay(periodStart)}::date`;
  return rows[0]?.n ?? 0;
}
