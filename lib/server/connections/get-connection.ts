import "server-only";
import { ZConnectionId } from "@/lib/connections/schemas";
import { ZProjectId } from "@/lib/projects/schemas";
import { getDb } from "../db";
import { connectionVisibleTo } from "./connection-access";
import { CONNECTION_DTO_SELECT, toConnectionDto, type TConnectionDto } from "./connection-dto";
import { connectionNotFound } from "./connection-not-found";

/**
 * One connection for its edit page (connections.read: owners and editors). `projectId`
 * is the page's: a connection of another project reads as not found there too.
 */
export async function getConnection(userId: string, projectId: string, connectionId: string): Promise<TConnectionDto> {
  if (!ZConnectionId.safeParse(connectionId).success || !ZProjectId.safeParse(projectId).success) throw connectionNotFound();
  const row = await getDb().connection.findFirst({
    where: { id: connectionId, projectId, ...connectionVisibleTo(userId, "connections.read") },
    select: CONNECTION_DTO_SELECT,
  });
  if (!row) throw connectionNotFound();
  return toConnectionDto(row);
}
