import "server-only";
import { getDb } from "../db";
import type { TAccessRecord } from "@/lib/web/access-record";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (value: string | null) => (value && UUID.test(value) ? value : null);

/**
 * One INSERT per batch (the buffer hands over at most 500), with one array per column
 * through unnest: a single statement with 11 parameters whatever the batch size, about
 * ten times faster than createMany's row-by-row values, so the writer keeps far ahead
 * of the request rate. Ids that are not UUIDs (a typed-in /projects/<anything> path)
 * are stored as null: one odd path must not make the whole batch fail on the uuid column.
 * Times are UTC ISO strings: a zone in a literal cast to timestamp is ignored, and
 * Prisma stores DateTime as UTC in a timestamp column.
 */
export async function writeAccessRecords(records: TAccessRecord[]): Promise<void> {
  if (records.length === 0) return;
  await getDb().$executeRaw`
    INSERT INTO access_records
      ("time", method, route, status, "durationMs", bytes, "clientIp", "userId", "projectId", "requestId", "userAgent")
    SELECT * FROM unnest(
      ${records.map((r) => r.time.toISOString())}::timestamp(3)[],
      ${records.map((r) => r.method)}::text[],
      ${records.map((r) => r.route)}::text[],
      ${records.map((r) => String(r.status))}::smallint[],
      ${records.map((r) => String(r.durationMs))}::real[],
      ${records.map((r) => String(r.bytes))}::bigint[],
      ${records.map((r) => r.clientIp)}::text[],
      ${records.map((r) => uuidOrNull(r.userId))}::uuid[],
      ${records.map((r) => uuidOrNull(r.projectId))}::uuid[],
      ${records.map((r) => r.requestId)}::text[],
      ${records.map((r) => r.userAgent)}::text[]
    )`;
}
