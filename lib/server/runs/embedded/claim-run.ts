import "server-only";
import { getEnv, isBillingEnabled } from "@/lib/env";
import { planLimitText } from "../../billing/plan-limit-sql";
import { hotQuery } from "../../db";

export const LEASE_MS = 30_000;

// A project's cap on runs executing at once: the setting ($2), and with billing on also
// its effective plan's concurrentRuns (read through a join on project_billing's primary
// key; past graceEndsAt the plan is FREE, as in resolveProjectPlan). The statement's text
// is fixed per billing mode.
const PLAN_CAP_SQL = planLimitText("b", "concurrentRuns", "$2::int");

const LOADED_RUN_COLUMNS = `r.id::text AS id, r."projectId"::text AS "projectId", r."flowId"::text AS "flowId",
  r."versionId"::text AS "versionId", r."cancelRequestedAt" IS NOT NULL AS "isCancelRequested",
  (SELECT json_agg(json_build_object('k', s."stepKey", 'v', s."valueSealed")) FROM run_state s WHERE s."runId" = r.id) AS state,
  (SELECT w."signingSecretSealed" FROM flow_webhooks w WHERE w."flowId" = r."flowId") AS "webhookSecretSealed",
  r."parentRunId"::text AS "parentRunId", r."parentWaitKey"`;

// $1 owner, $2 the per-project setting, $3 how many, $4 the lease in seconds.
function claimSql(isByPlan: boolean): string {
  const billing = isByPlan ? `LEFT JOIN project_billing b ON b."projectId" = r."projectId"` : "";
  const cap = isByPlan ? PLAN_CAP_SQL : "$2::int";
  const runningBilling = isByPlan ? `LEFT JOIN project_billing b ON b."projectId" = running."projectId"` : "";
  return `
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
      LIMIT $3
      FOR UPDATE OF r SKIP LOCKED
    ), ranked AS (
      -- Several due runs of one project share the project's free slots.
      SELECT id, cap, n + row_number() OVER (PARTITION BY "projectId" ORDER BY "dueAt", id) AS slot FROM due
    ), claimed AS (
      UPDATE flow_runs r SET
        "leaseOwner" = $1,
        "leaseUntil" = now() + make_interval(secs => $4),
        status = 'RUNNING',
        "startedAt" = coalesce(r."startedAt", now()),
        "wakeAt" = NULL
      WHERE r.id IN (SELECT id FROM ranked WHERE slot <= cap)
      RETURNING ${LOADED_RUN_COLUMNS}
    ), capped AS (
      -- Whether some project is (or is now) at its cap: its next run may wait for a slot to free.
      SELECT EXISTS (SELECT 1 FROM ranked WHERE slot >= cap)
        OR EXISTS (SELECT 1 FROM running ${runningBilling} WHERE running.n >= ${cap}) AS "isCapped"
    )
    SELECT claimed.*, capped."isCapped" FROM capped LEFT JOIN claimed ON true`;
}

const CLAIM_SQL = claimSql(false);
const CLAIM_BY_PLAN_SQL = claimSql(true);

export type TClaim = {
  runs: TLoadedRun[];
  /**
   * Whether a project was at its cap of runs executing at once (before or with this
   * claim): a run of it may be due and waiting for a slot, so a slot freeing is worth a
   * claim even without a nudge.
   */
  isCapped: boolean;
};

/**
 * Takes up to `count` runs that are due (queued, or sleeping past their wake time, or
 * left by a worker that died: its lease ran out), for this worker, in one statement.
 * Projects at their limit of runs executing at once are passed over, so excess runs
 * wait instead of being dropped; running runs are counted once per project per claim,
 * not once per queued row, so a claim's cost does not grow with the queue's depth.
 * SKIP LOCKED lets several app instances claim side by side without blocking.
 */
export async function claimDueRunsReporting(owner: string, perProjectLimit: number, count: number): Promise<TClaim> {
  // With billing on, a project's cap is the smaller of the setting and its plan's
  // concurrentRuns; with billing off the statement is the plain one, nothing about plans is read.
  const isByPlan = isBillingEnabled(getEnv());
  const rows = await hotQuery<TLoadedRun & { isCapped: boolean }>(
    isByPlan ? "vf_claim_runs_by_plan" : "vf_claim_runs",
    isByPlan ? CLAIM_BY_PLAN_SQL : CLAIM_SQL,
    [owner, perProjectLimit, count, LEASE_MS / 1000],
  );
  const runs: TLoadedRun[] = [];
  for (const { isCapped: _isCapped, ...run } of rows) if (run.id !== null) runs.push(run);
  return { runs, isCapped: rows[0]?.isCapped === true };
}

/** Takes up to `count` due runs for this worker (see claimDueRunsReporting). */
export async function claimDueRuns(owner: string, perProjectLimit: number, count: number): Promise<TLoadedRun[]> {
  return (await claimDueRunsReporting(owner, perProjectLimit, count)).runs;
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

const LOAD_RUN_SQL = `SELECT ${LOADED_RUN_COLUMNS} FROM flow_runs r WHERE r.id = $1::uuid`;

/** A run and its memoized steps, in one round trip (when it was not read with its claim). */
export async function loadRun(runId: string): Promise<TLoadedRun | null> {
  const rows = await hotQuery<TLoadedRun>("vf_load_run", LOAD_RUN_SQL, [runId]);
  return rows[0] ?? null;
}

const RENEW_LEASE_SQL = `UPDATE flow_runs SET "leaseUntil" = now() + make_interval(secs => $3)
  WHERE id = $1::uuid AND "leaseOwner" = $2 AND status = 'RUNNING' RETURNING 1 AS kept`;

/** Keeps the lease while the worker is busy; false when another worker took the run over. */
export async function renewLease(runId: string, owner: string): Promise<boolean> {
  const rows = await hotQuery<{ kept: number }>("vf_renew_lease", RENEW_LEASE_SQL, [runId, owner, LEASE_MS / 1000]);
  return rows.length === 1;
}
