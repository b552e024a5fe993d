import "server-only";
import { getEnv, isBillingEnabled } from "@/lib/env";
import { Prisma } from "@/prisma/generated/client";
import { planLimitSql } from "../../billing/plan-limit-sql";
import { getDb } from "../../db";

export const LEASE_MS = 30_000;

/**
 * Takes up to `count` runs that are due (queued, or sleeping past their wake time, or
 * left by a worker that died: its lease ran out), for this worker, in one statement.
 * Projects at their limit of runs executing at once are passed over, so excess runs
 * wait instead of being dropped; running runs are counted once per project per claim,
 * not once per queued row, so a claim's cost does not grow with the queue's depth.
 * SKIP LOCKED lets several app instances claim side by side without blocking.
 */
export async function claimDueRuns(owner: string, perProjectLimit: number, count: number): Promise<TLoadedRun[]> {
  // With billing on, a project's cap is the smaller of the setting and its plan's
  // concurrentRuns, read in this statement (a join on project_billing's primary key);
  // with billing off the statement is the plain one, nothing about plans is read.
  const isByPlan = isBillingEnabled(getEnv());
  const billing = isByPlan ? Prisma.sql`LEFT JOIN project_billing b ON b."projectId" = r."projectId"` : Prisma.empty;
  const cap = isByPlan ? planLimitSql("b", "concurrentRuns", perProjectLimit) : Prisma.sql`${perProjectLimit}::int`;
  return getDb().$queryRaw<TLoadedRun[]>`
    WITH running AS (
      SELECT "projectId", count(*)::int AS n FROM flow_runs
      WHERE status = 'RUNNING' AND "leaseUntil" >= now()
      GROUP BY "projectId"
    ), due AS (
      SELECT r.id, r."projectId", coalesce(r."wakeAt", r."createdAt") AS "dueAt", coalesce(running.n, 0) AS n, ${cap} AS cap
      FROM flow_runs r LEFT JOIN running ON running."projectId" = r."projectId" ${billing}
      WHERE r.status IN ('QUEUED', 'RUNNING')
        AND (r."wakeAt" IS NULL OR r."wakeAt" <= now())
        AND (r."leaseUntil" IS NULL OR r."leaseUntil" < now())
        AND coalesce(running.n, 0) < ${cap}
      ORDER BY coalesce(r."wakeAt", r."createdAt"), r.id
      LIMIT ${count}
      FOR UPDATE OF r SKIP LOCKED
    ), allowed AS (
      -- Several due runs of one project share the project's free slots.
      SELECT id FROM (
        SELECT id, cap, n + row_number() OVER (PARTITION BY "projectId" ORDER BY "dueAt", id) AS slot FROM due
      ) ranked
      WHERE slot <= cap
    )
    UPDATE flow_runs r SET
      "leaseOwner" = ${owner},
      "leaseUntil" = now() + make_interval(secs => ${LEASE_MS / 1000}),
      status = 'RUNNING',
      "startedAt" = coalesce(r."startedAt", now()),
      "wakeAt" = NULL
    WHERE r.id IN (SELECT id FROM allowed)
    RETURNING ${LOADED_RUN_COLUMNS}`;
}

/** Takes the next due run for this worker (see claimDueRuns). */
export async function claimNextRun(owner: string, perProjectLimit: number): Promise<string | null> {
  return (await claimDueRuns(owner, perProjectLimit, 1))[0]?.id ?? null;
}

/** What executing a run needs from the database, read with the claim (or on its own: loadRun). */
export type TLoadedRun = {
  id: string;
  projectId: string;
  flowId: string;
  versionId: string;
  isCancelRequested: boolean;
  /** The run's memoized steps, still sealed. */
  state: { k: string; v: string }[] | null;
  /** For the scrubber: the flow's webhook signing secret, sealed. */
  webhookSecretSealed: string | null;
  /** A sub-flow's run: the run to signal when it ends, and the key. */
  parentRunId: string | null;
  parentWaitKey: string | null;
};

const LOADED_RUN_COLUMNS = Prisma.sql`r.id::text AS id, r."projectId"::text AS "projectId", r."flowId"::text AS "flowId",
  r."versionId"::text AS "versionId", r."cancelRequestedAt" IS NOT NULL AS "isCancelRequested",
  (SELECT json_agg(json_build_object('k', s."stepKey", 'v', s."valueSealed")) FROM run_state s WHERE s."runId" = r.id) AS state,
  (SELECT w."signingSecretSealed" FROM flow_webhooks w WHERE w."flowId" = r."flowId") AS "webhookSecretSealed",
  r."parentRunId"::text AS "parentRunId", r."parentWaitKey"`;

/** A run and its memoized steps, in one round trip (when it was not read with its claim). */
export async function loadRun(runId: string): Promise<TLoadedRun | null> {
  const rows = await getDb().$queryRaw<TLoadedRun[]>`SELECT ${LOADED_RUN_COLUMNS} FROM flow_runs r WHERE r.id = ${runId}::uuid`;
  return rows[0] ?? null;
}

/** Keeps the lease while the worker is busy; false when another worker took the run over. */
export async function renewLease(runId: string, owner: string): Promise<boolean> {
  const updated = await getDb().flowRun.updateMany({
    where: { id: runId, leaseOwner: owner, status: "RUNNING" },
    data: { leaseUntil: new Date(Date.now() + LEASE_MS) },
  });
  return updated.count === 1;
}
