import { BillingNotices } from "@/components/billing/billing-banner";
import { can, type TProjectRole } from "@/lib/auth/permissions";
import type { TBillingView } from "@/lib/billing/billing-view";
import { getEnv, isBillingEnabled } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { loadBillingView } from "@/lib/server/billing/load-billing-view";

/**
 * The notice a project's pages carry while runs are held by the plan's step limit or a
 * failed payment runs on grace. Nothing at all with billing off, or when neither holds.
 * A server component of the app (it reads through the data layer); the markup is
 * BillingNotices.
 */
export async function BillingBanner({ userId, project }: { userId: string; project: { id: string; role: TProjectRole } }) {
  if (!isBillingEnabled(getEnv())) return null;
  let view: TBillingView;
  try {
    view = await loadBillingView(userId, project.id);
  } catch (error) {
    // The page itself answers for a project the user cannot see; the banner just stays away.
    if (error instanceof AppError && error.code === "NOT_FOUND") return null;
    throw error;
  }
  return <BillingNotices view={view} canManage={can(project.role, "billing.manage")} />;
}
