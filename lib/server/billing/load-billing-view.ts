import "server-only";
// The billing figures a page shows, read through the data layer (which checks
// billing.read inside its query) and turned into the plain view the components take.
import { BILLING_INTERVALS, PAID_PLAN_IDS } from "@/lib/billing/plans";
import { getPlanPrices } from "./get-plan-prices";
import { getProjectUsage } from "./get-project-usage";
import { formatMoney } from "@/lib/billing/billing-format";
import type { TBillingView, TPlanPriceTexts } from "@/lib/billing/billing-view";

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export async function loadBillingView(userId: string, projectId: string): Promise<TBillingView> {
  const now = new Date();
  const usage = await getProjectUsage(userId, projectId, now);
  const today = now.toISOString().slice(0, 10);
  return {
    projectId,
    plan: usage.plan.plan,
    effectivePlan: usage.plan.effectivePlan,
    interval: usage.plan.interval,
    subscriptionStatus: usage.plan.subscriptionStatus,
    currentPeriodEnd: iso(usage.plan.currentPeriodEnd),
    cancelAtPeriodEnd: usage.plan.cancelAtPeriodEnd,
    paymentFailedAt: iso(usage.plan.paymentFailedAt),
    graceEndsAt: iso(usage.plan.graceEndsAt),
    isInGrace: usage.plan.isInGrace,
    hasGraceEnded: usage.plan.hasGraceEnded,
    hasCustomer: usage.hasCustomer,
    period: { start: usage.plan.period.start.toISOString(), end: usage.plan.period.end.toISOString() },
    usage: {
      stepExecutions: usage.stepExecutions,
      activeFlows: usage.activeFlows,
      // Pending invitations hold a seat: the members limit counts them too.
      members: usage.members + usage.pendingInvitations,
      pendingInvitations: usage.pendingInvitations,
      heldRuns: usage.heldRuns,
    },
    daily: usage.daily.map((d) => ({ day: d.day, count: d.stepExecutions })),
    today,
    limits: usage.plan.limits,
  };
}

/** Stripe's prices of the paid plans, formatted for people ("$29"); a price Stripe lacks reads as unavailable. */
export async function loadPriceTexts(): Promise<TPlanPriceTexts> {
  const prices = await getPlanPrices();
  const texts = {} as TPlanPriceTexts;
  for (const plan of PAID_PLAN_IDS) {
    texts[plan] = { month: null, year: null };
    for (const interval of BILLING_INTERVALS) {
      const price = prices[plan]?.[interval];
      texts[plan][interval] = price && price.unitAmount !== null ? { amount: formatMoney(price.unitAmount, price.currency), per: interval } : null;
    }
  }
  return texts;
}
