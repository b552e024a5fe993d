import "server-only";
// invoice.payment_failed: a renewal could not be charged. The project keeps its paid
// limits for BILLING_GRACE_DAYS from the first failure; Stripe's retries that fail too
// keep that date (a grace period is not extended by failing again). Owners are mailed
// once, when the grace period starts.
import type Stripe from "stripe";
import { getEnv } from "@/lib/env";
import { recordAuditEvent } from "../../../audit/record-audit-event";
import { notifyOwnersOfPaymentFailure } from "../../notify-owners-of-payment-failure";
import { applySubscriptionState } from "../../sync-subscription";
import { loadInvoiceContext } from "../invoice-context";
import { recordStripeEvent } from "../record-stripe-event";
import type { TStripeEventOutcome } from "../sync-from-event";

const DAY_MS = 24 * 60 * 60 * 1000;

export async function handleInvoicePaymentFailed(event: Stripe.Event, now: Date = new Date()): Promise<TStripeEventOutcome> {
  const context = await loadInvoiceContext(event);
  if (!context) return (await recordStripeEvent(event, null)) ? "unmatched" : "duplicate";
  const { projectId, invoice, subscription } = context;
  // Paid or voided since: this failure is history, nothing to start.
  if (invoice.status === "paid" || invoice.status === "void") return (await recordStripeEvent(event, projectId)) ? "ignored" : "duplicate";

  let startedGrace: Date | null = null;
  const applied = await recordStripeEvent(event, projectId, async (tx) => {
    if (subscription) await applySubscriptionState(tx, projectId, subscription);
    const row = await tx.projectBilling.findUniqueOrThrow({ where: { projectId }, select: { plan: true, paymentFailedAt: true, graceEndsAt: true } });
    let graceEndsAt = row.graceEndsAt;
    // A project already on the free plan has no paid limits to keep.
    if (row.plan !== "FREE" && !graceEndsAt) {
      graceEndsAt = new Date(now.getTime() + getEnv().BILLING_GRACE_DAYS * DAY_MS);
      startedGrace = graceEndsAt;
      await tx.projectBilling.update({ where: { projectId }, data: { paymentFailedAt: row.paymentFailedAt ?? now, graceEndsAt } });
    }
    await recordAuditEvent(
      {
        action: "billing.payment_failed",
        outcome: "failure",
        projectId,
        details: { invoiceId: invoice.id ?? null, attempt: invoice.attempt_count, graceEndsAt: graceEndsAt?.toISOString() ?? null },
      },
      tx,
    );
  });
  if (!applied) return "duplicate";
  if (startedGrace) await notifyOwnersOfPaymentFailure(projectId, startedGrace);
  return "applied";
}
