import "server-only";
// One verified Stripe event to its handler, one file per event type. A type not listed
// is answered 200 and changes nothing (Stripe stops resending it). A redelivery is
// caught here before any Stripe call, and again inside the effect's transaction.
import type Stripe from "stripe";
import { handleCheckoutSessionCompleted } from "./handlers/checkout-session-completed";
import { handleCustomerSubscriptionCreated } from "./handlers/customer-subscription-created";
import { handleCustomerSubscriptionDeleted } from "./handlers/customer-subscription-deleted";
import { handleCustomerSubscriptionUpdated } from "./handlers/customer-subscription-updated";
import { handleInvoicePaid } from "./handlers/invoice-paid";
import { handleInvoicePaymentFailed } from "./handlers/invoice-payment-failed";
import { isStripeEventRecorded } from "./record-stripe-event";
import type { TStripeEventOutcome } from "./sync-from-event";

const HANDLERS: Record<string, (event: Stripe.Event) => Promise<TStripeEventOutcome>> = {
  "checkout.session.completed": handleCheckoutSessionCompleted,
  "customer.subscription.created": handleCustomerSubscriptionCreated,
  "customer.subscription.updated": handleCustomerSubscriptionUpdated,
  "customer.subscription.deleted": handleCustomerSubscriptionDeleted,
  "invoice.paid": (event) => handleInvoicePaid(event),
  "invoice.payment_failed": (event) => handleInvoicePaymentFailed(event),
};

/** The event types Vaultflow's webhook endpoint must be subscribed to in Stripe. */
export const HANDLED_STRIPE_EVENTS = Object.keys(HANDLERS);

export async function handleStripeEvent(event: Stripe.Event): Promise<TStripeEventOutcome> {
  const handler = Object.hasOwn(HANDLERS, event.type) ? HANDLERS[event.type] : undefined;
  if (!handler) return "ignored";
  if (await isStripeEventRecorded(event.id)) return "duplicate";
  return handler(event);
}
