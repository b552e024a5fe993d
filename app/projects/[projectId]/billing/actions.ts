"use server";

import { ZOpenBillingPortalInput, ZStartCheckoutInput } from "@/lib/billing/billing-action-schemas";
import { defineAction } from "@/lib/server/action";
import { createCheckoutSession } from "@/lib/server/billing/create-checkout-session";
import { createPortalSession } from "@/lib/server/billing/create-portal-session";

// "billing.manage" (owners) is checked inside each data function's query, and with
// billing off both answer "not found": the browser gets only the Stripe page to open.

export const startCheckoutAction = defineAction({ input: ZStartCheckoutInput, auth: "user" }, async (input, { user, meta }) => {
  const { url } = await createCheckoutSession(user.id, input.projectId, { plan: input.plan, interval: input.interval }, meta);
  return { url };
});

export const openBillingPortalAction = defineAction({ input: ZOpenBillingPortalInput, auth: "user" }, async (input, { user, meta }) => {
  const { url } = await createPortalSession(user.id, input.projectId, meta);
  return { url };
});
