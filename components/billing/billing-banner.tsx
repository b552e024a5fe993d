import Link from "next/link";
import { PLANS } from "@/lib/billing/plans";
import { formatCount, formatDay } from "@/lib/billing/billing-format";
import type { TBillingView } from "@/lib/billing/billing-view";

/** The held-runs and grace notices for a loaded view (the billing page shows grace in its plan card instead). */
export function BillingNotices({ view, canManage, isBillingPage = false }: { view: TBillingView; canManage: boolean; isBillingPage?: boolean }) {
  const billingHref = `/projects/${view.projectId}/billing`;
  const held = view.usage.heldRuns;
  const stepLimit = view.limits.stepExecutionsPerMonth;
  const isGrace = !isBillingPage && ((view.isInGrace && view.paymentFailedAt && view.graceEndsAt) || (view.hasGraceEnded && view.graceEndsAt));
  if (held === 0 && !isGrace) return null;
  return (
    <div role="region" aria-label="Billing notices" className="space-y-2" data-testid="billing-banner">
      {held > 0 ? (
        <div className="rounded-md border border-orange-300 bg-orange-50 px-4 py-3 text-sm text-orange-950" data-testid="held-runs-banner">
          <p>
            <strong className="font-semibold">{held === 1 ? "1 run is held" : `${formatCount(held)} runs are held`}</strong>: this project used its{" "}
            {stepLimit === null ? "" : `${formatCount(stepLimit)} `}step executions for this period
            {view.effectivePlan !== view.plan ? ` (the ${PLANS[view.effectivePlan].name} plan's limit applies)` : ""}.{" "}
            {canManage ? (
              view.effectivePlan === "TEAM" ? (
                <>They start when the next period begins.</>
              ) : isBillingPage ? (
                <>Upgrade below to release them.</>
              ) : (
                <Link href={billingHref} className="font-medium underline">
                  Upgrade to release them.
                </Link>
              )
            ) : (
              <>They start when the next period begins, or sooner if a project owner upgrades the plan.</>
            )}
          </p>
        </div>
      ) : null}
      {isGrace ? (
        <div className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950" data-testid="grace-banner">
          <p>
            {view.isInGrace ? (
              <>
                Payment failed on {formatDay(view.paymentFailedAt!)}; paid limits stay until {formatDay(view.graceEndsAt!)}.{" "}
              </>
            ) : (
              <>Payment failed and the grace period ended on {formatDay(view.graceEndsAt!)}: the Free plan&apos;s limits apply. </>
            )}
            {canManage ? (
              <Link href={billingHref} className="font-medium underline">
                Update the payment method.
              </Link>
            ) : (
              <>A project owner can update the payment method.</>
            )}
          </p>
        </div>
      ) : null}
    </div>
  );
}
