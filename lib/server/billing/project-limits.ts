import "server-only";
// A project's plan as the data layer enforces it: what the project pays for, the plan
// whose limits apply now (the free plan once a grace period after a failed payment has
// ended) and the usage period step executions are counted in. Internal: callers
// authorize. The period and grace rules are the pure `resolveProjectPlan`, unit-tested.
import { NO_LIMITS, PLANS, type TBillingInterval, type TPlanId, type TPlanLimits } from "@/lib/billing/plans";
import { getEnv, isBillingEnabled } from "@/lib/env";
import type { Prisma } from "@/prisma/generated/client";
import { getDb } from "../db";

type TDb = Prisma.TransactionClient;

export type TProjectBillingRow = {
  plan: TPlanId;
  interval: string | null;
  subscriptionStatus: string | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  paymentFailedAt: Date | null;
  graceEndsAt: Date | null;
};

export type TProjectPlan = {
  isBillingEnabled: boolean;
  /** What the project pays for. */
  plan: TPlanId;
  /** The plan whose limits apply: FREE once a grace period has ended. */
  effectivePlan: TPlanId;
  /** The effective plan's limits; NO_LIMITS when billing is off. */
  limits: TPlanLimits;
  subscriptionStatus: string | null;
  interval: TBillingInterval | null;
  cancelAtPeriodEnd: boolean;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  paymentFailedAt: Date | null;
  graceEndsAt: Date | null;
  /** A payment failed and the grace period still runs: the paid limits still apply. */
  isInGrace: boolean;
  /** The grace period ended without a payment: the free plan's limits apply. */
  hasGraceEnded: boolean;
  /** The usage period step executions are counted in: [start, end). */
  period: { start: Date; end: Date };
};

const BILLING_SELECT = {
  plan: true,
  interval: true,
  subscriptionStatus: true,
  currentPeriodStart: true,
  currentPeriodEnd: true,
  cancelAtPeriodEnd: true,
  paymentFailedAt: true,
  graceEndsAt: true,
} as const;

/** The project's plan. A project without a billing row is on the free plan. */
export async function getProjectPlan(projectId: string, now: Date = new Date(), db: Pick<TDb, "projectBilling"> = getDb()): Promise<TProjectPlan> {
  const row = await db.projectBilling.findUnique({ where: { projectId }, select: BILLING_SELECT });
  return resolveProjectPlan(row, { isBillingEnabled: isBillingEnabled(getEnv()), now });
}

/** The plan rules without I/O: grace, effective plan, limits and usage period. */
export function resolveProjectPlan(row: TProjectBillingRow | null, options: { isBillingEnabled: boolean; now: Date }): TProjectPlan {
  const { now } = options;
  const plan = row?.plan ?? "FREE";
  const graceEndsAt = row?.graceEndsAt ?? null;
  const hasGraceEnded = graceEndsAt !== null && now.getTime() >= graceEndsAt.getTime();
  const isInGrace = graceEndsAt !== null && !hasGraceEnded;
  const effectivePlan: TPlanId = hasGraceEnded ? "FREE" : plan;
  const interval = row?.interval === "month" || row?.interval === "year" ? row.interval : null;
  return {
    isBillingEnabled: options.isBillingEnabled,
    plan,
    effectivePlan,
    limits: options.isBillingEnabled ? PLANS[effectivePlan].limits : NO_LIMITS,
    subscriptionStatus: row?.subscriptionStatus ?? null,
    interval,
    cancelAtPeriodEnd: row?.cancelAtPeriodEnd ?? false,
    currentPeriodStart: row?.currentPeriodStart ?? null,
    currentPeriodEnd: row?.currentPeriodEnd ?? null,
    paymentFailedAt: row?.paymentFailedAt ?? null,
    graceEndsAt,
    isInGrace,
    hasGraceEnded,
    period: usagePeriod(plan === "FREE" ? null : row, now),
  };
}

/**
 * The usage period containing `now`. A paid subscription's current period when `now`
 * is inside it; for a yearly subscription, the month of that year containing `now`
 * (the limit is per month), anchored on the subscription's start day as Stripe anchors
 * monthly renewals. Otherwise (free plan, or a period Stripe has not renewed yet) the
 * calendar month in UTC.
 */
export function usagePeriod(row: Pick<TProjectBillingRow, "currentPeriodStart" | "currentPeriodEnd"> | null, now: Date): { start: Date; end: Date } {
  const start = row?.currentPeriodStart;
  const end = row?.currentPeriodEnd;
  if (start && end && start.getTime() <= now.getTime() && now.getTime() < end.getTime()) {
    let sliceStart = start;
    for (let months = 1; ; months += 1) {
      const next = addMonthsUtc(start, months);
      if (next.getTime() >= end.getTime()) return { start: sliceStart, end };
      if (next.getTime() > now.getTime()) return { start: sliceStart, end: next };
      sliceStart = next;
    }
  }
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  return { start: monthStart, end: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)) };
}

/** `date` plus whole months in UTC, the day clamped to the target month's last day (Jan 31 + 1 = Feb 28/29). */
export function addMonthsUtc(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()),
  );
}
