import "server-only";
// The flow page's success rate: one aggregate over the flow's latest runs. Bounded
// twice (the last STATS_DAYS days, at most STATS_MAX_RUNS runs) so a flow with a
// million runs costs what a quiet one does: one (flowId, createdAt, id) index range.
import { rolesWith } from "@/lib/auth/permissions";
import { ZFlowId } from "@/lib/flows/flow-schemas";
import type { TFlowRunStats } from "@/lib/runs/flow-run-stats";
import { Prisma } from "@/prisma/generated/client";
import { getDb } from "../db";
import { flowNotFound } from "../flows/flow-not-found";

export const STATS_DAYS = 7;
export const STATS_MAX_RUNS = 100;

type TCounts = { succeeded: number; failed: number; cancelled: number; active: number };

export async function getFlowRunStats(userId: string, flowId: string, now = new Date()): Promise<TFlowRunStats> {
  if (!ZFlowId.safeParse(flowId).success) throw flowNotFound();
  const since = new Date(now.getTime() - STATS_DAYS * 24 * 60 * 60 * 1000);
  const roles = Prisma.join(rolesWith("runs.read").map((role) => Prisma.sql`${role}::"ProjectRole"`));
  const rows = await getDb().$queryRaw<(TCounts & { isVisible: boolean })[]>`
    WITH flow AS (
      SELECT f.id FROM flows f
      WHERE f.id = ${flowId}::uuid
        AND EXISTS (SELECT 1 FROM memberships m WHERE m."projectId" = f."projectId" AND m."userId" = ${userId}::uuid AND m.role IN (${roles}))
    ), recent AS (
      SELECT r.status FROM flow_runs r
      WHERE r."flowId" = (SELECT id FROM flow) AND r."createdAt" >= ${since} AND r."createdAt" <= ${now}
      ORDER BY r."createdAt" DESC, r.id DESC
      LIMIT ${STATS_MAX_RUNS}
    )
    SELECT EXISTS (SELECT 1 FROM flow) AS "isVisible",
      count(*) FILTER (WHERE status = 'SUCCEEDED')::int AS succeeded,
      count(*) FILTER (WHERE status = 'FAILED')::int AS failed,
      count(*) FILTER (WHERE status = 'CANCELLED')::int AS cancelled,
      count(*) FILTER (WHERE status IN ('QUEUED', 'HELD', 'RUNNING'))::int AS active
    FROM recent`;
  const row = rows[0];
  if (!row?.isVisible) throw flowNotFound();
  const decided = row.succeeded + row.failed;
  return {
    days: STATS_DAYS,
    maxRuns: STATS_MAX_RUNS,
    succeeded: row.succeeded,
    failed: row.failed,
    cancelled: row.cancelled,
    active: row.active,
    successRate: decided === 0 ? null : row.succeeded / decided,
  };
}
