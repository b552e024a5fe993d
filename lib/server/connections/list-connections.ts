import "server-only";
import { can, type TProjectRole } from "@/lib/auth/permissions";
import { ZProjectId } from "@/lib/projects/schemas";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import {
  CONNECTION_DTO_SELECT,
  CONNECTION_SUMMARY_SELECT,
  toConnectionDto,
  toConnectionSummary,
  type TConnectionDto,
  type TConnectionSummary,
} from "./connection-dto";

export type TConnectionList = { canRead: true; connections: TConnectionDto[] } | { canRead: false; connections: TConnectionSummary[] };

/**
 * A project's connections (connections.list, viewers too). Viewers get name, type,
 * status and the last check's state and time only: their query does not even select the
 * hint, the settings or the check's message (it may name the test address's host).
 */
export async function listConnections(userId: string, projectId: string): Promise<TConnectionList> {
  if (!ZProjectId.safeParse(projectId).success) throw projectNotFound();
  const db = getDb();
  const membership = await db.membership.findFirst({ where: { userId, projectId }, select: { role: true } });
  const role: TProjectRole | undefined = membership?.role;
  if (!role || !can(role, "connections.list")) throw projectNotFound();
  const orderBy = { name: "asc" } as const;
  if (can(role, "connections.read")) {
    const rows = await db.connection.findMany({
      where: { projectId, project: { memberships: { some: { userId, role } } } },
      select: CONNECTION_DTO_SELECT,
      orderBy,
    });
    return { canRead: true, connections: rows.map(toConnectionDto) };
  }
  const rows = await db.connection.findMany({
    where: { projectId, project: { memberships: { some: { userId, role } } } },
    select: CONNECTION_SUMMARY_SELECT,
    orderBy,
  });
  return { canRead: false, connections: rows.map(toConnectionSummary) };
}
