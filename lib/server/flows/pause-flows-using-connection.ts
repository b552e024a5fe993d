import "server-only";
// When a connection stops working (its provider refused to renew access), the flows
// whose live version uses it are switched off, in the same transaction as the
// connection's new status: their webhooks and schedules stop instead of failing run
// after run. Reconnecting does not switch them back on; an editor does, knowingly.
import { parseFlowDocument } from "@/lib/flows/document";
import type { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { syncFlowSchedule } from "../schedules/sync-flow-schedule";
import { connectionIdsOf } from "@/lib/flows/connection-uses";

export async function pauseFlowsUsingConnection(tx: Prisma.TransactionClient, projectId: string, connectionId: string): Promise<string[]> {
  const flows = await tx.flow.findMany({
    where: { projectId, isActive: true, activeVersionId: { not: null } },
    select: { id: true, name: true, activeVersionId: true },
  });
  const versions = await tx.flowVersion.findMany({ where: { id: { in: flows.map((flow) => flow.activeVersionId!) } }, select: { id: true, document: true } });
  const documentOf = new Map(versions.map((version) => [version.id, version.document]));
  const paused: string[] = [];
  for (const flow of flows) {
    const document = documentOf.get(flow.activeVersionId!);
    if (!document || !connectionIdsOf(parseFlowDocument(document)).some((use) => use.connectionId === connectionId)) continue;
    await tx.flow.update({ where: { id: flow.id }, data: { isActive: false } });
    await syncFlowSchedule(tx, flow.id);
    await recordAuditEvent(
      {
        action: "flow.deactivated",
        outcome: "success",
        projectId,
        details: { flowId: flow.id, name: flow.name, reason: "connection_needs_reconnect", connectionId },
      },
      tx,
    );
    paused.push(flow.id);
  }
  return paused;
}
