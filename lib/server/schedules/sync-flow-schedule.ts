import "server-only";
// Keeps a flow's flow_schedules row in step with the flow. Invariant: the row exists
// exactly when the flow is active and its active version's trigger is a schedule; the
// ticker reads nothing else. Called inside the transaction that changes the flow
// (publish, activate/deactivate, delete), so the row and the flow never disagree.
import { parseFlowDocument } from "@/lib/flows/document";
import { checkSchedule, nextFireTime, scheduleOf } from "@/lib/flows/schedule";
import type { Prisma } from "@/prisma/generated/client";

type TScheduleTx = Pick<Prisma.TransactionClient, "flow" | "flowVersion" | "flowSchedule">;

export async function syncFlowSchedule(tx: TScheduleTx, flowId: string, now: Date = new Date()): Promise<void> {
  const remove = async () => void (await tx.flowSchedule.deleteMany({ where: { flowId } }));
  const flow = await tx.flow.findUnique({ where: { id: flowId }, select: { isActive: true, activeVersionId: true } });
  if (!flow?.isActive || !flow.activeVersionId) return remove();
  const version = await tx.flowVersion.findFirst({ where: { id: flow.activeVersionId, flowId }, select: { document: true } });
  if (!version) return remove();
  const schedule = scheduleOf(parseFlowDocument(version.document));
  // Publish refuses an invalid schedule; a version stored before that check existed
  // simply has no schedule rather than a row the ticker cannot compute.
  if (!schedule || !checkSchedule(schedule.cron, schedule.timezone, now).isValid) return remove();
  const existing = await tx.flowSchedule.findUnique({ where: { flowId }, select: { cron: true, timezone: true } });
  // Re-publishing the same schedule keeps the pending fire time: recomputing it could
  // skip a tick that is due but not yet fired.
  if (existing && existing.cron === schedule.cron && existing.timezone === schedule.timezone) return;
  // From now, not from the last fire: ticks that fell while the flow was off are not owed.
  const nextFireAt = nextFireTime(schedule.cron, schedule.timezone, now);
  if (!nextFireAt) return remove();
  await tx.flowSchedule.upsert({
    where: { flowId },
    create: { flowId, cron: schedule.cron, timezone: schedule.timezone, nextFireAt },
    update: { cron: schedule.cron, timezone: schedule.timezone, nextFireAt, lastFiredAt: null },
  });
}
