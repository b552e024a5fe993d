import "server-only";
import type { TAccessRecord } from "@/lib/web/access-record";
import type { AccessRecord } from "@/prisma/generated/client";

/**
 * A stored row as the record it was written from (lib/web/access-record.ts): the one
 * shape the owners' page and the operator's export start from. Bytes are a bigint
 * column; a response never comes near 2^53, so a number is exact.
 */
export function accessRecordOfRow(row: AccessRecord): TAccessRecord {
  return {
    time: row.time,
    method: row.method,
    route: row.route,
    status: row.status,
    durationMs: row.durationMs,
    bytes: Number(row.bytes),
    clientIp: row.clientIp,
    userId: row.userId,
    projectId: row.projectId,
    requestId: row.requestId,
    userAgent: row.userAgent,
  };
}
