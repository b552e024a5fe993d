import { PLANS } from "@/lib/billing/plans";
import { formatDay } from "@/lib/billing/billing-format";
import { subscriptionStatusLabel, type TBillingView } from "@/lib/billing/billing-view";

const INTERVAL_LABELS = { month: "Billed monthly", year: "Billed yearly" } as const;

/** The current plan: name, interval, status, the next renewal or the end, and the grace-period alert. */
export function PlanSummary({ view, manageSlot }: { view: TBillingView; manageSlot?: React.ReactNode }) {
  const plan = PLANS[view.plan];
  const isPaid = view.plan !== "FREE";
  return (
    <section aria-labelledby="current-plan-heading" className="space-y-4 rounded-lg border border-slate-200 p-4 sm:p-5" data-testid="current-plan">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h2 id="current-plan-heading" className="text-sm font-medium text-slate-600">
            Current plan
          </h2>
          <p className="mt-1 text-2xl font-semibold" data-testid="current-plan-name">
            {plan.name}
          </p>
          <p className="mt-1 text-sm text-slate-600">{plan.summary}</p>
        </div>
        {manageSlot}
      </div>
      <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-3">
        <div>
          <dt className="text-slate-600">Billing</dt>
          <dd data-testid="current-plan-interval">{isPaid && view.interval ? INTERVAL_LABELS[view.interval] : "Free, no payment"}</dd>
        </div>
        <div>
          <dt className="text-slate-600">Status</dt>
          <dd data-testid="current-plan-status">{isPaid ? subscriptionStatusLabel(view.subscriptionStatus) : "Active"}</dd>
        </div>
        <div>
          <dt className="text-slate-600">{isPaid && view.cancelAtPeriodEnd ? "Ends" : isPaid ? "Renews" : "Usage resets"}</dt>
          <dd data-testid="current-plan-renewal">
            {isPaid && view.currentPeriodEnd ? (
              <>
                {view.cancelAtPeriodEnd ? "Cancels on " : "Renews on "}
                <time dateTime={view.currentPeriodEnd}>{formatDay(view.currentPeriodEnd)}</time>
              </>
            ) : (
              <time dateTime={view.period.end}>{formatDay(view.period.end)}</time>
            )}
          </dd>
        </div>
      </dl>
      {isPaid && view.cancelAtPeriodEnd && view.currentPeriodEnd ? (
        <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-800" data-testid="cancel-notice">
          This plan was cancelled. Its limits stay until {formatDay(view.currentPeriodEnd)}; then the project moves to the Free plan.
        </p>
      ) : null}
      <GraceNotice view={view} />
    </section>
  );
}

/** A failed payment: the paid limits stay for the grace period, then the Free plan's apply. */
export function GraceNotice({ view }: { view: TBillingView }) {
  if (view.isInGrace && view.paymentFailedAt && view.graceEndsAt) {
    return (
      <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="grace-notice">
        Payment failed on {formatDay(view.paymentFailedAt)}; paid limits stay until {formatDay(view.graceEndsAt)}; update the payment method.
      </div>
    );
  }
  if (view.hasGraceEnded && view.graceEndsAt) {
    return (
      <div role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900" data-testid="grace-notice">
        Payment failed and the grace period ended on {formatDay(view.graceEndsAt)}: the Free plan&apos;s limits apply until a payment succeeds. Update the
        payment method.
      </div>
    );
  }
  return null;
}
