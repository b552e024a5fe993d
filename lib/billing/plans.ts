// The plans, in one typed place: the pricing page, the billing page, the limits the
// data layer enforces and the Stripe prices they are sold as all read this file.
// What a plan costs is Stripe's price (STRIPE_PRICE_*), shown as Stripe states it.
import { STRIPE_PRICE_VARIABLES, type TEnv } from "@/lib/env";

export const PLAN_IDS = ["FREE", "PRO", "TEAM"] as const;
export type TPlanId = (typeof PLAN_IDS)[number];
export const BILLING_INTERVALS = ["month", "year"] as const;
export type TBillingInterval = (typeof BILLING_INTERVALS)[number];

/** A limit of null means none. */
export type TPlanLimits = {
  /** Step executions (a step that ran and succeeded or failed) per billing period. */
  stepExecutionsPerMonth: number | null;
  /** Flows switched on (triggers live) at once. */
  activeFlows: number | null;
  /** People in the project, invitations not yet accepted included. */
  members: number | null;
  /** Days finished runs and their logs are kept (never more than RUN_RETENTION_DAYS). */
  runRetentionDays: number | null;
  /** Runs of the project executing at once (never more than RUN_CONCURRENCY_PER_PROJECT). */
  concurrentRuns: number | null;
};

export type TPlan = { id: TPlanId; name: string; summary: string; limits: TPlanLimits };

export const PLANS: Record<TPlanId, TPlan> = {
  FREE: {
    id: "FREE",
    name: "Free",
    summary: "For trying Vaultflow and small personal automations.",
    limits: { stepExecutionsPerMonth: 1_000, activeFlows: 5, members: 2, runRetentionDays: 7, concurrentRuns: 1 },
  },
  PRO: {
    id: "PRO",
    name: "Pro",
    summary: "For a team's production automations.",
    limits: { stepExecutionsPerMonth: 50_000, activeFlows: 50, members: 10, runRetentionDays: 30, concurrentRuns: 5 },
  },
  TEAM: {
    id: "TEAM",
    name: "Team",
    summary: "For departments running many flows at volume.",
    limits: { stepExecutionsPerMonth: 250_000, activeFlows: null, members: 50, runRetentionDays: 90, concurrentRuns: 20 },
  },
};

/** Billing off (no STRIPE_SECRET_KEY): a self-hosted install has no plan limits. */
export const NO_LIMITS: TPlanLimits = { stepExecutionsPerMonth: null, activeFlows: null, members: null, runRetentionDays: null, concurrentRuns: null };

export const PAID_PLAN_IDS = ["PRO", "TEAM"] as const satisfies readonly TPlanId[];
export type TPaidPlanId = (typeof PAID_PLAN_IDS)[number];

const PRICE_VARIABLE: Record<TPaidPlanId, Record<TBillingInterval, (typeof STRIPE_PRICE_VARIABLES)[number]>> = {
  PRO: { month: "STRIPE_PRICE_PRO_MONTHLY", year: "STRIPE_PRICE_PRO_YEARLY" },
  TEAM: { month: "STRIPE_PRICE_TEAM_MONTHLY", year: "STRIPE_PRICE_TEAM_YEARLY" },
};

/** The Stripe price a paid plan is sold as, for an interval. */
export function priceIdFor(env: TEnv, plan: TPaidPlanId, interval: TBillingInterval): string | undefined {
  return env[PRICE_VARIABLE[plan][interval]];
}

/** The plan and interval a Stripe price id stands for; undefined for a price not configured here. */
export function planForPriceId(env: TEnv, priceId: string): { plan: TPaidPlanId; interval: TBillingInterval } | undefined {
  for (const plan of PAID_PLAN_IDS) {
    for (const interval of BILLING_INTERVALS) {
      if (priceIdFor(env, plan, interval) === priceId) return { plan, interval };
    }
  }
  return undefined;
}
