import "server-only";
// How many stored values each key id still protects, per sealed column, so an operator
// knows when an old key can leave ENCRYPTION_KEYS (when it protects nothing). Reads only
// the key id out of each value (the second dot-separated field of the v1 format).
import { getDb } from "@/lib/server/db";
import { quoteIdentifier as q, SEALED_COLUMNS, sealedColumnLabel, type TSealedColumn } from "./sealed-columns";

export type TSealedValueCount = { column: string; keyId: string; count: number };

/** One row per column and key id that has values, ordered by column then key id. */
export async function countSealedValuesByKey(columns: readonly TSealedColumn[] = SEALED_COLUMNS): Promise<TSealedValueCount[]> {
  const counts: TSealedValueCount[] = [];
  for (const entry of columns) {
    const col = q(entry.column);
    const rows = await getDb().$queryRawUnsafe<{ keyId: string; count: number }[]>(
      `SELECT split_part(${col}, '.', 2) AS "keyId", count(*)::int AS "count"
         FROM ${q(entry.table)} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    for (const row of rows) counts.push({ column: sealedColumnLabel(entry), keyId: row.keyId, count: row.count });
  }
  return counts;
}
