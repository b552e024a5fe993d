import "server-only";
import { rolesWith } from "@/lib/auth/permissions";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import { projectNotFound } from "../projects/project-not-found";
import { ZListRunsInput, type TListRunsInput } from "./run-schemas";

export type TRunSummary = {
  id: string;
  flowId: string;
  flowName: string;
  versionNumber: number;
  status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
  trigger: string;
  isSleeping: boolean;
  /** When a sleeping run wakes. */
  wakeAt: Date | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
};

/** A project's runs, newest first, keyset-paged (a run started meanwhile never shifts a page). */
export async function listRuns(userId: string, projectId: string, raw: TListRunsInput = {}): Promise<{ runs: TRunSummary[]; nextCursor: string | null }> {
  const input = parseInput(ZListRunsInput, raw);
  const db = getDb();
  const project = await db.project.findFirst({
    where: { id: projectId, memberships: { some: { userId, role: { in: rolesWith("runs.read") } } } },
    select: { id: true },
  });
  if (!project) throw projectNotFound();
  const after = input.cursor
    ? await db.flowRun.findFirst({ where: { id: input.cursor, projectId: project.id }, select: { id: true, createdAt: true } })
    : null;
  const rows = await db.flowRun.findMany({
    where: {
      projectId: project.id,
      ...(input.flowId ? { flowId: input.flowId } : {}),
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    select: {
      id: true,
      flowId: true,
      status: true,
      trigger: true,
      wakeAt: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      flow: { select: { name: true } },
      version: { select: { number: true } },
    },
  });
  const page = rows.slice(0, input.limit);
  return {
    runs: page.map((row) => ({
      id: row.id,
      flowId: row.flowId,
      flowName: row.flow.name,
      versionNumber: row.version.number,
      status: row.status,
      trigger: row.trigger,
      isSleeping: row.status === "RUNNING" && row.wakeAt !== null,
      wakeAt: row.wakeAt,
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      durationMs: row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
    })),
    nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null,
  };
}
