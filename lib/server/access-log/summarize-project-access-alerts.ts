import "server-only";
import { rolesWith } from "@/lib/auth/permissions";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";

export type TAccessAlertRow = {
  clientIp: string;
  unauthorized: number;
  forbidden: number;
  notFound: number;
  rateLimited: number;
  total: number;
  lastAt: Date;
};

const WINDOW_MS = 24 * 60 * 60 * 1000;
const TOP = 10;

/**
 * The client addresses with the most refused requests (401, 403, 404) and rate-limit
 * hits (429) on this project over the last 24 hours, for the audit page: a burst of
 * them is someone probing. Owners only, like the access log itself. One grouped query
 * over the (projectId, time) index.
 */
export async function summarizeProjectAccessAlerts(actorUserId: string, projectId: string, now = new Date()): Promise<TAccessAlertRow[]> {
  const db = getDb();
  const project = await db.project.findFirst({
    where: { id: projectId, memberships: { some: { userId: actorUserId, role: { in: rolesWith("access_log.read") } } } },
    select: { id: true },
  });
  if (!project) throw projectNotFound();
  const since = new Date(now.getTime() - WINDOW_MS);
  const rows = await db.$queryRaw<
    { clientIp: string; unauthorized: bigint; forbidden: bigint; notFound: bigint; rateLimited: bigint; total: bigint; lastAt: Date }[]
  >`
    SELECT "clientIp",
           count(*) FILTER (WHERE status = 401) AS "unauthorized",
           count(*) FILTER (WHERE status = 403) AS "forbidden",
           count(*) FILTER (WHERE status = 404) AS "notFound",
           count(*) FILTER (WHERE status = 429) AS "rateLimited",
           count(*) AS "total",
           max("time") AS "lastAt"
      FROM access_records
     WHERE "projectId" = ${project.id}::uuid AND "time" >= ${since} AND "time" <= ${now} AND status IN (401, 403, 404, 429)
     GROUP BY "clientIp"
     ORDER BY "total" DESC, "clientIp"
     LIMIT ${TOP}`;
  return rows.map((row) => ({
    clientIp: row.clientIp,
    unauthorized: Number(row.unauthorized),
    forbidden: Number(row.forbidden),
    notFound: Number(row.notFound),
    rateLimited: Number(row.rateLimited),
    total: Number(row.total),
    lastAt: row.lastAt,
  }));
}
