import "server-only";
import { AppError } from "@/lib/errors";
import { ZSetFlowActiveInput, type TSetFlowActiveInput } from "@/lib/flows/flow-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { assertActiveFlowAllowed, withLimitAudit } from "../billing/enforce-plan-limit";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";
import { syncFlowSchedule } from "../schedules/sync-flow-schedule";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";

/**
 * Turns a flow's triggers (webhook, schedule) on or off. Needs a published version, and
 * to switch one on, room under the plan's active flows (billing on; switching off is
 * always allowed, and flows already on stay on when a plan shrinks).
 */
export async function setFlowActive(userId: string, raw: TSetFlowActiveInput, meta: TRequestMeta): Promise<{ isActive: boolean }> {
  const input = parseInput(ZSetFlowActiveInput, raw);
  return withLimitAudit({ userId, meta }, () => setFlowActiveInTransaction(userId, input, meta));
}

function setFlowActiveInTransaction(userId: string, input: TSetFlowActiveInput, meta: TRequestMeta): Promise<{ isActive: boolean }> {
  return getDb().$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({
      where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
      select: { id: true, projectId: true, isActive: true, activeVersionId: true },
    });
    if (!flow) throw flowNotFound();
    if (input.isActive && !flow.activeVersionId) throw new AppError("BAD_INPUT", "Publish the flow before turning it on.");
    if (flow.isActive === input.isActive) return { isActive: flow.isActive };
    if (input.isActive) await assertActiveFlowAllowed(tx, flow.projectId);
    await tx.flow.update({ where: { id: flow.id }, data: { isActive: input.isActive } });
    await syncFlowSchedule(tx, flow.id);
    await recordAuditEvent(
      { action: input.isActive ? "flow.activated" : "flow.deactivated", userId, projectId: flow.projectId, meta, details: { flowId: flow.id } },
      tx,
    );
    return { isActive: input.isActive };
  });
}
