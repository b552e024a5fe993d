import "server-only";
import { getDb } from "../db";
import { flowsVisibleTo } from "./flow-access";
import { flowViewSelect, toFlowView, type TFlowView } from "./flow-dto";
import { flowNotFound } from "./flow-not-found";

/** A flow with its draft and what keeps the draft from publishing, for any member. */
export async function getFlow(userId: string, flowId: string): Promise<TFlowView> {
  const db = getDb();
  const row = await db.flow.findFirst({ where: { id: flowId, ...flowsVisibleTo(userId, "flows.read") }, select: flowViewSelect });
  if (!row) throw flowNotFound();
  const active = row.activeVersionId
    ? await db.flowVersion.findUnique({ where: { id: row.activeVersionId }, select: { number: true } })
    : null;
  return toFlowView(row, active?.number ?? null);
}
