import "server-only";
// Opens Stripe's Customer Portal for the project's customer: invoices, payment method,
// plan changes and cancellation all happen on Stripe's pages, and come back as webhooks.
// Owners only (billing.manage); a project that never had a customer has nothing to manage.
import { rolesWith } from "@/lib/auth/permissions";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import type { TRequestMeta } from "../request-meta";
import { billingPageUrl } from "./create-checkout-session";
import { getStripe } from "./stripe-client";

export async function createPortalSession(userId: string, projectId: string, meta?: TRequestMeta): Promise<{ url: string }> {
  const stripe = getStripe(getEnv());
  const project = await getDb().project.findFirst({
    where: { id: projectId, memberships: { some: { userId, role: { in: rolesWith("billing.manage") } } } },
    select: { id: true, billing: { select: { stripeCustomerId: true } } },
  });
  if (!project) throw projectNotFound();
  const customer = project.billing?.stripeCustomerId;
  if (!customer) throw new AppError("CONFLICT", "This project has no billing account yet. Choose a plan first.");
  const session = await stripe.billingPortal.sessions.create({ customer, return_url: billingPageUrl(project.id) });
  await recordAuditEvent({ action: "billing.portal_opened", userId, projectId: project.id, meta });
  return { url: session.url };
}
