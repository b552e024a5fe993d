import "server-only";
import type { TRunStatus } from "@/lib/runs/run-status";
// The runs list (runs page, flow page, GET /api/projects/[projectId]/runs): filters,
// keyset pages, duration and the failing step. One SQL statement, so the plan that
// bench/run-history.ts prints with EXPLAIN is the query the app runs.
//
// Every filter combination reads one index range in (createdAt DESC, id DESC) order and
// stops after limit + 1 rows: (projectId, createdAt, id) for none or a time range,
// (projectId, status, …), (projectId, trigger, …), (flowId, …), and the primary key for
// a run id or prefix. No OFFSET: page 50 costs what page 2 costs.
import { rolesWith } from "@/lib/auth/permissions";
import { ZProjectId } from "@/lib/projects/schemas";
import { encodeRunCursor } from "@/lib/runs/run-filters";
import { Prisma } from "@/prisma/generated/client";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import { projectNotFound } from "../projects/project-not-found";
import { ZListRunsInput, type TListRunsFilter, type TListRunsInput } from "./run-schemas";

export const DEFAULT_RUNS_PAGE = 25;

export type TRunSummary = {
  id: string;
  flowId: string;
  flowName: string;
  versionNumber: number;
  status: TRunStatus;
  trigger: string;
  isSleeping: boolean;
  /** When a sleeping run wakes. */
  wakeAt: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  /** A failed run's failing step (its name when the run ended; the node id for runs older than that column). */
  failedStep: string | null;
};

type TRow = {
  id: string;
  flowId: string;
  flowName: string;
  versionNumber: number;
  status: TRunSummary["status"];
  trigger: string;
  wakeAt: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  failedNodeId: string | null;
  failedStepName: string | null;
};

/** The statement behind listRuns, for the bench's EXPLAIN; the membership condition is part of it. */
export function listRunsQuery(userId: string, projectId: string, filter: TListRunsFilter): Prisma.Sql {
  const limit = (filter.limit ?? DEFAULT_RUNS_PAGE) + 1;
  const roles = Prisma.join(rolesWith("runs.read").map((role) => Prisma.sql`${role}::"ProjectRole"`));
  const conditions: Prisma.Sql[] = [
    Prisma.sql`r."projectId" = ${projectId}::uuid`,
    // Authorization inside the query: a caller who is not a reading member gets no rows.
    Prisma.sql`EXISTS (SELECT 1 FROM memberships m WHERE m."projectId" = r."projectId" AND m."userId" = ${userId}::uuid AND m.role IN (${roles}))`,
  ];
  if (filter.status) conditions.push(Prisma.sql`r.status = ${filter.status}::"RunStatus"`);
  if (filter.flowId) conditions.push(Prisma.sql`r."flowId" = ${filter.flowId}::uuid`);
  if (filter.trigger) conditions.push(Prisma.sql`r.trigger = ${filter.trigger}`);
  if (filter.from) conditions.push(Prisma.sql`r."createdAt" >= ${filter.from}`);
  if (filter.to) conditions.push(Prisma.sql`r."createdAt" < ${filter.to}`);
  if (filter.run) {
    conditions.push(
      filter.run.isExact ? Prisma.sql`r.id = ${filter.run.low}::uuid` : Prisma.sql`r.id BETWEEN ${filter.run.low}::uuid AND ${filter.run.high}::uuid`,
    );
  }
  // Row comparison: the (createdAt, id) pair after the cursor, matching the index order.
  if (filter.cursor) conditions.push(Prisma.sql`(r."createdAt", r.id) < (${filter.cursor.createdAt}, ${filter.cursor.id}::uuid)`);
  // The page is cut first, then joined to its flows and versions (limit + 1 primary-key lookups each).
  return Prisma.sql`
    WITH page AS (
      SELECT r.id, r."flowId", r."versionId", r.status, r.trigger, r."wakeAt", r."createdAt", r."startedAt", r."finishedAt", r."failedNodeId", r."failedStepName"
      FROM flow_runs r
      WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY r."createdAt" DESC, r.id DESC
      LIMIT ${limit}
    )
    SELECT page.id::text AS id, page."flowId"::text AS "flowId", f.name AS "flowName", v.number AS "versionNumber", page.status::text AS status,
      page.trigger, page."wakeAt", page."createdAt", page."startedAt", page."finishedAt", page."failedNodeId", page."failedStepName"
    FROM page
    JOIN flows f ON f.id = page."flowId"
    JOIN flow_versions v ON v.id = page."versionId"
    ORDER BY page."createdAt" DESC, page.id DESC`;
}

/** A project's runs, newest first, filtered, keyset-paged (a run started meanwhile never shifts a page). */
export async function listRuns(userId: string, projectId: string, raw: TListRunsInput = {}): Promise<{ runs: TRunSummary[]; nextCursor: string | null }> {
  if (!ZProjectId.safeParse(projectId).success) throw projectNotFound();
  const filter = parseInput(ZListRunsInput, raw);
  const limit = filter.limit ?? DEFAULT_RUNS_PAGE;
  const db = getDb();
  const rows = await db.$queryRaw<TRow[]>(listRunsQuery(userId, projectId, filter));
  // No rows: an empty page of a project the caller reads, or a project they may not
  // read (missing and forbidden both read as not found). Only this case pays the check.
  if (rows.length === 0) {
    const project = await db.project.findFirst({
      where: { id: projectId, memberships: { some: { userId, role: { in: rolesWith("runs.read") } } } },
      select: { id: true },
    });
    if (!project) throw projectNotFound();
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    runs: page.map((row) => ({
      id: row.id,
      flowId: row.flowId,
      flowName: row.flowName,
      versionNumber: row.versionNumber,
      status: row.status,
      trigger: row.trigger,
      isSleeping: row.status === "RUNNING" && row.wakeAt !== null,
      wakeAt: row.wakeAt,
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      durationMs: row.startedAt && row.finishedAt ? Math.max(0, row.finishedAt.getTime() - row.startedAt.getTime()) : null,
      failedStep: row.status === "FAILED" ? (row.failedStepName ?? row.failedNodeId) : null,
    })),
    nextCursor: rows.length > limit && last ? encodeRunCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}
