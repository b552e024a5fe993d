import "server-only";
// What both invoice events need, read back from Stripe: the invoice as it stands now
// (a failure already paid, or delivered late, is not a failure any more) and its
// subscription's current state, both checked against the project's customer.
import type Stripe from "stripe";
import { getStripe } from "../stripe-client";
import { idOf, retrieveSubscriptionState, type TSubscriptionState } from "../sync-subscription";
import { findBillingProject } from "./find-billing-project";

export type TInvoiceContext = { projectId: string; invoice: Stripe.Invoice; subscription: TSubscriptionState | null };

export async function loadInvoiceContext(event: Stripe.Event): Promise<TInvoiceContext | null> {
  const copy = event.data.object as Stripe.Invoice;
  const customerId = idOf(copy.customer);
  const projectId = await findBillingProject(customerId, [copy.parent?.subscription_details?.metadata?.projectId]);
  if (!projectId || !copy.id) return null;
  const invoice = await getStripe().invoices.retrieve(copy.id);
  if (idOf(invoice.customer) !== customerId) return null;
  const subscriptionId = idOf(invoice.parent?.subscription_details?.subscription);
  const subscription = subscriptionId ? await retrieveSubscriptionState(subscriptionId) : null;
  if (subscription && subscription.customerId !== customerId) return null;
  return { projectId, invoice, subscription };
}
