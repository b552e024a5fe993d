import "server-only";
import type { TAccessRecord } from "@/lib/web/access-record";
import { getDb } from "../db";
import { accessRecordOfRow } from "./access-record-dto";

/** A record as written, its time as ISO text (the export is JSON lines). */
export type TExportedAccessRecord = Omit<TAccessRecord, "time"> & { time: string };

const BATCH = 5000;

/**
 * The whole access log in [since, until), for the operator's export command (no
 * project scope: the operator owns the database). The id range is found once through
 * the BRIN index on time; pages then walk the primary key, so each page costs the
 * same however far into the range it is. Ids follow insertion order, which is time
 * order up to the one-second flush: records come out in that order.
 */
export async function* exportAccessRecords(since: Date, until: Date): AsyncGenerator<TExportedAccessRecord> {
  const db = getDb();
  const bounds = await db.accessRecord.aggregate({
    where: { time: { gte: since, lt: until } },
    _min: { id: true },
    _max: { id: true },
  });
  const first = bounds._min.id;
  const last = bounds._max.id;
  if (first === null || last === null) return;
  let after = first - 1n;
  while (after < last) {
    const rows = await db.accessRecord.findMany({
      where: { id: { gt: after, lte: last }, time: { gte: since, lt: until } },
      orderBy: { id: "asc" },
      take: BATCH,
    });
    if (rows.length === 0) return;
    for (const row of rows) {
      const record = accessRecordOfRow(row);
      yield { ...record, time: record.time.toISOString() };
    }
    after = rows[rows.length - 1]!.id;
  }
}
