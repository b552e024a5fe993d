import "server-only";
// The project's Stripe customer, made once. Two owners (or two tabs) pressing "Upgrade"
// at the same moment both reach customers.create: the idempotency key derived from the
// project id makes Stripe answer both with the same customer, and the row is written
// only where no customer is stored yet, so one id wins and both sessions use it.
import type Stripe from "stripe";
import { getDb } from "../db";

/** The parameters never vary for a project: Stripe refuses a reused key with other parameters. */
function customerParams(projectId: string): Stripe.CustomerCreateParams {
  return { description: `Vaultflow project ${projectId}`, metadata: { projectId } };
}

export async function ensureStripeCustomer(stripe: Stripe, projectId: string): Promise<string> {
  const db = getDb();
  const existing = await db.projectBilling.findUnique({ where: { projectId }, select: { stripeCustomerId: true } });
  if (existing?.stripeCustomerId) return existing.stripeCustomerId;
  const customer = await stripe.customers.create(customerParams(projectId), { idempotencyKey: `vaultflow-customer-${projectId}` });
  await db.projectBilling.createMany({ data: [{ projectId }], skipDuplicates: true });
  await db.projectBilling.updateMany({ where: { projectId, stripeCustomerId: null }, data: { stripeCustomerId: customer.id } });
  const stored = await db.projectBilling.findUniqueOrThrow({ where: { projectId }, select: { stripeCustomerId: true } });
  return stored.stripeCustomerId ?? customer.id;
}
