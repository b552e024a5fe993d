import "server-only";
// customer.subscription.updated: a plan switch, a renewal, cancel_at_period_end set or
// cleared in the portal, or a status change (past_due, unpaid). Applied from Stripe's
// current copy, so a late or repeated delivery cannot roll the project back.
import type Stripe from "stripe";
import { syncSubscriptionEvent, type TStripeEventOutcome } from "../sync-from-event";

export async function handleCustomerSubscriptionUpdated(event: Stripe.Event): Promise<TStripeEventOutcome> {
  return syncSubscriptionEvent(event);
}
