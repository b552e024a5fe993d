import "server-only";
import { ZConnectionIdInput, type TConnectionIdInput } from "@/lib/connections/schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { connectionVisibleTo } from "./connection-access";
import { parseUseCaseInput } from "./connection-input";
import { connectionNotFound } from "./connection-not-found";

/** Deletes a connection and its sealed secret (connections.write). Its pending OAuth states go with it (cascade). */
export async function deleteConnection(userId: string, rawInput: TConnectionIdInput, meta: TRequestMeta): Promise<void> {
  const input = parseUseCaseInput(ZConnectionIdInput, rawInput);
  await getDb().$transaction(async (tx) => {
    const row = await tx.connection.findFirst({
      where: { id: input.connectionId, ...connectionVisibleTo(userId, "connections.write") },
      select: { id: true, projectId: true, name: true, type: true },
    });
    if (!row) throw connectionNotFound();
    const deleted = await tx.connection.deleteMany({ where: { id: row.id, ...connectionVisibleTo(userId, "connections.write") } });
    if (deleted.count === 0) throw connectionNotFound();
    await recordAuditEvent(
      { action: "connection.deleted", userId, projectId: row.projectId, meta, details: { connectionId: row.id, name: row.name, type: row.type } },
      tx,
    );
  });
}
