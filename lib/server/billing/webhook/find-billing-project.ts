import "server-only";
// The project a Stripe object belongs to is the one whose billing row holds its
// customer (written by Checkout before the customer could pay). Ids the object carries
// (client_reference_id, metadata.projectId) must agree with it, or nothing changes: a
// session or subscription naming one project with another's customer moves nothing.
import { getLogger } from "@/lib/log";
import { getDb } from "../../db";

export async function findBillingProject(customerId: string | null, claimed: (string | null | undefined)[] = []): Promise<string | null> {
  if (!customerId) return null;
  const row = await getDb().projectBilling.findUnique({ where: { stripeCustomerId: customerId }, select: { projectId: true } });
  if (!row) return null;
  if (claimed.some((projectId) => projectId && projectId !== row.projectId)) {
    getLogger().warn({ projectId: row.projectId }, "stripe event names another project than its customer's; ignored");
    return null;
  }
  return row.projectId;
}
