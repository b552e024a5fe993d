import "server-only";
// A project's effective plan and its limits as SQL expressions over a LEFT JOINed
// project_billing row, for statements that treat many projects at once (the embedded
// driver's claim, run retention). Built from PLANS, so the numbers live in one place;
// the grace rule is resolveProjectPlan's (project-limits.ts): past graceEndsAt, FREE.
import { PLAN_IDS, PLANS, type TPlanLimits } from "@/lib/billing/plans";
import { Prisma } from "@/prisma/generated/client";

export type TNumericLimit = keyof Pick<TPlanLimits, "concurrentRuns" | "runRetentionDays">;

/** A value no plan limit reaches (a plan without a limit is capped by the setting alone). */
const NO_LIMIT = 2_147_483_647;

/** The effective plan's id (text) of the project_billing row aliased `billing` (code, never input; no row: FREE). */
function effectivePlanText(billing: string): string {
  return `(CASE WHEN ${billing}."graceEndsAt" <= now() THEN 'FREE' ELSE coalesce(${billing}.plan::text, 'FREE') END)`;
}

/** The same, for a Prisma statement. */
export function effectivePlanSql(billing: string): Prisma.Sql {
  return Prisma.raw(effectivePlanText(billing));
}

/**
 * A numeric limit of the effective plan, as SQL text for a fixed (prepared) statement,
 * capped by the SQL expression `cap` (a parameter such as `$2::int`; a plan without that
 * limit gets the cap). Plan ids and limits are code, inlined as literals.
 */
export function planLimitText(billing: string, limit: TNumericLimit, cap: string): string {
  const cases = PLAN_IDS.map((id) => `WHEN '${id}' THEN ${PLANS[id].limits[limit] ?? NO_LIMIT}`).join(" ");
  return `least(${cap}, CASE ${effectivePlanText(billing)} ${cases} ELSE ${PLANS.FREE.limits[limit] ?? NO_LIMIT} END)`;
}
