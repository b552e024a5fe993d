import "server-only";
// invoice.paid: a payment went through (the first one after Checkout, each renewal, or
// a retry after a failure). A running grace period ends, unless the subscription is
// still past due on another invoice; runs held meanwhile may run again.
import type Stripe from "stripe";
import { recordAuditEvent } from "../../../audit/record-audit-event";
import { applySubscriptionState, isUpgrade, releaseHeldRunsAfter, type TPlanChange } from "../../sync-subscription";
import { loadInvoiceContext } from "../invoice-context";
import { recordStripeEvent } from "../record-stripe-event";
import type { TStripeEventOutcome } from "../sync-from-event";

const STILL_FAILING = new Set(["past_due", "unpaid"]);

export async function handleInvoicePaid(event: Stripe.Event): Promise<TStripeEventOutcome> {
  const context = await loadInvoiceContext(event);
  if (!context) return (await recordStripeEvent(event, null)) ? "unmatched" : "duplicate";
  const { projectId, invoice, subscription } = context;
  if (invoice.status !== "paid") return (await recordStripeEvent(event, projectId)) ? "ignored" : "duplicate";

  let change: TPlanChange | null = null;
  let endedGrace = false;
  const applied = await recordStripeEvent(event, projectId, async (tx) => {
    if (subscription) change = await applySubscriptionState(tx, projectId, subscription);
    const row = await tx.projectBilling.findUniqueOrThrow({ where: { projectId }, select: { paymentFailedAt: true, graceEndsAt: true } });
    const isStillFailing = subscription !== null && STILL_FAILING.has(subscription.status);
    if (!isStillFailing && (row.paymentFailedAt || row.graceEndsAt)) {
      await tx.projectBilling.update({ where: { projectId }, data: { paymentFailedAt: null, graceEndsAt: null } });
      endedGrace = true;
    }
    await recordAuditEvent({ action: "billing.payment_succeeded", projectId, details: { invoiceId: invoice.id ?? null, endedGracePeriod: endedGrace } }, tx);
  });
  if (!applied) return "duplicate";
  if (isUpgrade(change) || endedGrace) await releaseHeldRunsAfter(projectId);
  return "applied";
}
