// Runs through the data layer: who may see and control them, the timeline and its
// scrubbed records, cancel, re-run and retry from the failed step.
import { describe, expect, it } from "vitest";
import type { AppError } from "@/lib/errors";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TExecutor } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";
import { getDb } from "@/lib/server/db";
import { createFlow } from "@/lib/server/flows/create-flow";
import { publishFlow } from "@/lib/server/flows/publish-flow";
import { saveFlowDraft } from "@/lib/server/flows/save-flow-draft";
import { createProject } from "@/lib/server/projects/create-project";
import { cancelRun } from "@/lib/server/runs/cancel-run";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { createExecutors } from "@/lib/server/runs/executors";
import { getRun } from "@/lib/server/runs/get-run";
import { listRuns } from "@/lib/server/runs/list-runs";
import { rerunRun, retryRunFromFailedStep } from "@/lib/server/runs/rerun-run";
import { startRun } from "@/lib/server/runs/start-run";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.42", userAgent: "vitest" };
let n = 0;
const newUser = () => getDb().user.create({ data: { email: `runs-${++n}@example.com` }, select: { id: true } });

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as AppError,
  );
}

/** trigger → double (transform) → wait 1 hour → report (transform) */
const document: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
    {
      id: "double",
      type: "step.transform",
      name: "Double",
      config: { expression: "{ 'n': trigger.n * 2, 'password': trigger.password }" },
      ui: { x: 0, y: 0 },
    },
    { id: "wait", type: "step.delay", name: "Wait", config: { mode: "duration", amount: 1, unit: "hours" }, ui: { x: 0, y: 0 } },
    { id: "report", type: "step.transform", name: "Report", config: { expression: "steps.double.output.n + 1" }, ui: { x: 0, y: 0 } },
  ],
  edges: [
    { id: "e1", source: "trigger", target: "double" },
    { id: "e2", source: "double", target: "wait" },
    { id: "e3", source: "wait", target: "report" },
  ],
};

async function setup() {
  const [owner, editor, viewer, outsider] = await Promise.all([newUser(), newUser(), newUser(), newUser()]);
  const project = await createProject(owner.id, { name: `Runs ${n}` }, meta);
  await getDb().membership.createMany({
    data: [
      { projectId: project.id, userId: editor.id, role: "EDITOR" },
      { projectId: project.id, userId: viewer.id, role: "VIEWER" },
    ],
  });
  const flow = await createFlow(editor.id, { projectId: project.id, name: "Doubler" }, meta);
  await saveFlowDraft(editor.id, {
    flowId: flow.id,
    revision: 1,
    operations: [
      { op: "remove_node", nodeId: "trigger" },
      ...document.nodes.map((node) => ({ op: "add_node" as const, node })),
      ...document.edges.map((edge) => ({ op: "connect" as const, edge })),
    ],
  });
  await publishFlow(editor.id, { flowId: flow.id }, meta);
  return { owner, editor, viewer, outsider, project, flow };
}

/** Claims and executes a run until it ends; each sleep is skipped by moving the clock past it. */
async function drive(runId: string, executors: Partial<Record<string, TExecutor>> = createExecutors(), wakeEarly = true) {
  let offsetMs = 0;
  for (let pass = 0; pass < 10; pass += 1) {
    const claimed = await claimNextRun(`w-${pass}`, 5);
    if (claimed !== runId) throw new Error(`claimed ${claimed} instead of ${runId}`);
    const outcome = await executeRun(runId, { owner: `w-${pass}`, executors, secretsFor: async () => [], now: () => new Date(Date.now() + offsetMs) });
    if (outcome !== "suspended" || !wakeEarly) return outcome;
    const { wakeAt } = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { wakeAt: true } });
    offsetMs = wakeAt!.getTime() - Date.now() + 1000;
    await getDb().flowRun.update({ where: { id: runId }, data: { wakeAt: new Date(0) } });
  }
  throw new Error("the run did not finish in 10 passes");
}

describe("runs", () => {
  it("editors run, viewers read the scrubbed timeline, outsiders see nothing", async () => {
    const { editor, viewer, outsider, project, flow } = await setup();
    expect((await errorOf(startRun({ flowId: flow.id, payload: {}, trigger: "manual", userId: viewer.id }))).code).toBe("NOT_FOUND");
    const { runId } = await startRun({ flowId: flow.id, payload: { n: 20, password: "hunter2-correct-horse" }, trigger: "manual", userId: editor.id, meta });
    expect(await drive(runId)).toBe("succeeded");

    const view = await getRun(viewer.id, runId);
    expect(view.status).toBe("SUCCEEDED");
    expect(view.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ["double", "succeeded"],
      ["wait", "succeeded"],
      ["report", "succeeded"],
    ]);
    expect(view.steps[0]!.record?.output).toEqual({ n: 40, password: "[redacted]" });
    expect(view.steps[2]!.record?.output).toBe(41);
    expect(view.payload).toEqual({ n: 20, password: "[redacted]" });
    expect((await listRuns(viewer.id, project.id)).runs.map((r) => r.id)).toEqual([runId]);

    const foreign = await errorOf(getRun(outsider.id, runId));
    expect([foreign.code, foreign.message]).toEqual(["NOT_FOUND", "Run not found."]);
    expect((await errorOf(listRuns(outsider.id, project.id))).code).toBe("NOT_FOUND");
    expect((await errorOf(cancelRun(viewer.id, { runId }, meta))).code).toBe("NOT_FOUND");
    expect((await errorOf(rerunRun(viewer.id, { runId, version: "pinned" }, meta))).code).toBe("NOT_FOUND");
  });

  it("cancels a sleeping run at once, and keeps nothing of its state but the payload", async () => {
    const { editor, flow } = await setup();
    const { runId } = await startRun({ flowId: flow.id, payload: { n: 1 }, trigger: "manual", userId: editor.id });
    expect(await drive(runId, createExecutors(), false)).toBe("suspended");
    expect((await getRun(editor.id, runId)).steps.find((s) => s.nodeId === "wait")?.status).toBe("running");
    expect(await cancelRun(editor.id, { runId }, meta)).toEqual({ status: "CANCELLED" });
    const run = await getRun(editor.id, runId);
    expect([run.status, run.steps.find((s) => s.nodeId === "report")?.status]).toEqual(["CANCELLED", "pending"]);
    expect(await getDb().runState.findMany({ where: { runId }, select: { stepKey: true } })).toEqual([{ stepKey: "trigger:payload" }]);
    expect(await claimNextRun("late", 5)).toBeNull();
  });

  it("re-runs with the original payload and retries from the failed step reusing outputs", async () => {
    const { editor, flow } = await setup();
    let reportCalls = 0;
    let doubleCalls = 0;
    const failing: Partial<Record<string, TExecutor>> = {
      ...createExecutors(),
      "step.transform": async (context) => {
        if (context.node.id === "double") doubleCalls += 1;
        if (context.node.id === "report") {
          reportCalls += 1;
          if (reportCalls === 1) throw new StepFailure("The report service answered 400.", { retryable: false });
        }
        return createExecutors()["step.transform"]!(context);
      },
    };
    const { runId } = await startRun({ flowId: flow.id, payload: { n: 5 }, trigger: "manual", userId: editor.id });
    expect(await drive(runId, failing)).toBe("failed");
    const failed = await getRun(editor.id, runId);
    expect([failed.failedNodeId, failed.error, failed.canRetryFromFailed]).toEqual(["report", "The report service answered 400.", true]);

    const retry = await retryRunFromFailedStep(editor.id, { runId }, meta);
    expect(await drive(retry.runId, failing)).toBe("succeeded");
    expect(doubleCalls).toBe(1);
    expect((await getRun(editor.id, retry.runId)).steps.find((s) => s.nodeId === "report")?.record?.output).toBe(11);

    const again = await rerunRun(editor.id, { runId, version: "current" }, meta);
    expect(await drive(again.runId, failing)).toBe("succeeded");
    expect(doubleCalls).toBe(2);
    const rerun = await getDb().flowRun.findUniqueOrThrow({ where: { id: again.runId }, select: { trigger: true, retryOfRunId: true } });
    expect(rerun).toEqual({ trigger: "rerun", retryOfRunId: runId });
  });
});
