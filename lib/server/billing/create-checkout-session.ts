import "server-only";
// Starts Stripe Checkout for a paid plan. Only an owner (billing.manage) of the project
// gets a session; anyone else, and billing off, read as "not found" before Stripe is
// called. The price comes from the plan and interval on the server (lib/billing/plans.ts),
// never from the browser. A project that already pays is refused: plan changes and
// cancellation go through the Customer Portal ("Manage billing"), where Stripe prorates
// and keeps one subscription per project.
import { rolesWith } from "@/lib/auth/permissions";
import { BILLING_INTERVALS, PAID_PLAN_IDS, priceIdFor, type TBillingInterval, type TPaidPlanId } from "@/lib/billing/plans";
import { appUrl, getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { z } from "@/lib/zod";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import type { TRequestMeta } from "../request-meta";
import { ensureStripeCustomer } from "./billing-customer";
import { getStripe } from "./stripe-client";

export const ZCheckoutPlan = z.strictObject({ plan: z.enum(PAID_PLAN_IDS), interval: z.enum(BILLING_INTERVALS) });
export type TCheckoutPlan = { plan: TPaidPlanId; interval: TBillingInterval };

/** Stripe statuses of a subscription that still exists for the customer (a second one must not be sold). */
const LIVE_STATUSES = new Set(["active", "trialing", "past_due", "unpaid", "incomplete", "paused"]);

export function billingPageUrl(projectId: string, query = ""): string {
  return `${appUrl(getEnv())}/projects/${encodeURIComponent(projectId)}/billing${query}`;
}

function alreadySubscribed(): AppError {
  return new AppError("CONFLICT", 'This project already has a subscription. Use "Manage billing" to change or cancel it.');
}

export async function createCheckoutSession(userId: string, projectId: string, input: TCheckoutPlan, meta?: TRequestMeta): Promise<{ url: string }> {
  const env = getEnv();
  const stripe = getStripe(env);
  const { plan, interval } = ZCheckoutPlan.parse(input);
  const project = await getDb().project.findFirst({
    where: { id: projectId, memberships: { some: { userId, role: { in: rolesWith("billing.manage") } } } },
    select: { id: true, billing: { select: { stripeSubscriptionId: true, subscriptionStatus: true } } },
  });
  if (!project) throw projectNotFound();
  if (project.billing?.stripeSubscriptionId && LIVE_STATUSES.has(project.billing.subscriptionStatus ?? "active")) throw alreadySubscribed();
  const price = priceIdFor(env, plan, interval);
  if (!price) throw new AppError("NOT_FOUND", "Billing is not enabled.");

  const customer = await ensureStripeCustomer(stripe, project.id);
  // The stored state may lag a Checkout completed seconds ago (its webhook not yet in):
  // Stripe's own list is the authority on whether the customer already pays.
  const existing = await stripe.subscriptions.list({ customer, status: "all", limit: 10 });
  if (existing.data.some((subscription) => LIVE_STATUSES.has(subscription.status))) throw alreadySubscribed();

  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer,
    client_reference_id: project.id,
    line_items: [{ price, quantity: 1 }],
    metadata: { projectId: project.id },
    subscription_data: { metadata: { projectId: project.id } },
    success_url: billingPageUrl(project.id, "?checkout=success"),
    cancel_url: billingPageUrl(project.id, "?checkout=cancelled"),
  });
  if (!session.url) throw new Error("Stripe returned a Checkout session without a URL");
  await recordAuditEvent({ action: "billing.checkout_started", userId, projectId: project.id, meta, details: { plan, interval } });
  return { url: session.url };
}
