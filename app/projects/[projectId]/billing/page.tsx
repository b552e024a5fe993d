import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BillingNotices } from "@/components/billing/billing-banner";
import { CheckoutStatus } from "@/components/billing/checkout-status";
import { DailyUsageChart } from "@/components/billing/daily-usage-chart";
import { ManageBillingButton, PlanChooser } from "@/components/billing/plan-chooser";
import { PlanSummary } from "@/components/billing/plan-summary";
import { UsageMeters } from "@/components/billing/usage-meters";
import { isPaidAndActive, planSignature } from "@/lib/billing/billing-view";
import { loadBillingView, loadPriceTexts } from "@/lib/server/billing/load-billing-view";
import { can } from "@/lib/auth/permissions";
import { PLANS } from "@/lib/billing/plans";
import { getEnv, isBillingEnabled } from "@/lib/env";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { orNotFound } from "@/lib/projects/or-not-found";

export const metadata: Metadata = { title: "Billing" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function BillingPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: TSearchParams }) {
  const { projectId } = await params;
  // Billing off: there is no billing, and no page that says otherwise.
  if (!isBillingEnabled(getEnv())) notFound();
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}/billing`);
  const isOwner = can(project.role, "billing.manage");
  const [view, prices] = await Promise.all([orNotFound(loadBillingView(user.id, project.id)), isOwner ? loadPriceTexts() : null]);
  const search = await searchParams;
  const checkout = search.checkout === "success" || search.checkout === "cancelled" ? search.checkout : null;

  return (
    <>
      <main id="main" className="mx-auto max-w-5xl space-y-8 px-4 py-10">
        <h1 className="text-2xl font-semibold">Billing</h1>
        {checkout ? (
          <CheckoutStatus outcome={checkout} signature={planSignature(view)} isPaidActive={isPaidAndActive(view)} planName={PLANS[view.plan].name} />
        ) : null}
        <BillingNotices view={view} canManage={isOwner} isBillingPage />
        <PlanSummary view={view} manageSlot={isOwner && view.hasCustomer ? <ManageBillingButton projectId={project.id} /> : null} />
        <UsageMeters view={view} />
        <DailyUsageChart daily={view.daily} today={view.today} />
        {isOwner && prices ? (
          <PlanChooser projectId={project.id} currentPlan={view.plan} currentInterval={view.interval} prices={prices} />
        ) : (
          <p className="text-sm text-slate-600" data-testid="billing-owner-note">
            Only the project&apos;s owners change its plan or see invoices.
          </p>
        )}
      </main>
    </>
  );
}
