import "server-only";
// Held runs (accepted while the project was over its monthly step executions) go back
// to the queue, oldest first, as far as the plan now allows. Internal: called after a
// plan change (Stripe webhooks) and by the maintenance tick; callers authorize.
import { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { dispatchRuns } from "../runs/dispatch-run";
import { countPeriodStepExecutions } from "./period-usage";
import { getProjectPlan } from "./project-limits";
import { forgetStepAllowance } from "./step-limit";

/**
 * Moves the project's HELD runs to QUEUED oldest first and dispatches them; returns how
 * many. Without a monthly limit all of them; with the limit reached none; otherwise at
 * most one run per step execution left (a run executes at least one step, so no more
 * runs start than the period can still pay for; the rest wait for the next call).
 * The rows change in one statement that only takes rows still HELD, and SKIP LOCKED
 * keeps two calls at once apart: no run is released, or dispatched, twice.
 */
export async function releaseHeldRuns(projectId: string): Promise<number> {
  // The plan may just have changed: new runs must see it too, not a cached answer.
  forgetStepAllowance(projectId);
  const plan = await getProjectPlan(projectId);
  const limit = plan.limits.stepExecutionsPerMonth;
  let room: number | null = null;
  if (limit !== null) {
    room = limit - (await countPeriodStepExecutions(projectId, plan.period.start));
    if (room <= 0) return 0;
  }
  // The pick is a materialized CTE: as an IN (subquery) the planner may evaluate the
  // LIMIT more than once and take more rows than it allows.
  const released = await getDb().$queryRaw<{ id: string; createdAt: Date }[]>`
    WITH picked AS MATERIALIZED (
      SELECT id FROM flow_runs WHERE "projectId" = ${projectId}::uuid AND status = 'HELD'
      ORDER BY "createdAt", id
      ${room === null ? Prisma.empty : Prisma.sql`LIMIT ${room}`}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE flow_runs r SET status = 'QUEUED' FROM picked
    WHERE r.id = picked.id AND r.status = 'HELD'
    RETURNING r.id::text AS id, r."createdAt"`;
  if (released.length === 0) return 0;
  released.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  await recordAuditEvent({ action: "runs.released", projectId, details: { count: released.length, plan: plan.effectivePlan } });
  await dispatchRuns(released.map((run) => ({ runId: run.id, projectId })));
  return released.length;
}
