import "server-only";
// The shared path of the subscription events and Checkout: read the subscription back
// from Stripe, check it is the project's customer's, and apply it with the event id.
import type Stripe from "stripe";
import { applySubscriptionState, idOf, isUpgrade, releaseHeldRunsAfter, retrieveSubscriptionState, type TPlanChange } from "../sync-subscription";
import { findBillingProject } from "./find-billing-project";
import { recordStripeEvent } from "./record-stripe-event";

export type TStripeEventOutcome = "applied" | "duplicate" | "ignored" | "unmatched";

export async function syncFromEvent(event: Stripe.Event, projectId: string, subscriptionId: string): Promise<TStripeEventOutcome> {
  const state = await retrieveSubscriptionState(subscriptionId);
  const owner = state ? await findBillingProject(state.customerId, [state.metadataProjectId]) : null;
  if (!state || owner !== projectId) return (await recordStripeEvent(event, null)) ? "unmatched" : "duplicate";
  let change: TPlanChange | null = null;
  const applied = await recordStripeEvent(event, projectId, async (tx) => {
    change = await applySubscriptionState(tx, projectId, state);
  });
  if (!applied) return "duplicate";
  if (isUpgrade(change)) await releaseHeldRunsAfter(projectId);
  return "applied";
}

/** customer.subscription.*: the project holding the subscription's customer gets Stripe's current copy. */
export async function syncSubscriptionEvent(event: Stripe.Event): Promise<TStripeEventOutcome> {
  const subscription = event.data.object as Stripe.Subscription;
  const projectId = await findBillingProject(idOf(subscription.customer), [subscription.metadata?.projectId]);
  if (!projectId) return (await recordStripeEvent(event, null)) ? "unmatched" : "duplicate";
  return syncFromEvent(event, projectId, subscription.id);
}
