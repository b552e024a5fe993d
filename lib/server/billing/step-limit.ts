import "server-only";
// Whether a project may start runs now, under its plan's monthly step executions, and
// the one notice per period when it may not. Only asked with billing on: with billing
// off, starting a run reads nothing here.
//
// The answer is cached per project for up to two seconds (never past the period's
// end), so a webhook flood costs two small reads per project every two seconds, not
// per run. The price is exactness at the edge: runs started in those two seconds after
// the limit is reached still run, as do runs already queued or running; their steps
// are counted all the same. Releasing held runs forgets the project's answer.
import { getLogger } from "@/lib/log";
import { getMailer, sendMailInBackground, type Mailer } from "@/lib/mail/mailer";
import { usageLimitMessage } from "@/lib/mail/usage-limit-template";
import type { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { countPeriodStepExecutions } from "./period-usage";
import { getProjectPlan } from "./project-limits";

export const STEP_ALLOWANCE_CACHE_MS = 2_000;
const MAX_CACHED_PROJECTS = 10_000;

export type TStepAllowance = {
  isOverLimit: boolean;
  limit: number | null;
  used: number;
  period: { start: Date; end: Date };
};

const cache = new Map<string, { until: number; value: TStepAllowance }>();
const noticedPeriods = new Set<string>();

/** The project's step executions this period against its plan's limit (two indexed reads, or none when cached). */
export async function getStepAllowance(projectId: string, db: Prisma.TransactionClient = getDb()): Promise<TStepAllowance> {
  const now = Date.now();
  const hit = cache.get(projectId);
  if (hit && hit.until > now) return hit.value;
  const plan = await getProjectPlan(projectId, new Date(now), db);
  const limit = plan.limits.stepExecutionsPerMonth;
  const used = limit === null ? 0 : await countPeriodStepExecutions(projectId, plan.period.start, db);
  const value: TStepAllowance = { isOverLimit: limit !== null && used >= limit, limit, used, period: plan.period };
  if (cache.size >= MAX_CACHED_PROJECTS) cache.clear();
  cache.set(projectId, { until: Math.min(now + STEP_ALLOWANCE_CACHE_MS, plan.period.end.getTime()), value });
  return value;
}

/** Drops the cached answer (after a plan change or a release), or every answer. */
export function forgetStepAllowance(projectId?: string): void {
  if (projectId) cache.delete(projectId);
  else cache.clear();
}

/**
 * A run was held: the first time in a period, records billing.limit_reached and
 * run.held (once per period, not per run: a webhook flood would fill the audit log)
 * and mails the owners. ProjectBilling.limitNoticePeriod decides "first" atomically.
 */
export async function noteRunHeld(
  projectId: string,
  allowance: TStepAllowance,
  run: { runId: string; flowId: string },
  mailer: Mailer | null = getMailer(),
): Promise<boolean> {
  // The run is already stored: a failed notice must not turn its start into an error
  // (a webhook caller would retry and be held twice).
  try {
    return await recordNotice(projectId, allowance, run, mailer);
  } catch (error) {
    getLogger().warn({ projectId, err: { name: (error as Error)?.name } }, "recording the step-limit notice failed");
    return false;
  }
}

async function recordNotice(projectId: string, allowance: TStepAllowance, run: { runId: string; flowId: string }, mailer: Mailer | null): Promise<boolean> {
  const db = getDb();
  const start = allowance.period.start;
  // This process already saw the notice for this period: no statement per held run.
  const noticed = `${projectId}/${start.getTime()}`;
  if (noticedPeriods.has(noticed)) return false;
  // The notice and its audit events are one transaction: both or neither.
  const isFirst = await db.$transaction(async (tx) => {
    const first = await tx.$queryRaw<{ projectId: string }[]>`
      INSERT INTO project_billing ("projectId", "limitNoticePeriod", "updatedAt") VALUES (${projectId}::uuid, ${start}, now())
      ON CONFLICT ("projectId") DO UPDATE SET "limitNoticePeriod" = EXCLUDED."limitNoticePeriod", "updatedAt" = now()
      WHERE project_billing."limitNoticePeriod" IS NULL OR project_billing."limitNoticePeriod" < EXCLUDED."limitNoticePeriod"
      RETURNING "projectId"::text AS "projectId"`;
    if (first.length === 0) return false;
    const details = {
      limit: "stepExecutionsPerMonth",
      value: allowance.limit,
      used: allowance.used,
      periodStart: start.toISOString(),
      periodEnd: allowance.period.end.toISOString(),
    };
    await recordAuditEvent({ action: "billing.limit_reached", projectId, details }, tx);
    await recordAuditEvent({ action: "run.held", projectId, details: { runId: run.runId, flowId: run.flowId, firstThisPeriod: true } }, tx);
    return true;
  });
  if (noticedPeriods.size >= MAX_CACHED_PROJECTS) noticedPeriods.clear();
  noticedPeriods.add(noticed);
  if (!isFirst) return false;
  await mailOwners(projectId, allowance, mailer);
  return true;
}

async function mailOwners(projectId: string, allowance: TStepAllowance, mailer: Mailer | null): Promise<void> {
  if (!mailer || allowance.limit === null) {
    if (!mailer) getLogger().warn({ projectId }, "step limit reached; mail is not configured, owners not notified");
    return;
  }
  const project = await getDb().project.findUnique({
    where: { id: projectId },
    select: { name: true, memberships: { where: { role: "OWNER" }, select: { user: { select: { email: true } } } } },
  });
  for (const { user } of project?.memberships ?? []) {
    sendMailInBackground(
      mailer,
      usageLimitMessage({ to: user.email, projectId, projectName: project!.name, limit: allowance.limit, periodEnd: allowance.period.end }),
    );
  }
}
