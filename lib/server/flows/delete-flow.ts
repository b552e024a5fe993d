import "server-only";
import { ZFlowIdInput, type TFlowIdInput } from "@/lib/flows/flow-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";
import { syncFlowSchedule } from "../schedules/sync-flow-schedule";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";

/** Deletes a flow with its versions and runs (their logs go with them; audit events stay). */
export async function deleteFlow(userId: string, raw: TFlowIdInput, meta: TRequestMeta): Promise<void> {
  const input = parseInput(ZFlowIdInput, raw);
  await getDb().$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({
      where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
      select: { id: true, projectId: true, name: true },
    });
    if (!flow) throw flowNotFound();
    // Runs point at versions with a restricting key; remove runs first.
    await tx.flowRun.deleteMany({ where: { flowId: flow.id } });
    await tx.flow.delete({ where: { id: flow.id } });
    // The row goes with the flow (cascade); the sync states it rather than rely on that.
    await syncFlowSchedule(tx, flow.id);
    await recordAuditEvent({ action: "flow.deleted", userId, projectId: flow.projectId, meta, details: { flowId: flow.id, name: flow.name } }, tx);
  });
}
