// Inputs of the billing actions. Strict: a plan, price, amount or customer id smuggled
// into the body is an error, never used; the price is looked up from the plan on the server.
import { z } from "@/lib/zod";
import { ZProjectId } from "@/lib/projects/schemas";
import { BILLING_INTERVALS, PAID_PLAN_IDS } from "./plans";

export const ZStartCheckoutInput = z.strictObject({
  projectId: ZProjectId,
  plan: z.enum(PAID_PLAN_IDS, "Choose Pro or Team."),
  interval: z.enum(BILLING_INTERVALS, "Choose monthly or yearly billing."),
});
export type TStartCheckoutInput = z.infer<typeof ZStartCheckoutInput>;

export const ZOpenBillingPortalInput = z.strictObject({ projectId: ZProjectId });
export type TOpenBillingPortalInput = z.infer<typeof ZOpenBillingPortalInput>;
