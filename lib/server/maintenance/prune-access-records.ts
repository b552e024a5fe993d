import "server-only";
import { getDb } from "../db";

const DAY_MS = 24 * 60 * 60 * 1000;
/** The security promise: access records are kept at least this long, whatever is configured. */
export const MIN_ACCESS_LOG_RETENTION_DAYS = 30;
const BATCH = 10_000;

/**
 * Deletes access records older than the retention, oldest first, in batches: a busy
 * instance writes millions of rows a day, and one statement deleting a day of them
 * would hold the (on the embedded database, only) connection and write one huge
 * transaction. Rows arrive in time order, so the BRIN index on "time" narrows each
 * batch to the first blocks of the table. The retention is clamped to 30 days here as
 * well as in lib/env.ts, so no caller can prune younger records.
 */
export async function pruneAccessRecords(retentionDays: number, now = new Date()): Promise<number> {
  const days = Math.max(MIN_ACCESS_LOG_RETENTION_DAYS, retentionDays);
  const before = new Date(now.getTime() - days * DAY_MS);
  const db = getDb();
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM access_records WHERE id IN (
        SELECT id FROM access_records WHERE "time" < ${before} LIMIT ${BATCH}
      )`;
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
