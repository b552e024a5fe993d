import "server-only";
// Re-seals every stored value that is not under the active (first) key of the ring.
//
// - Batches with keyset paging on the primary key, so a value that cannot be opened is
//   passed over instead of being read again and again.
// - Each rewrite is a compare-and-swap on the old ciphertext: a value edited between our
//   read and our write keeps the writer's version ("skipped: changed meanwhile"). A
//   writer seals under the active key already; one that still used the old key (an
//   instance started before the key change) is picked up by the next pass.
// - Resumable by construction: only values not yet under the active key are selected,
//   so an interrupted run is finished by running it again.
// - A value that fails to open (unknown key, tampered, copied from another row) is
//   reported by column and row id and left as it is; the run goes on. Values never
//   leave this function: not in errors, progress, results or the audit event.
import type { EncryptionKey } from "@/lib/env";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { openToBuffer, seal, SealError, sealedKeyId } from "@/lib/crypto/seal";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { getDb } from "@/lib/server/db";
import { quoteIdentifier as q, SEALED_COLUMNS, sealedColumnLabel, type TSealedColumn, type TSealedRow } from "./sealed-columns";

export const DEFAULT_ROTATION_BATCH_SIZE = 500;
/** A pass after the first only runs when writers changed values during the previous one. */
const MAX_PASSES = 3;

export type TRotationFailure = {
  column: string;
  id: string;
  reason: "key-not-configured" | "failed-to-open";
};

export type TRotationProgress = {
  column: string;
  /** Values handled so far in this column (re-sealed, skipped or failed). */
  processed: number;
  /** Values that were not under the active key when the column's passes began. */
  total: number;
  rotated: number;
  skippedChanged: number;
  failed: number;
};

export type TColumnRotation = TRotationProgress & { fromKeyIds: string[] };

export type TRotationResult = {
  toKeyId: string;
  /** False when stopped early (signal or maxBatches); run again to finish. */
  isComplete: boolean;
  columns: TColumnRotation[];
  failures: TRotationFailure[];
};

export type TRotateSealedValuesOptions = {
  /** The key ring; its first key is the target. Defaults to the configured ENCRYPTION_KEYS. */
  ring?: readonly EncryptionKey[];
  batchSize?: number;
  /** Stops between batches when aborted. */
  signal?: AbortSignal;
  /** Stops after this many batches over all columns (tests, cautious operators). */
  maxBatches?: number;
  onProgress?: (progress: TRotationProgress) => void;
  /**
   * Called after a batch is read and re-sealed, before its compare-and-swap. Lets tests
   * play a concurrent writer at the one moment that matters.
   */
  beforeWrite?: (column: string, ids: string[]) => Promise<void>;
  /** Who ran it, for the audit event (null for the operator command). */
  userId?: string | null;
  /** Defaults to every registered sealed column. */
  columns?: readonly TSealedColumn[];
};

async function countPending(entry: TSealedColumn, activePrefix: string): Promise<number> {
  const rows = await getDb().$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ${q(entry.table)} WHERE ${q(entry.column)} IS NOT NULL AND NOT starts_with(${q(entry.column)}, $1)`,
    activePrefix,
  );
  return rows[0]?.n ?? 0;
}

async function readBatch(entry: TSealedColumn, activePrefix: string, after: string[] | null, limit: number): Promise<TSealedRow[]> {
  const col = `t.${q(entry.column)}`;
  const keys = entry.primaryKey.map((k) => `t.${q(k.column)}`);
  const cursor = entry.primaryKey.map((k, i) => `$${i + 3}::${k.type}`);
  // Two statements rather than `($2 OR key > cursor)`: the OR would hide the range from
  // the planner, and every batch would scan the table from the start.
  const range = after === null ? "" : `AND (${keys.join(", ")}) > (${cursor.join(", ")})`;
  const contextNames = Object.keys(entry.context);
  const select = [
    ...keys.map((key, i) => `${key}::text AS "k${i}"`),
    `${col} AS "sealed"`,
    ...contextNames.map((name, i) => `(${entry.context[name]})::text AS "c${i}"`),
  ].join(", ");
  const rows = await getDb().$queryRawUnsafe<Record<string, string | null>[]>(
    `SELECT ${select} FROM ${q(entry.table)} AS t
      WHERE ${col} IS NOT NULL AND NOT starts_with(${col}, $1) ${range}
      ORDER BY ${keys.join(", ")} LIMIT $2::int`,
    activePrefix,
    limit,
    ...(after ?? []),
  );
  return rows.map((row) => {
    const key = entry.primaryKey.map((_, i) => row[`k${i}`] as string);
    return {
      key,
      id: key.join("/"),
      sealed: row.sealed as string,
      context: Object.fromEntries(contextNames.map((name, i) => [name, row[`c${i}`] ?? null])),
    };
  });
}

type TUpdate = { key: string[]; old: string; next: string };
const keyOf = (key: string[]) => JSON.stringify(key);

/** Writes each new value only where the column still holds the old one; returns the keys written. */
async function compareAndSwap(entry: TSealedColumn, updates: TUpdate[]): Promise<Set<string>> {
  if (updates.length === 0) return new Set();
  const col = q(entry.column);
  const alsoSet = entry.alsoSet ? `, ${entry.alsoSet}` : "";
  const keyColumns = entry.primaryKey.map((_, i) => `"k${i}"`);
  const arrays = ["$1::text[]", "$2::text[]", ...entry.primaryKey.map((_, i) => `$${i + 3}::text[]`)];
  const match = entry.primaryKey.map((k, i) => `t.${q(k.column)} = v."k${i}"::${k.type}`).join(" AND ");
  const written = await getDb().$queryRawUnsafe<Record<string, string>[]>(
    `UPDATE ${q(entry.table)} AS t SET ${col} = v."next"${alsoSet}
       FROM unnest(${arrays.join(", ")}) AS v("old", "next", ${keyColumns.join(", ")})
      WHERE ${match} AND t.${col} = v."old"
      RETURNING ${entry.primaryKey.map((k, i) => `t.${q(k.column)}::text AS "k${i}"`).join(", ")}`,
    updates.map((u) => u.old),
    updates.map((u) => u.next),
    ...entry.primaryKey.map((_, i) => updates.map((u) => u.key[i]!)),
  );
  return new Set(written.map((row) => keyOf(entry.primaryKey.map((_, i) => row[`k${i}`]!))));
}

function failureReason(sealed: string, ring: readonly EncryptionKey[]): TRotationFailure["reason"] {
  try {
    return ring.some((key) => key.id === sealedKeyId(sealed)) ? "failed-to-open" : "key-not-configured";
  } catch {
    return "failed-to-open";
  }
}

/** What one run carries from column to column. */
type TRotationRun = {
  ring: readonly EncryptionKey[];
  activePrefix: string;
  batchSize: number;
  options: TRotateSealedValuesOptions;
  failures: TRotationFailure[];
  batches: number;
  isComplete: boolean;
};

/** What one column carries from pass to pass. */
type TColumnState = {
  entry: TSealedColumn;
  stats: TColumnRotation;
  fromKeyIds: Set<string>;
  /** Rows that failed to open: reported once, however many passes see them again. */
  failedIds: Set<string>;
};

type TPendingUpdate = TUpdate & { id: string; keyId: string };

const shouldStop = (run: TRotationRun) =>
  run.options.signal?.aborted === true || (run.options.maxBatches !== undefined && run.batches >= run.options.maxBatches);

/** Opens each row with the ring and seals it again under the active key; a row that will not open is reported once. */
function resealRows(run: TRotationRun, column: TColumnState, rows: TSealedRow[]): TPendingUpdate[] {
  const { entry, stats, failedIds } = column;
  const updates: TPendingUpdate[] = [];
  for (const row of rows) {
    try {
      const context = entry.contextOf(row);
      const plaintext = openToBuffer(row.sealed, context, run.ring);
      updates.push({ key: row.key, id: row.id, old: row.sealed, next: seal(plaintext, context, run.ring), keyId: sealedKeyId(row.sealed) });
      plaintext.fill(0);
    } catch {
      if (!failedIds.has(keyOf(row.key))) {
        failedIds.add(keyOf(row.key));
        run.failures.push({ column: stats.column, id: row.id, reason: failureReason(row.sealed, run.ring) });
        stats.failed++;
        stats.processed++;
      }
    }
  }
  return updates;
}

/** Writes the re-sealed values (compare-and-swap) and counts each as rotated or changed meanwhile. */
async function writeResealed(run: TRotationRun, column: TColumnState, updates: TPendingUpdate[]): Promise<void> {
  const { entry, stats, fromKeyIds } = column;
  await run.options.beforeWrite?.(
    stats.column,
    updates.map((u) => u.id),
  );
  const written = await compareAndSwap(entry, updates);
  for (const update of updates) {
    if (written.has(keyOf(update.key))) {
      stats.rotated++;
      fromKeyIds.add(update.keyId);
    } else {
      stats.skippedChanged++;
    }
    stats.processed++;
  }
  stats.fromKeyIds = [...fromKeyIds].sort();
}

function reportProgress(run: TRotationRun, column: TColumnState): void {
  const { fromKeyIds: _, ...progress } = column.stats;
  run.options.onProgress?.(progress);
}

/** One pass over a column, batch by batch in key order; false when the run was told to stop. */
async function rotateColumnPass(run: TRotationRun, column: TColumnState, pass: number): Promise<boolean> {
  const pending = await countPending(column.entry, run.activePrefix);
  // Later passes only look again at values written meanwhile (failed ones stay pending).
  column.stats.total += pass === 1 ? pending : Math.max(0, pending - column.failedIds.size);
  let after: string[] | null = null;
  while (true) {
    if (shouldStop(run)) return false;
    const rows = await readBatch(column.entry, run.activePrefix, after, run.batchSize);
    if (rows.length === 0) return true;
    run.batches++;
    after = rows[rows.length - 1]!.key;
    const updates = resealRows(run, column, rows);
    await writeResealed(run, column, updates);
    reportProgress(run, column);
  }
}

/** A column's passes: another pass only when writers changed values during the last one. */
async function rotateColumn(run: TRotationRun, column: TColumnState): Promise<void> {
  const { stats } = column;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const skippedBefore = stats.skippedChanged;
    if (!(await rotateColumnPass(run, column, pass))) {
      run.isComplete = false;
      break;
    }
    if (stats.skippedChanged === skippedBefore) break;
  }
}

export async function rotateSealedValues(options: TRotateSealedValuesOptions = {}): Promise<TRotationResult> {
  const ring = options.ring ?? getAppSecrets().encryptionKeys;
  const active = ring[0];
  if (!active) throw new SealError("no encryption key is configured");
  const batchSize = options.batchSize ?? DEFAULT_ROTATION_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
    throw new RangeError("batchSize must be an integer from 1 to 10000");
  }
  const run: TRotationRun = { ring, activePrefix: `v1.${active.id}.`, batchSize, options, failures: [], batches: 0, isComplete: true };
  const columns: TColumnRotation[] = [];

  // A database error ends the run, but the audit event still records what was done.
  let error: unknown;
  try {
    for (const entry of options.columns ?? SEALED_COLUMNS) {
      const stats: TColumnRotation = { column: sealedColumnLabel(entry), processed: 0, total: 0, rotated: 0, skippedChanged: 0, failed: 0, fromKeyIds: [] };
      // Listed before its passes, so a database error mid-column still reports what it did.
      columns.push(stats);
      await rotateColumn(run, { entry, stats, fromKeyIds: new Set(), failedIds: new Set() });
      if (!run.isComplete) break;
    }
  } catch (caught) {
    error = caught;
    run.isComplete = false;
  }
  const { failures, isComplete } = run;

  await recordAuditEvent({
    action: "keys.rotated",
    userId: options.userId ?? null,
    outcome: failures.length > 0 || error !== undefined ? "failure" : "success",
    details: {
      toKeyId: active.id,
      isComplete,
      columns: Object.fromEntries(
        columns.map((c) => [c.column, { rotated: c.rotated, skippedChanged: c.skippedChanged, failed: c.failed, fromKeyIds: c.fromKeyIds }]),
      ),
      // Row ids only (never values), so an operator can find what could not be opened.
      failures: failures.slice(0, 50).map((f) => ({ column: f.column, id: f.id, reason: f.reason })),
    },
  });
  if (error !== undefined) throw error;
  return { toKeyId: active.id, isComplete, columns, failures };
}
