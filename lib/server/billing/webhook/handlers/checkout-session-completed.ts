import "server-only";
// checkout.session.completed: the customer paid for a subscription at Checkout. The
// session names the project twice (client_reference_id, metadata); both must agree with
// the project holding the session's customer.
import type Stripe from "stripe";
import { idOf } from "../../sync-subscription";
import { findBillingProject } from "../find-billing-project";
import { recordStripeEvent } from "../record-stripe-event";
import { syncFromEvent, type TStripeEventOutcome } from "../sync-from-event";

export async function handleCheckoutSessionCompleted(event: Stripe.Event): Promise<TStripeEventOutcome> {
  const session = event.data.object as Stripe.Checkout.Session;
  const subscriptionId = idOf(session.subscription);
  if (session.mode !== "subscription" || !subscriptionId) return (await recordStripeEvent(event, null)) ? "ignored" : "duplicate";
  const projectId = await findBillingProject(idOf(session.customer), [session.client_reference_id, session.metadata?.projectId]);
  if (!projectId || !session.client_reference_id) return (await recordStripeEvent(event, null)) ? "unmatched" : "duplicate";
  return syncFromEvent(event, projectId, subscriptionId);
}
