import "server-only";
import { getDb } from "../../db";

export const LEASE_MS = 30_000;

/**
 * Takes the next run that is due (queued, or sleeping past its wake time, or left by
 * a worker that died: its lease ran out), for this worker. Projects at their limit of
 * runs executing at once are passed over, so excess runs wait instead of being dropped.
 * SKIP LOCKED lets several app instances claim side by side without blocking.
 */
export async function claimNextRun(owner: string, perProjectLimit: number): Promise<string | null> {
  const rows = await getDb().$queryRaw<{ id: string }[]>`
    UPDATE flow_runs SET
      "leaseOwner" = ${owner},
      "leaseUntil" = now() + make_interval(secs => ${LEASE_MS / 1000}),
      status = 'RUNNING',
      "startedAt" = coalesce("startedAt", now()),
      "wakeAt" = NULL
    WHERE id = (
      SELECT r.id FROM flow_runs r
      WHERE r.status IN ('QUEUED', 'RUNNING')
        AND (r."wakeAt" IS NULL OR r."wakeAt" <= now())
        AND (r."leaseUntil" IS NULL OR r."leaseUntil" < now())
        AND (
          SELECT count(*) FROM flow_runs x
          WHERE x."projectId" = r."projectId" AND x."leaseUntil" >= now() AND x.status = 'RUNNING'
        ) < ${perProjectLimit}
      ORDER BY coalesce(r."wakeAt", r."createdAt"), r.id
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id`;
  return rows[0]?.id ?? null;
}

/** Keeps the lease while the worker is busy; false when another worker took the run over. */
export async function renewLease(runId: string, owner: string): Promise<boolean> {
  const updated = await getDb().flowRun.updateMany({
    where: { id: runId, leaseOwner: owner, status: "RUNNING" },
    data: { leaseUntil: new Date(Date.now() + LEASE_MS) },
  });
  return updated.count === 1;
}
