import "server-only";
// When a grace period after a failed payment ends without a payment, the project falls
// back to the free plan's limits (project-limits.ts decides that from graceEndsAt on
// every read, so nothing has to change at that moment and nothing is deleted). This
// records it in the project's audit log once, from the maintenance tick.
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";

/** Records billing.grace_ended once per ended grace period; returns how many it recorded. */
export async function recordEndedGraceLimits(now: Date = new Date()): Promise<number> {
  const db = getDb();
  // "Once": no billing.grace_ended for the project since that grace period ended.
  const ended = await db.$queryRaw<{ projectId: string; plan: string; graceEndsAt: Date }[]>`
    SELECT b."projectId"::text AS "projectId", b.plan::text AS plan, b."graceEndsAt" FROM project_billing b
    WHERE b."graceEndsAt" <= ${now} AND NOT EXISTS (
      SELECT 1 FROM audit_events e
      WHERE e."projectId" = b."projectId" AND e.action = 'billing.grace_ended' AND e.at >= b."graceEndsAt"
    )`;
  for (const row of ended) {
    await recordAuditEvent({
      action: "billing.grace_ended",
      projectId: row.projectId,
      details: { plan: row.plan, effectivePlan: "FREE", graceEndsAt: row.graceEndsAt.toISOString() },
    });
  }
  return ended.length;
}
