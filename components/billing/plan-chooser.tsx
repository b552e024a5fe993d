"use client";

import { useId, useState } from "react";
import { openBillingPortalAction, startCheckoutAction } from "@/app/projects/[projectId]/billing/actions";
import { BILLING_INTERVALS, PAID_PLAN_IDS, PLANS, type TBillingInterval, type TPaidPlanId, type TPlanId } from "@/lib/billing/plans";
import type { TActionResult } from "@/lib/web/action-result";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";
import type { TPlanPriceTexts } from "@/lib/billing/billing-view";
import { PlanLimitsList } from "./plan-limits-list";

const INTERVAL_LABELS: Record<TBillingInterval, string> = { month: "Monthly", year: "Yearly" };
const PER: Record<TBillingInterval, string> = { month: "month", year: "year" };
const BUTTON = "rounded-md px-4 py-2 font-medium disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600";

/**
 * Sends the browser to the page Stripe made (Checkout or the portal); the action said where.
 * `pendingKey` names the button that asked; it stays pending while the browser leaves for Stripe.
 */
function useStripeRedirect() {
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const { pending, formError: error, run } = useActionForm({ leavesPage: true });
  function go(key: string, call: () => Promise<TActionResult<{ url: string }>>) {
    setChosenKey(key);
    run(call, ({ url }) => window.location.assign(url));
  }
  return { pendingKey: pending ? chosenKey : null, error, go };
}

/** "Manage billing": the Stripe customer portal (invoices, payment method, cancel). Owners only. */
export function ManageBillingButton({ projectId, label = "Manage billing" }: { projectId: string; label?: string }) {
  const { pendingKey, error, go } = useStripeRedirect();
  const pending = pendingKey !== null;
  return (
    <div className="space-y-2">
      <button
        type="button"
        onClick={() => go("portal", () => openBillingPortalAction({ projectId }))}
        disabled={pending}
        aria-busy={pending || undefined}
        className={`${BUTTON} border border-slate-300 bg-white hover:bg-slate-50`}
      >
        {pending ? (
          <>
            <Spinner /> Opening the billing portal…
          </>
        ) : (
          label
        )}
      </button>
      <FormAlert message={error} />
    </div>
  );
}

/**
 * The paid plans with Stripe's prices, monthly or yearly, and a button per plan that
 * opens Stripe Checkout. Owners only; the page does not render it for anyone else.
 */
export function PlanChooser({
  projectId,
  currentPlan,
  currentInterval,
  prices,
}: {
  projectId: string;
  currentPlan: TPlanId;
  currentInterval: TBillingInterval | null;
  prices: TPlanPriceTexts;
}) {
  const [interval, setBillingInterval] = useState<TBillingInterval>(currentInterval ?? "month");
  const { pendingKey, error, go } = useStripeRedirect();
  const toggleId = useId();
  return (
    <section aria-labelledby="plans-heading" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="plans-heading" className="text-lg font-semibold">
          {currentPlan === "FREE" ? "Upgrade" : "Change plan"}
        </h2>
        <fieldset className="flex rounded-md border border-slate-300 p-0.5 text-sm">
          <legend className="sr-only">Billing interval</legend>
          {BILLING_INTERVALS.map((value) => (
            <label
              key={value}
              htmlFor={`${toggleId}-${value}`}
              className={`cursor-pointer rounded px-3 py-1.5 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-brand-600 ${interval === value ? "bg-brand-600 text-white" : "text-slate-800 hover:bg-slate-100"}`}
            >
              <input
                id={`${toggleId}-${value}`}
                type="radio"
                name={`${toggleId}-interval`}
                value={value}
                checked={interval === value}
                onChange={() => setBillingInterval(value)}
                className="sr-only"
              />
              {INTERVAL_LABELS[value]}
            </label>
          ))}
        </fieldset>
      </div>
      <FormAlert message={error} />
      <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        {PAID_PLAN_IDS.map((planId) => (
          <PlanCard
            key={planId}
            planId={planId}
            interval={interval}
            price={prices[planId][interval]?.amount ?? null}
            isCurrent={currentPlan === planId && currentInterval === interval}
            isUpgradeFromFree={currentPlan === "FREE"}
            pendingKey={pendingKey}
            // A project that pays changes plan in Stripe's portal, which prorates and keeps
            // one subscription; Checkout is for the first subscription only.
            onChoose={() =>
              go(`${planId}/${interval}`, () =>
                currentPlan === "FREE" ? startCheckoutAction({ projectId, plan: planId, interval }) : openBillingPortalAction({ projectId }),
              )
            }
          />
        ))}
      </ul>
      <p className="text-sm text-slate-600">Payment is handled by Stripe. Prices as Stripe states them, taxes where they apply.</p>
    </section>
  );
}

function PlanCard({
  planId,
  interval,
  price,
  isCurrent,
  isUpgradeFromFree,
  pendingKey,
  onChoose,
}: {
  planId: TPaidPlanId;
  interval: TBillingInterval;
  price: string | null;
  isCurrent: boolean;
  isUpgradeFromFree: boolean;
  pendingKey: string | null;
  onChoose: () => void;
}) {
  const plan = PLANS[planId];
  const isPending = pendingKey === `${planId}/${interval}`;
  const action = isUpgradeFromFree ? `Upgrade to ${plan.name}` : `Change to ${plan.name}`;
  return (
    <li
      className={`flex flex-col gap-3 rounded-lg border p-4 ${isCurrent ? "border-brand-600 ring-1 ring-brand-600" : "border-slate-200"}`}
      data-testid={`plan-card-${planId}`}
    >
      <div>
        <h3 className="text-lg font-semibold">{plan.name}</h3>
        <p className="text-sm text-slate-600">{plan.summary}</p>
      </div>
      <p className="text-2xl font-semibold" data-testid={`plan-price-${planId}`}>
        {price ?? "–"}
        <span className="text-base font-normal text-slate-600">{price ? ` / ${PER[interval]}` : " price unavailable"}</span>
      </p>
      <PlanLimitsList limits={plan.limits} />
      <div className="mt-auto">
        {isCurrent ? (
          <p className="rounded-md bg-brand-50 px-4 py-2 text-center font-medium text-brand-700">Your current plan</p>
        ) : (
          <button
            type="button"
            onClick={onChoose}
            disabled={pendingKey !== null || price === null}
            aria-busy={isPending || undefined}
            className={`${BUTTON} w-full bg-brand-600 text-white hover:bg-brand-700`}
          >
            {isPending ? (
              <>
                <Spinner /> {isUpgradeFromFree ? "Opening Stripe Checkout…" : "Opening the billing portal…"}
              </>
            ) : (
              action
            )}
          </button>
        )}
      </div>
    </li>
  );
}

export function Spinner() {
  return <span aria-hidden className="mr-1 inline-block h-4 w-4 animate-spin rounded-full border-2 border-current border-t-transparent align-[-2px]" />;
}
