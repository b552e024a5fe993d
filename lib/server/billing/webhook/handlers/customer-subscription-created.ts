import "server-only";
// customer.subscription.created: a subscription began, normally right after Checkout
// (its event may arrive before or after checkout.session.completed). Applied from
// Stripe's current copy, so a late or repeated delivery cannot roll the project back.
import type Stripe from "stripe";
import { syncSubscriptionEvent, type TStripeEventOutcome } from "../sync-from-event";

export async function handleCustomerSubscriptionCreated(event: Stripe.Event): Promise<TStripeEventOutcome> {
  return syncSubscriptionEvent(event);
}
