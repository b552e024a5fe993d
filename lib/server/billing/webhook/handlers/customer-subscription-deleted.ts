import "server-only";
// customer.subscription.deleted: the subscription ended (cancelled at once in the
// portal, or at the end of its period); the project returns to the free plan. Applied
// from Stripe's current copy, so a late or repeated delivery cannot roll it back.
import type Stripe from "stripe";
import { syncSubscriptionEvent, type TStripeEventOutcome } from "../sync-from-event";

export async function handleCustomerSubscriptionDeleted(event: Stripe.Event): Promise<TStripeEventOutcome> {
  return syncSubscriptionEvent(event);
}
