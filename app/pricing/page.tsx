import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { TPlanPriceTexts } from "@/lib/billing/billing-view";
import { loadPriceTexts } from "@/lib/server/billing/load-billing-view";
import { PlanLimitsList } from "@/components/billing/plan-limits-list";
import { SiteHeader } from "@/components/ui/site-header";
import { getCurrentUser } from "@/lib/auth/current-user";
import { PLAN_IDS, PLANS, type TPlanId } from "@/lib/billing/plans";
import { getEnv, isBillingEnabled } from "@/lib/env";

export const metadata: Metadata = { title: "Pricing" };

/**
 * The plans, their limits and Stripe's prices. With billing off this page does not
 * exist (404): a self-hosted installation has no plans, no limits and nothing to sell,
 * and billing off means no billing page of any kind (the landing page links here only
 * when billing is on).
 */
export default async function PricingPage() {
  if (!isBillingEnabled(getEnv())) notFound();
  const [user, prices] = await Promise.all([getCurrentUser(), loadPriceTexts()]);
  return (
    <>
      <SiteHeader signedInAs={user?.email} />
      <main id="main" className="mx-auto max-w-5xl px-4 py-12">
        <h1 className="text-3xl font-bold tracking-tight">Pricing</h1>
        <p className="mt-3 max-w-2xl text-slate-600">
          Each project has its own plan. Start free; an owner upgrades a project from its Billing page, and can change or cancel the plan there at any time.
        </p>
        <ul className="mt-10 grid grid-cols-1 gap-6 md:grid-cols-3">
          {PLAN_IDS.map((planId) => (
            <PlanColumn key={planId} planId={planId} prices={prices} isSignedIn={user !== null} />
          ))}
        </ul>
        <p className="mt-8 text-sm text-slate-600">
          A step execution is one step of a run that ran, successfully or not. Runs past a plan&apos;s monthly step executions wait (held), and start as soon as
          the plan allows more: none is dropped.
        </p>
      </main>
    </>
  );
}

function PlanColumn({ planId, prices, isSignedIn }: { planId: TPlanId; prices: TPlanPriceTexts; isSignedIn: boolean }) {
  const plan = PLANS[planId];
  const monthly = planId === "FREE" ? null : prices[planId].month;
  const yearly = planId === "FREE" ? null : prices[planId].year;
  return (
    <li className="flex flex-col gap-4 rounded-lg border border-slate-200 p-5" data-testid={`pricing-${planId}`}>
      <div>
        <h2 className="text-xl font-semibold">{plan.name}</h2>
        <p className="mt-1 text-sm text-slate-600">{plan.summary}</p>
      </div>
      <div>
        {planId === "FREE" ? (
          <p className="text-3xl font-semibold">Free</p>
        ) : (
          <>
            <p className="text-3xl font-semibold">
              {monthly?.amount ?? "–"}
              <span className="text-base font-normal text-slate-600">{monthly ? " / month" : " price unavailable"}</span>
            </p>
            {yearly ? <p className="mt-1 text-sm text-slate-600">or {yearly.amount} / year</p> : null}
          </>
        )}
      </div>
      <PlanLimitsList limits={plan.limits} />
      <div className="mt-auto">
        <Link
          href={isSignedIn ? "/projects" : "/sign-up"}
          className={`block rounded-md px-4 py-2 text-center font-medium ${planId === "PRO" ? "bg-brand-600 text-white hover:bg-brand-700" : "border border-slate-300 bg-white hover:bg-slate-50"}`}
        >
          {planId === "FREE"
            ? isSignedIn
              ? "Go to your projects"
              : "Start free"
            : isSignedIn
              ? `Choose ${plan.name} in a project`
              : `Sign up, then choose ${plan.name}`}
        </Link>
      </div>
    </li>
  );
}
