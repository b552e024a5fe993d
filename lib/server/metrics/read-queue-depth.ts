import "server-only";
// Queue depth for /api/metrics: one grouped COUNT over the unfinished runs (the
// (status, wakeAt) index holds them), cached briefly so a scraper, or several, cannot
// turn scrapes into database load.
import { getDb } from "../db";
import { withTimeout } from "../health/with-timeout";
import { QUEUE_STATES, type TQueueState } from "@/lib/metrics/registry";

export type TQueueDepth = Record<TQueueState, number>;

const CACHE_MS = 5_000;
let cached: { at: number; depth: Promise<TQueueDepth> } | null = null;

/**
 * Sleeping: waiting for its wake time (a Wait step or a retry's back-off), whatever the
 * status column says. Queued: waiting for a worker. Running: claimed by a worker.
 */
async function countRuns(): Promise<TQueueDepth> {
  const rows = await getDb().$queryRaw<{ state: TQueueState; n: number }[]>`
    SELECT CASE
             WHEN "wakeAt" > now() THEN 'sleeping'
             WHEN status = 'QUEUED' THEN 'queued'
             ELSE 'running'
           END AS state,
           count(*)::int AS n
    FROM flow_runs
    WHERE status IN ('QUEUED', 'RUNNING')
    GROUP BY 1`;
  const depth = Object.fromEntries(QUEUE_STATES.map((state) => [state, 0])) as TQueueDepth;
  for (const row of rows) depth[row.state] = row.n;
  return depth;
}

/** The counts, at most CACHE_MS old; concurrent scrapes share one query. Rejects on a failed or slow query. */
export function readQueueDepth(now = Date.now()): Promise<TQueueDepth> {
  if (!cached || now - cached.at >= CACHE_MS) {
    const depth = withTimeout(countRuns(), 2_000, "queue depth query");
    cached = { at: now, depth };
    // A failure is not cached: the next scrape asks again.
    depth.catch(() => {
      if (cached?.depth === depth) cached = null;
    });
  }
  return cached.depth;
}

/** Tests: forget the cached counts. */
export function forgetQueueDepth(): void {
  cached = null;
}
