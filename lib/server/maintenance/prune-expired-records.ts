import "server-only";
import { PLAN_IDS, PLANS, type TPlanId } from "@/lib/billing/plans";
import { Prisma } from "@/prisma/generated/client";
import { effectivePlanSql } from "../billing/plan-limit-sql";
import { getDb } from "../db";

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long a webhook Idempotency-Key holds (receive-webhook.ts reads the same window). */
export const IDEMPOTENCY_WINDOW_MS = DAY_MS;
export const MIN_AUDIT_RETENTION_DAYS = 30;

export type TPruneResult = {
  auditEvents: number;
  userTokens: number;
  rateLimits: number;
  oauthStates: number;
  runs: number;
  runStates: number;
  stepSamples: number;
  webhookRequests: number;
  apiRunRequests: number;
};

export type TRunRetention = {
  runRetentionDays: number;
  runRetryWindowDays: number;
  /** Billing on: a project's finished runs are kept min(runRetentionDays, its plan's runRetentionDays) days. */
  isByPlan?: boolean;
};

/**
 * Deletes what has outlived its purpose: audit events older than the retention
 * (never less than 30 days, whatever the caller asks), used or expired emailed
 * tokens, expired rate-limit counters, OAuth authorizations never completed
 * (their state is single use, so a used one is already gone), and finished runs past
 * their retention (with billing on, fewer days for a project whose plan keeps them
 * fewer: its effective plan's runRetentionDays), and step-test samples as old (they are run data too), and webhook
 * Idempotency-Keys past their 24-hour window (a repeat after it starts a new run anyway;
 * without this, every key ever sent would stay, one row per call).
 */
export async function pruneExpiredRecords(
  auditRetentionDays: number,
  now = new Date(),
  retention: TRunRetention = { runRetentionDays: 30, runRetryWindowDays: 7 },
): Promise<TPruneResult> {
  const days = Math.max(MIN_AUDIT_RETENTION_DAYS, auditRetentionDays);
  const db = getDb();
  const auditEvents = await db.auditEvent.deleteMany({ where: { at: { lt: new Date(now.getTime() - days * DAY_MS) } } });
  const userTokens = await db.userToken.deleteMany({
    where: { OR: [{ expiresAt: { lt: now } }, { usedAt: { not: null } }] },
  });
  const rateLimits = await db.rateLimit.deleteMany({ where: { expire: { lt: now } } });
  const oauthStates = await db.oAuthState.deleteMany({ where: { expiresAt: { lt: now } } });
  // Finished runs past the retention go with their logs; past the retry window, a
  // finished run's sealed input and step results go (re-run and retry end there).
  const runs = { count: await pruneFinishedRuns(new Date(now.getTime() - retention.runRetentionDays * DAY_MS)) };
  if (retention.isByPlan) {
    for (const plan of PLAN_IDS) {
      const days = PLANS[plan].limits.runRetentionDays;
      if (days === null || days >= retention.runRetentionDays) continue;
      runs.count += await pruneFinishedRuns(new Date(now.getTime() - days * DAY_MS), plan);
    }
  }
  const runStates = await db.runState.deleteMany({
    where: { run: { finishedAt: { lt: new Date(now.getTime() - retention.runRetryWindowDays * DAY_MS) } } },
  });
  const stepSamples = await db.flowStepSample.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - retention.runRetentionDays * DAY_MS) } },
  });
  const idempotencyBefore = new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS);
  const webhookRequests = await pruneIdempotencyKeys("webhook_requests", idempotencyBefore);
  const apiRunRequests = await pruneIdempotencyKeys("api_run_requests", idempotencyBefore);
  return {
    auditEvents: auditEvents.count,
    userTokens: userTokens.count,
    rateLimits: rateLimits.count,
    oauthStates: oauthStates.count,
    runs: runs.count,
    runStates: runStates.count,
    stepSamples: stepSamples.count,
    webhookRequests,
    apiRunRequests,
  };
}

const RUNS_BATCH = 1000;

/**
 * In batches of RUNS_BATCH runs (each takes its step records and state with it, by
 * cascade): a day of a busy instance's runs past the retention is hundreds of
 * thousands of rows, and one statement would be one long transaction: on the embedded
 * database (one connection) every other query, run starts included, waits for all of
 * it, and on a server it holds back vacuum for its whole length. Between batches other
 * queries get a turn (bench/run-history.ts measures run starts during a 100k-run prune).
 * Each batch starts at the previous one's last finishedAt, so it does not wade through
 * the index entries of the rows just deleted (dead until vacuum; in the bench's 100k-run
 * prune this took it from 5.1 s to 3.9 s, one run each on a shared machine). No FOR
 * UPDATE SKIP LOCKED: nothing else holds a finished run's row, and locking first bought
 * nothing measurable.
 */
async function pruneFinishedRuns(before: Date, plan?: TPlanId): Promise<number> {
  const db = getDb();
  // With a plan: only runs of projects whose effective plan it is (plan-limit-sql.ts).
  const ofPlan = plan
    ? Prisma.sql`AND "projectId" IN (
        SELECT p.id FROM projects p LEFT JOIN project_billing b ON b."projectId" = p.id WHERE ${effectivePlanSql("b")} = ${plan}
      )`
    : Prisma.empty;
  let total = 0;
  let after = new Date(0);
  for (;;) {
    const [batch] = await db.$queryRaw<{ deleted: number; last: Date | null }[]>`
      WITH batch AS (
        SELECT id FROM flow_runs WHERE "finishedAt" >= ${after} AND "finishedAt" < ${before} ${ofPlan}
        ORDER BY "finishedAt" LIMIT ${RUNS_BATCH}
      ), gone AS (
        DELETE FROM flow_runs WHERE id IN (SELECT id FROM batch) RETURNING "finishedAt"
      )
      SELECT count(*)::int AS deleted, max("finishedAt") AS last FROM gone`;
    total += batch?.deleted ?? 0;
    if (!batch?.last || batch.deleted < RUNS_BATCH) return total;
    after = batch.last;
  }
}

const IDEMPOTENCY_KEYS_BATCH = 5000;
const IDEMPOTENCY_KEY_OWNER = { webhook_requests: '"flowId"', api_run_requests: '"apiKeyId"' } as const;

/**
 * Idempotency-Keys past their window, in batches: a busy address or API key with keys
 * on every call leaves millions of rows a day, and one statement deleting them all would
 * hold the (on the embedded database, only) connection and write one huge transaction;
 * between batches other queries get a turn. Each table's key is (owner, idempotencyKey);
 * REST API keys hold as long as webhook ones.
 */
async function pruneIdempotencyKeys(table: keyof typeof IDEMPOTENCY_KEY_OWNER, before: Date): Promise<number> {
  const db = getDb();
  // Identifiers cannot be bound parameters; both come from the fixed map above, never from input.
  const name = Prisma.raw(table);
  const owner = Prisma.raw(IDEMPOTENCY_KEY_OWNER[table]);
  let total = 0;
  for (;;) {
    const deleted = await db.$executeRaw`
      DELETE FROM ${name} WHERE (${owner}, "idempotencyKey") IN (
        SELECT ${owner}, "idempotencyKey" FROM ${name} WHERE "createdAt" < ${before} LIMIT ${IDEMPOTENCY_KEYS_BATCH}
      )`;
    total += deleted;
    if (deleted < IDEMPOTENCY_KEYS_BATCH) return total;
  }
}
