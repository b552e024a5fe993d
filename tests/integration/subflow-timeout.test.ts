// A sub-flow step that stops waiting at its timeout cancels the run it started, and that
// run's own sub-flow runs: nothing is left running for a parent that no longer listens.
// On the embedded driver, on a real PostgreSQL.
import { describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { decideApproval } from "@/lib/server/approvals/decide-approval";
import { getDb } from "@/lib/server/db";
import { claimDueRuns } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { createExecutors } from "@/lib/server/runs/executors";
import { openRunLogValue } from "@/lib/server/runs/run-log";
import { sendRunSignal } from "@/lib/server/runs/signals/send-run-signal";
import { startRun } from "@/lib/server/runs/start-run";
import { errorOf } from "../support/error-of";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.10", userAgent: "vitest" };
const ui = { x: 0, y: 0 };

/** One worker pass over every due run, as the embedded driver does. */
async function drivePass(now?: () => Date): Promise<number> {
  const owner = `test-worker-${Math.random().toString(36).slice(2)}`;
  const claimed = await claimDueRuns(owner, 10, 10);
  for (const run of claimed) await executeRun(run.id, { owner, executors: createExecutors(), secretsFor: async () => [], now }, run);
  return claimed.length;
}

async function driveUntilIdle(now?: () => Date): Promise<void> {
  for (let pass = 0; pass < 20; pass += 1) if ((await drivePass(now)) === 0) return;
}

async function addFlow(projectId: string, document: TFlowDocument, name: string): Promise<string> {
  const db = getDb();
  const flow = await db.flow.create({
    data: { projectId, name: `${name} ${Date.now()}-${Math.random().toString(36).slice(2, 6)}`, draft: document as never },
    select: { id: true },
  });
  const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as never }, select: { id: true } });
  await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
  return flow.id;
}

/** Waits three days for an approval: it outlives any sub-flow timeout below. */
const SLOW_FLOW: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui },
    { id: "ask", type: "step.approval", name: "Ask", config: { message: "Go on?", timeout: { amount: 3, unit: "days" } }, ui },
  ],
  edges: [{ id: "e1", source: "trigger", target: "ask" }],
} as TFlowDocument;

function caller(flowId: string, timeout: { amount: number; unit: string }, onError?: string): TFlowDocument {
  return {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui },
      { id: "call", type: "step.subflow", name: "Call", config: { flowId, input: "", timeout, ...(onError ? { onError } : {}) }, ui },
      { id: "after", type: "step.transform", name: "After", config: { expression: '"went on"' }, ui },
    ],
    edges: [
      { id: "e1", source: "trigger", target: "call" },
      { id: "e2", source: "call", target: "after" },
    ],
  } as TFlowDocument;
}

async function runOf(runId: string) {
  return getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, finishedAt: true, cancelRequestedAt: true, error: true } });
}

describe("sub-flow step timeout", () => {
  it("cancels the sub-flow run it stopped waiting for, and that run's own sub-flow run; the parent goes on", async () => {
    const seeded = await seedPublishedFlow(SLOW_FLOW, "slow");
    // parent → (1 hour) → middle → (1 day) → slow (approval, 3 days)
    const middleFlowId = await addFlow(seeded.projectId, caller(seeded.flowId, { amount: 1, unit: "days" }), "Middle");
    const parentFlowId = await addFlow(seeded.projectId, caller(middleFlowId, { amount: 1, unit: "hours" }, "continue"), "Parent");
    const { runId } = await startRun({ flowId: parentFlowId, payload: {}, trigger: "manual", userId: seeded.userId });
    await driveUntilIdle();

    const middle = await getDb().flowRun.findFirstOrThrow({ where: { parentRunId: runId }, select: { id: true, status: true } });
    const slow = await getDb().flowRun.findFirstOrThrow({ where: { parentRunId: middle.id }, select: { id: true, status: true } });
    expect([middle.status, slow.status, (await runOf(runId)).status]).toEqual(["RUNNING", "RUNNING", "RUNNING"]);
    const request = await getDb().approvalRequest.findFirstOrThrow({ where: { runId: slow.id }, select: { id: true, status: true } });
    expect(request.status).toBe("PENDING");

    // Two hours on: only the parent is due; its wait ends without the sub-flow's answer.
    await getDb().flowRun.update({ where: { id: runId }, data: { wakeAt: new Date(Date.now() - 1000) } });
    await driveUntilIdle(() => new Date(Date.now() + 2 * 3_600_000));

    const parent = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, projectId: true, steps: true } });
    expect(parent.status).toBe("SUCCEEDED");
    const call = parent.steps.find((step) => step.nodeId === "call")!;
    const record = openRunLogValue(call.recordSealed!, parent.projectId, runId, "step/call") as { error?: string; handled?: boolean };
    expect(record).toMatchObject({ handled: true, error: "The flow it ran did not finish within 1 hour." });
    expect(parent.steps.find((step) => step.nodeId === "after")?.status).toBe("succeeded");

    for (const id of [middle.id, slow.id]) {
      const ended = await runOf(id);
      expect(ended.status).toBe("CANCELLED");
      expect(ended.finishedAt).not.toBeNull();
      // No step of theirs is left running, and nothing of their in-flight state but the payload.
      expect(await getDb().flowRunStep.count({ where: { runId: id, status: "running" } })).toBe(0);
      expect(await getDb().runState.count({ where: { runId: id, stepKey: { not: "trigger:payload" } } })).toBe(0);
    }
    expect((await getDb().flowRunStep.findFirstOrThrow({ where: { runId: middle.id, nodeId: "call" } })).status).toBe("cancelled");
    expect((await getDb().flowRunStep.findFirstOrThrow({ where: { runId: slow.id, nodeId: "ask" } })).status).toBe("cancelled");

    // The cancelled runs never run again, and the approval can no longer be given.
    await driveUntilIdle();
    expect((await runOf(slow.id)).status).toBe("CANCELLED");
    expect((await errorOf(decideApproval(seeded.userId, { approvalId: request.id, decision: "approve" }, meta))).code).toBe("CONFLICT");
  });

  it("without On error the parent fails at the timeout, and the sub-flow run is cancelled all the same", async () => {
    const seeded = await seedPublishedFlow(SLOW_FLOW, "slow-stop");
    const parentFlowId = await addFlow(seeded.projectId, caller(seeded.flowId, { amount: 1, unit: "hours" }), "Parent");
    const { runId } = await startRun({ flowId: parentFlowId, payload: {}, trigger: "manual", userId: seeded.userId });
    await driveUntilIdle();
    const child = await getDb().flowRun.findFirstOrThrow({ where: { parentRunId: runId }, select: { id: true, status: true } });
    expect(child.status).toBe("RUNNING");
    await getDb().flowRun.update({ where: { id: runId }, data: { wakeAt: new Date(Date.now() - 1000) } });
    await driveUntilIdle(() => new Date(Date.now() + 2 * 3_600_000));
    expect(await runOf(runId)).toMatchObject({ status: "FAILED", error: "The flow it ran did not finish within 1 hour." });
    expect((await runOf(child.id)).status).toBe("CANCELLED");
  });

  it("an approval's timeout cancels nothing: a sub-flow started elsewhere in the run is untouched", async () => {
    // The parent's approval times out (rejected path) while nothing else of it runs; its sub-flow
    // step comes after and waits for its child as usual.
    const seeded = await seedPublishedFlow(SLOW_FLOW, "slow-approval");
    const document = caller(seeded.flowId, { amount: 2, unit: "days" });
    document.nodes.splice(1, 0, { id: "gate", type: "step.approval", name: "Gate", config: { message: "Start?", timeout: { amount: 1, unit: "hours" } }, ui });
    document.edges = [
      { id: "e0", source: "trigger", target: "gate" },
      { id: "e1", source: "gate", target: "call", label: "rejected" },
      { id: "e2", source: "call", target: "after" },
    ];
    const parentFlowId = await addFlow(seeded.projectId, document, "Gated");
    const { runId } = await startRun({ flowId: parentFlowId, payload: {}, trigger: "manual", userId: seeded.userId });
    await driveUntilIdle();
    await getDb().flowRun.update({ where: { id: runId }, data: { wakeAt: new Date(Date.now() - 1000) } });
    await driveUntilIdle(() => new Date(Date.now() + 2 * 3_600_000));
    const child = await getDb().flowRun.findFirstOrThrow({ where: { parentRunId: runId }, select: { id: true, status: true } });
    expect(child.status).toBe("RUNNING");
    expect((await runOf(runId)).status).toBe("RUNNING");
  });

  it("a run that ends while a sub-flow it started still runs cancels that sub-flow run", async () => {
    const seeded = await seedPublishedFlow(SLOW_FLOW, "slow-end");
    const parentFlowId = await addFlow(seeded.projectId, caller(seeded.flowId, { amount: 1, unit: "hours" }), "Parent");
    const { runId } = await startRun({ flowId: parentFlowId, payload: {}, trigger: "manual", userId: seeded.userId });
    await driveUntilIdle();
    const child = await getDb().flowRun.findFirstOrThrow({ where: { parentRunId: runId }, select: { id: true } });
    // An answer that is not the child's end (the child still runs) fails the parent's step.
    await sendRunSignal(runId, "subflow:call", { status: "failed", error: "gave up" });
    await driveUntilIdle();
    expect((await runOf(runId)).status).toBe("FAILED");
    expect((await runOf(child.id)).status).toBe("CANCELLED");
  });
});
