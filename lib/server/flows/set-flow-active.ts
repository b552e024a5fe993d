import "server-only";
import { AppError } from "@/lib/errors";
import { ZSetFlowActiveInput, type TSetFlowActiveInput } from "@/lib/flows/flow-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";
import { syncFlowSchedule } from "../schedules/sync-flow-schedule";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";

/** Turns a flow's triggers (webhook, schedule) on or off. Needs a published version. */
export async function setFlowActive(userId: string, raw: TSetFlowActiveInput, meta: TRequestMeta): Promise<{ isActive: boolean }> {
  const input = parseInput(ZSetFlowActiveInput, raw);
  return getDb().$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({
      where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
      select: { id: true, projectId: true, isActive: true, activeVersionId: true },
    });
    if (!flow) throw flowNotFound();
    if (input.isActive && !flow.activeVersionId) throw new AppError("BAD_INPUT", "Publish the flow before turning it on.");
    if (flow.isActive === input.isActive) return { isActive: flow.isActive };
    await tx.flow.update({ where: { id: flow.id }, data: { isActive: input.isActive } });
    await syncFlowSchedule(tx, flow.id);
    await recordAuditEvent(
      { action: input.isActive ? "flow.activated" : "flow.deactivated", userId, projectId: flow.projectId, meta, details: { flowId: flow.id } },
      tx,
    );
    return { isActive: input.isActive };
  });
}
