import "server-only";
// A project's effective plan and its limits as SQL expressions over a LEFT JOINed
// project_billing row, for statements that treat many projects at once (the embedded
// driver's claim, run retention). Built from PLANS, so the numbers live in one place;
// the grace rule is resolveProjectPlan's (project-limits.ts): past graceEndsAt, FREE.
import { PLAN_IDS, PLANS, type TPlanLimits } from "@/lib/billing/plans";
import { Prisma } from "@/prisma/generated/client";

export type TNumericLimit = keyof Pick<TPlanLimits, "concurrentRuns" | "runRetentionDays">;

/** The effective plan's id (text) of the project_billing row aliased `billing` (no row: FREE). */
export function effectivePlanSql(billing: string): Prisma.Sql {
  const b = Prisma.raw(billing);
  return Prisma.sql`(CASE WHEN ${b}."graceEndsAt" <= now() THEN 'FREE' ELSE coalesce(${b}.plan::text, 'FREE') END)`;
}

/** A numeric limit of the effective plan, capped by `cap` (a plan without that limit gets the cap). */
export function planLimitSql(billing: string, limit: TNumericLimit, cap: number): Prisma.Sql {
  const cases = PLAN_IDS.map((id) => Prisma.sql`WHEN ${id} THEN ${Math.min(PLANS[id].limits[limit] ?? cap, cap)}::int`);
  return Prisma.sql`(CASE ${effectivePlanSql(billing)} ${Prisma.join(cases, " ")} ELSE ${Math.min(PLANS.FREE.limits[limit] ?? cap, cap)}::int END)`;
}
