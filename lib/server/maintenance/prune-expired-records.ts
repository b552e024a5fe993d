import "server-only";
import { getDb } from "../db";

const DAY_MS = 24 * 60 * 60 * 1000;
export const MIN_AUDIT_RETENTION_DAYS = 30;

export type TPruneResult = { auditEvents: number; userTokens: number; rateLimits: number };

/**
 * Deletes what has outlived its purpose: audit events older than the retention
 * (never less than 30 days, whatever the caller asks), used or expired emailed
 * tokens, and expired rate-limit counters.
 */
export async function pruneExpiredRecords(auditRetentionDays: number, now = new Date()): Promise<TPruneResult> {
  const days = Math.max(MIN_AUDIT_RETENTION_DAYS, auditRetentionDays);
  const db = getDb();
  const auditEvents = await db.auditEvent.deleteMany({ where: { at: { lt: new Date(now.getTime() - days * DAY_MS) } } });
  const userTokens = await db.userToken.deleteMany({
    where: { OR: [{ expiresAt: { lt: now } }, { usedAt: { not: null } }] },
  });
  const rateLimits = await db.rateLimit.deleteMany({ where: { expire: { lt: now } } });
  return { auditEvents: auditEvents.count, userTokens: userTokens.count, rateLimits: rateLimits.count };
}
