import "server-only";
// Queues a run of a flow's published version. The trigger payload goes two ways: into
// the engine's sealed in-flight state (real data, for the steps) and, scrubbed then
// sealed, into the run record (for people to read).
import { rolesWith } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { createScrubber } from "@/lib/scrub";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { flowNotFound } from "../flows/flow-not-found";
import type { TRequestMeta } from "../request-meta";
import { TRIGGER_STATE_KEY } from "./embedded/execute-run";
import { dispatchRun } from "./dispatch-run";
import { sealRunLogValue } from "./run-log";
import { saveRunState } from "./run-state";

export const MAX_PAYLOAD_BYTES = 1024 * 1024;

export type TStartRunInput = {
  flowId: string;
  payload: unknown;
  trigger: "manual" | "webhook" | "schedule";
  /** Null for triggers that are not a person (webhook, schedule). */
  userId: string | null;
  meta?: TRequestMeta;
  /** A run id chosen by the caller (webhooks reserve it with their idempotency key). */
  runId?: string;
};

export async function startRun(input: TStartRunInput): Promise<{ runId: string }> {
  const text = JSON.stringify(input.payload ?? {});
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw new AppError("BAD_INPUT", "The payload is larger than 1 MB.");
  const payload = JSON.parse(text) as unknown;
  const db = getDb();
  const queued = await db.$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({
      where: {
        id: input.flowId,
        // A person needs the right to run; webhooks and schedules were authorized when set
        // up, and fire only while the flow is on (checked here too, so a flow turned off
        // between a trigger's check and this insert starts nothing).
        ...(input.userId ? { project: { memberships: { some: { userId: input.userId, role: { in: rolesWith("runs.control") } } } } } : {}),
        ...(input.trigger === "manual" ? {} : { isActive: true }),
      },
      select: { id: true, projectId: true, activeVersionId: true },
    });
    if (!flow) throw flowNotFound();
    if (!flow.activeVersionId) throw new AppError("BAD_INPUT", "Publish the flow before running it.");
    const run = await tx.flowRun.create({
      data: {
        ...(input.runId ? { id: input.runId } : {}),
        projectId: flow.projectId,
        flowId: flow.id,
        versionId: flow.activeVersionId,
        trigger: input.trigger,
        triggeredById: input.userId,
      },
      select: { id: true },
    });
    // The scrubber has no run secrets yet here; key names and token shapes still apply.
    const payloadSealed = sealRunLogValue(payload, createScrubber({ secrets: [] }), flow.projectId, run.id, "payload");
    await tx.flowRun.update({ where: { id: run.id }, data: { payloadSealed } });
    await saveRunState(flow.projectId, run.id, TRIGGER_STATE_KEY, payload, tx);
    if (input.userId) {
      await recordAuditEvent(
        { action: "run.started", userId: input.userId, projectId: flow.projectId, meta: input.meta, details: { flowId: flow.id, runId: run.id, trigger: input.trigger } },
        tx,
      );
    }
    return { runId: run.id, projectId: flow.projectId };
  });
  await dispatchRun(queued);
  return { runId: queued.runId };
}
