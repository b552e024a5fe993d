import "server-only";
import type { RunStatus } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";
import { cancelInFlightSteps } from "./cancel-in-flight-steps";
import { cancelSubflowRunsIn } from "./cancel-subflow-runs";
import { TRIGGER_STATE_KEY } from "./run-state";
import { runNotFound, runsVisibleTo } from "./run-access";
import { notifyRunEventIn, signalRunEvent } from "./run-events";
import { ZRunIdInput, type TRunIdInput } from "./run-schemas";
import { childRunEndOf } from "./signals/parent-signal";
import { storeRunSignal, wakeSignalledRun } from "./signals/send-run-signal";

const CANCELLABLE: RunStatus[] = ["QUEUED", "RUNNING", "HELD"];

/**
 * Cancels a run: no further step starts. A run that is queued, held (over the plan's
 * step executions) or asleep (no worker holds it) ends at once; a run being executed
 * stops before its next step. A run ended here ends its in-flight step with it
 * (cancel-in-flight-steps.ts). Either way the run changed: its run event is sent (at
 * commit, to other instances) and signalled in this process after the commit. The
 * sub-flow runs it started are cancelled with it (cancel-subflow-runs.ts).
 */
export async function cancelRun(userId: string, raw: TRunIdInput, meta: TRequestMeta): Promise<{ status: string }> {
  const input = parseInput(ZRunIdInput, raw);
  const result = await getDb().$transaction(async (tx) => {
    const run = await tx.flowRun.findFirst({
      where: { id: input.runId, ...runsVisibleTo(userId, "runs.control") },
      select: { id: true, projectId: true, flowId: true, status: true, parentRunId: true, parentWaitKey: true },
    });
    if (!run) throw runNotFound();
    if (!CANCELLABLE.includes(run.status)) return { runId: run.id, status: run.status as string, isChanged: false };
    await tx.$queryRaw`SELECT id FROM flow_runs WHERE id = ${run.id}::uuid FOR UPDATE`;
    const now = new Date();
    const idle = await tx.flowRun.updateMany({
      where: { id: run.id, status: { in: CANCELLABLE }, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      data: { status: "CANCELLED", cancelRequestedAt: now, finishedAt: now, wakeAt: null },
    });
    let signalledParent: { projectId: string; runId: string; key: string } | null = null;
    if (idle.count === 1) {
      await tx.runState.deleteMany({ where: { runId: run.id, stepKey: { not: TRIGGER_STATE_KEY } } });
      await tx.runSignal.deleteMany({ where: { runId: run.id } });
      await cancelInFlightSteps(tx, run.id, now);
      // A sub-flow's run ended here tells its waiting parent, as an executed run's end does.
      if (run.parentRunId && run.parentWaitKey) {
        const parent = { projectId: run.projectId, runId: run.parentRunId };
        if (await storeRunSignal(tx, parent, run.parentWaitKey, childRunEndOf("CANCELLED", {}, null))) signalledParent = { ...parent, key: run.parentWaitKey };
      }
    } else await tx.flowRun.update({ where: { id: run.id }, data: { cancelRequestedAt: now } });
    await cancelSubflowRunsIn(tx, { runId: run.id, projectId: run.projectId }, now);
    await recordAuditEvent({ action: "run.cancelled", userId, projectId: run.projectId, meta, details: { runId: run.id, flowId: run.flowId } }, tx);
    await notifyRunEventIn(tx, run.id);
    return { runId: run.id, status: idle.count === 1 ? "CANCELLED" : "RUNNING", isChanged: true, signalledParent };
  });
  if (result.isChanged) signalRunEvent(result.runId);
  if ("signalledParent" in result && result.signalledParent) await wakeSignalledRun(result.signalledParent, result.signalledParent.key);
  return { status: result.status };
}
