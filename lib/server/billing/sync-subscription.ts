import "server-only";
// Reconciles a project's billing row with Stripe's subscription as Stripe holds it now.
// The state is always read back from Stripe's API (never from a browser, never from an
// event's possibly stale copy), so deliveries in any order, twice, or late converge on
// Stripe's truth: the last write is whatever Stripe says at that moment.
import type Stripe from "stripe";
import { planForPriceId, type TBillingInterval, type TPlanId } from "@/lib/billing/plans";
import { getEnv } from "@/lib/env";
import { getLogger } from "@/lib/log";
import type { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { releaseHeldRuns } from "./release-held-runs";
import { getStripe } from "./stripe-client";

export type TSubscriptionState = {
  subscriptionId: string;
  customerId: string;
  /** subscription_data.metadata.projectId set at Checkout; null for one made elsewhere. */
  metadataProjectId: string | null;
  status: Stripe.Subscription.Status;
  /** The configured plan of the subscription's price; null for a price not configured here. */
  plan: Exclude<TPlanId, "FREE"> | null;
  interval: TBillingInterval | null;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
};

export type TPlanChange = { from: TPlanId; to: TPlanId };

/** Statuses under which the subscription's plan applies (past_due and unpaid: the grace rules decide). */
const PAYING = new Set<string>(["active", "trialing", "past_due", "unpaid"]);
/** Statuses after which the subscription is over for good. */
const ENDED = new Set<string>(["canceled", "incomplete_expired"]);
const RANK: Record<TPlanId, number> = { FREE: 0, PRO: 1, TEAM: 2 };

export const idOf = (value: string | { id: string } | null | undefined): string | null => (typeof value === "string" ? value : (value?.id ?? null));

const fromUnix = (seconds: number | null | undefined) => (typeof seconds === "number" ? new Date(seconds * 1000) : null);

/** Since Stripe API 2025-03-31 the billing period is on the subscription item. */
export function subscriptionStateFrom(subscription: Stripe.Subscription): TSubscriptionState {
  const item = subscription.items.data[0];
  const priced = item ? planForPriceId(getEnv(), item.price.id) : undefined;
  return {
    subscriptionId: subscription.id,
    customerId: idOf(subscription.customer) ?? "",
    metadataProjectId: subscription.metadata?.projectId ?? null,
    status: subscription.status,
    plan: priced?.plan ?? null,
    interval: priced?.interval ?? null,
    currentPeriodStart: fromUnix(item?.current_period_start),
    currentPeriodEnd: fromUnix(item?.current_period_end),
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
  };
}

/** The subscription as Stripe holds it now; null when Stripe does not know the id. */
export async function retrieveSubscriptionState(subscriptionId: string): Promise<TSubscriptionState | null> {
  try {
    return subscriptionStateFrom(await getStripe().subscriptions.retrieve(subscriptionId));
  } catch (error) {
    if ((error as { statusCode?: number })?.statusCode === 404) return null;
    throw error;
  }
}

/**
 * Writes the subscription state into the project's billing row (which holds the
 * subscription's customer: callers check that). A subscription that ended clears the
 * paid plan, unless the project already moved on to another subscription.
 */
export async function applySubscriptionState(tx: Prisma.TransactionClient, projectId: string, state: TSubscriptionState): Promise<TPlanChange | null> {
  const row = await tx.projectBilling.findUnique({
    where: { projectId },
    select: { plan: true, stripeSubscriptionId: true },
  });
  if (!row) return null;
  const isEnded = ENDED.has(state.status);
  if (isEnded && row.stripeSubscriptionId !== null && row.stripeSubscriptionId !== state.subscriptionId) return null;

  let plan: TPlanId;
  if (isEnded || !PAYING.has(state.status)) plan = "FREE";
  else if (state.plan) plan = state.plan;
  else {
    // A price this installation does not sell (changed in Stripe's dashboard): keep
    // what the project had rather than guessing; the operator sees this line.
    getLogger().warn({ projectId, subscriptionId: state.subscriptionId }, "stripe subscription price is not a configured plan; plan kept");
    plan = row.plan;
  }
  await tx.projectBilling.update({
    where: { projectId },
    data: isEnded
      ? {
          plan: "FREE",
          interval: null,
          stripeSubscriptionId: null,
          subscriptionStatus: state.status,
          currentPeriodStart: null,
          currentPeriodEnd: null,
          cancelAtPeriodEnd: false,
          paymentFailedAt: null,
          graceEndsAt: null,
        }
      : {
          plan,
          interval: plan === "FREE" ? null : (state.interval ?? undefined),
          stripeSubscriptionId: state.subscriptionId,
          subscriptionStatus: state.status,
          currentPeriodStart: state.currentPeriodStart,
          currentPeriodEnd: state.currentPeriodEnd,
          cancelAtPeriodEnd: state.cancelAtPeriodEnd,
        },
  });
  if (row.plan === plan) return null;
  await recordAuditEvent(
    {
      action: "billing.plan_changed",
      projectId,
      details: { from: row.plan, to: plan, interval: isEnded ? null : state.interval, status: state.status },
    },
    tx,
  );
  return { from: row.plan, to: plan };
}

export function isUpgrade(change: TPlanChange | null): boolean {
  return change !== null && RANK[change.to] > RANK[change.from];
}

/** After the transaction: runs held for the old plan's limit may run now. */
export async function releaseHeldRunsAfter(projectId: string): Promise<void> {
  try {
    await releaseHeldRuns(projectId);
  } catch (error) {
    // The plan is stored; held runs are released by the maintenance tick too.
    getLogger().error({ projectId, err: { name: (error as Error)?.name } }, "releasing held runs failed");
  }
}

/**
 * The whole reconciliation for one project outside a webhook (e.g. after Checkout
 * returns): reads Stripe, checks the subscription is the project's customer's, writes.
 */
export async function syncSubscription(projectId: string, subscriptionId: string): Promise<TPlanChange | null> {
  const state = await retrieveSubscriptionState(subscriptionId);
  if (!state) return null;
  const billing = await getDb().projectBilling.findUnique({ where: { projectId }, select: { stripeCustomerId: true } });
  if (!billing?.stripeCustomerId || billing.stripeCustomerId !== state.customerId) return null;
  if (state.metadataProjectId && state.metadataProjectId !== projectId) return null;
  const change = await getDb().$transaction((tx) => applySubscriptionState(tx, projectId, state));
  if (isUpgrade(change)) await releaseHeldRunsAfter(projectId);
  return change;
}
