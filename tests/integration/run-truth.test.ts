// What a run's page reads (getRun) after a cancel and after a retry from the failed step,
// on the embedded driver against a real PostgreSQL: an ended run shows no step still
// running, the step it was in reads "cancelled" (finished when the run did, and not
// metered), and a retry shows the steps it took from the earlier run as "reused", with
// both runs linked to each other.
import { describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TExecutor, TStepTools } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";
import { toRunJson } from "@/lib/runs/run-json";
import { getDb } from "@/lib/server/db";
import { cancelRun } from "@/lib/server/runs/cancel-run";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun, type TExecuteResult } from "@/lib/server/runs/embedded/execute-run";
import { executeInngestRun } from "@/lib/server/runs/inngest/execute-inngest-run";
import { createExecutors } from "@/lib/server/runs/executors";
import { getRun } from "@/lib/server/runs/get-run";
import { retryRunFromFailedStep } from "@/lib/server/runs/rerun-run";
import { subscribeRunEvents } from "@/lib/server/runs/run-events";
import { startRun } from "@/lib/server/runs/start-run";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.77", userAgent: "vitest" };

const node = (id: string, type: string, config: Record<string, unknown>) => ({
  id,
  type,
  name: id[0]!.toUpperCase() + id.slice(1),
  config,
  ui: { x: 0, y: 0 },
});
const chain = (ids: string[]) => ids.slice(1).map((id, index) => ({ id: `e${index}`, source: ids[index]!, target: id }));

/** trigger → double → wait 1 hour → report */
const delayDocument: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    node("trigger", "trigger.manual", {}),
    node("double", "step.transform", { expression: "trigger.n * 2" }),
    node("wait", "step.delay", { mode: "duration", amount: 1, unit: "hours" }),
    node("report", "step.transform", { expression: "steps.double.output + 1" }),
  ],
  edges: chain(["trigger", "double", "wait", "report"]),
};

/** trigger → double → fetch (slow, fails like an HTTP 503, retried) → report */
const slowDocument: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    node("trigger", "trigger.manual", {}),
    node("double", "step.transform", { expression: "trigger.n * 2" }),
    node("fetch", "test.slow", { retry: { attempts: 4 } }),
    node("report", "step.transform", { expression: "steps.double.output + 1" }),
  ],
  edges: chain(["trigger", "double", "fetch", "report"]),
};

/** trigger → double → triple → report */
const retryDocument: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    node("trigger", "trigger.manual", {}),
    node("double", "step.transform", { expression: "trigger.n * 2" }),
    node("triple", "step.transform", { expression: "steps.double.output * 3" }),
    node("report", "step.transform", { expression: "steps.triple.output + 1" }),
  ],
  edges: chain(["trigger", "double", "triple", "report"]),
};

let workers = 0;
async function executeOnce(runId: string, executors: Partial<Record<string, TExecutor>>): Promise<TExecuteResult> {
  const owner = `truth-${++workers}`;
  expect(await claimNextRun(owner, 5)).toBe(runId);
  return executeRun(runId, { owner, executors, secretsFor: async () => [] });
}

/** Executes until the run ends; each sleep is cut short by moving its wake time to the past (the clock moves with it). */
async function drive(runId: string, executors: Partial<Record<string, TExecutor>>): Promise<TExecuteResult> {
  let offsetMs = 0;
  for (let pass = 0; pass < 10; pass += 1) {
    const owner = `truth-${++workers}`;
    expect(await claimNextRun(owner, 5)).toBe(runId);
    const outcome = await executeRun(runId, { owner, executors, secretsFor: async () => [], now: () => new Date(Date.now() + offsetMs) });
    if (outcome !== "suspended") return outcome;
    const { wakeAt } = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { wakeAt: true } });
    offsetMs = wakeAt!.getTime() - Date.now() + 1000;
    await getDb().flowRun.update({ where: { id: runId }, data: { wakeAt: new Date(0) } });
  }
  throw new Error("the run did not finish in 10 passes");
}

async function stepExecutions(projectId: string): Promise<number> {
  const days = await getDb().usageDay.findMany({ where: { projectId }, select: { stepExecutions: true } });
  return days.reduce((sum, day) => sum + day.stepExecutions, 0);
}

async function stepRows(runId: string) {
  const rows = await getDb().flowRunStep.findMany({ where: { runId }, select: { nodeId: true, status: true, attempts: true, finishedAt: true } });
  return Object.fromEntries(rows.map((row) => [row.nodeId, row]));
}

describe("a cancelled run's page", () => {
  it("shows the Delay it slept in as cancelled, finished with the run, and counts no execution for it", async () => {
    const { userId, projectId, flowId } = await seedPublishedFlow(delayDocument, "truth-delay");
    const { runId } = await startRun({ flowId, payload: { n: 4 }, trigger: "manual", userId });
    expect(await executeOnce(runId, createExecutors())).toBe("suspended");
    expect((await getRun(userId, runId)).steps.map((s) => [s.nodeId, s.status])).toEqual([
      ["double", "succeeded"],
      ["wait", "running"],
      ["report", "pending"],
    ]);
    const meteredBefore = await stepExecutions(projectId);
    expect(meteredBefore).toBe(1);

    const events = subscribeRunEvents(runId);
    try {
      expect(await cancelRun(userId, { runId }, meta)).toEqual({ status: "CANCELLED" });
      // The cancel announces the run's change (a waiting webhook call or page wakes at once).
      expect(await events.next(200)).toBe("event");
    } finally {
      events.close();
    }

    const run = await getRun(userId, runId);
    expect(run.status).toBe("CANCELLED");
    expect(run.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ["double", "succeeded"],
      ["wait", "cancelled"],
      ["report", "pending"],
    ]);
    const wait = run.steps.find((s) => s.nodeId === "wait")!;
    expect(wait.finishedAt?.toISOString()).toBe(run.finishedAt?.toISOString());
    expect(wait.startedAt).not.toBeNull();
    expect(toRunJson(run, new Date()).steps[1]).toMatchObject({ nodeId: "wait", status: "cancelled", finishedAt: run.finishedAt!.toISOString() });
    expect(await getDb().flowRunStep.count({ where: { runId, status: "running" } })).toBe(0);
    expect(await stepExecutions(projectId)).toBe(meteredBefore);
  });

  it("shows a slow step cancelled between its attempts as cancelled, with its attempts, when the driver ends the run", async () => {
    let release!: () => void;
    let started!: () => void;
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const isReleased = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const executors: Partial<Record<string, TExecutor>> = {
      ...createExecutors(),
      "test.slow": async () => {
        calls += 1;
        started();
        await isReleased;
        throw new StepFailure("The service answered 503.", { retryable: true });
      },
    };
    const { userId, projectId, flowId } = await seedPublishedFlow(slowDocument, "truth-slow");
    const { runId } = await startRun({ flowId, payload: { n: 4 }, trigger: "manual", userId });
    const owner = `truth-${++workers}`;
    expect(await claimNextRun(owner, 5)).toBe(runId);
    const executing = executeRun(runId, { owner, executors, secretsFor: async () => [] });

    await isStarted;
    // A slow attempt is shown as running once it outlasts the run log's short delay (step-log-buffer.ts).
    for (let tries = 0; tries < 50 && (await stepRows(runId)).fetch?.status !== "running"; tries += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    // A worker holds the run: the cancel is requested, and the step in progress finishes its attempt.
    expect(await cancelRun(userId, { runId }, meta)).toEqual({ status: "RUNNING" });
    const during = await getRun(userId, runId);
    expect([during.status, during.cancelRequested, during.steps[1]!.status, during.steps[1]!.attempts]).toEqual(["RUNNING", true, "running", 1]);
    release();
    // The attempt failed and may be retried: the run sleeps for the backoff, still in the step.
    expect(await executing).toBe("suspended");
    expect((await stepRows(runId)).fetch?.status).toBe("running");

    await getDb().flowRun.update({ where: { id: runId }, data: { wakeAt: new Date(0) } });
    expect(await executeOnce(runId, executors)).toBe("cancelled");
    expect(calls).toBe(1);

    const run = await getRun(userId, runId);
    expect(run.status).toBe("CANCELLED");
    expect(run.steps.map((s) => [s.nodeId, s.status, s.attempts])).toEqual([
      ["double", "succeeded", 1],
      ["fetch", "cancelled", 1],
      ["report", "pending", 0],
    ]);
    expect(run.steps[1]!.finishedAt?.toISOString()).toBe(run.finishedAt?.toISOString());
    expect(await getDb().flowRunStep.count({ where: { runId, status: "running" } })).toBe(0);
    // Only "double" ran to an end; the cancelled step is not a step execution.
    expect(await stepExecutions(projectId)).toBe(1);
  });

  it("a queued run cancelled before any worker took it has no step running", async () => {
    const { userId, projectId, flowId } = await seedPublishedFlow(delayDocument, "truth-queued");
    const { runId } = await startRun({ flowId, payload: { n: 1 }, trigger: "manual", userId });
    expect(await cancelRun(userId, { runId }, meta)).toEqual({ status: "CANCELLED" });
    const run = await getRun(userId, runId);
    expect(run.status).toBe("CANCELLED");
    expect(run.steps.map((s) => s.status)).toEqual(["pending", "pending", "pending"]);
    expect(await getDb().flowRunStep.count({ where: { runId } })).toBe(0);
    expect(await claimNextRun("after-cancel", 5)).toBeNull();
    expect(await stepExecutions(projectId)).toBe(0);
  });
});

describe("a cancelled run on the Inngest driver", () => {
  it("keeps the Delay it slept in cancelled when the function wakes after the cancel, and meters nothing for it", async () => {
    const { userId, projectId, flowId } = await seedPublishedFlow(delayDocument, "truth-inngest");
    const { runId } = await startRun({ flowId, payload: { n: 3 }, trigger: "manual", userId });
    let cancelAnswer: unknown;
    // Inngest memoizes steps itself; here each step runs once, in order, and the Delay's
    // sleep is where a person cancels (no worker lease on this driver: the run ends at once).
    const step: TStepTools = {
      run: async (_id, fn) => fn(),
      sleep: async () => {
        cancelAnswer = await cancelRun(userId, { runId }, meta);
        expect((await stepRows(runId)).wait?.status).toBe("cancelled");
      },
      sleepUntil: async () => undefined,
    };
    expect(await executeInngestRun(runId, step, { executors: createExecutors(), secretsFor: async () => [] })).toEqual({ status: "CANCELLED" });
    expect(cancelAnswer).toEqual({ status: "CANCELLED" });

    const run = await getRun(userId, runId);
    expect(run.status).toBe("CANCELLED");
    // The Delay's own "succeeded" write after waking does not undo the cancel.
    expect(run.steps.map((s) => [s.nodeId, s.status])).toEqual([
      ["double", "succeeded"],
      ["wait", "cancelled"],
      ["report", "pending"],
    ]);
    expect(run.steps[1]!.finishedAt?.toISOString()).toBe(run.finishedAt?.toISOString());
    expect(await getDb().flowRunStep.count({ where: { runId, status: "running" } })).toBe(0);
    expect(await stepExecutions(projectId)).toBe(1);
  });
});

describe("a retry from the failed step", () => {
  it("shows the steps it took from the earlier run as reused, linked both ways, and meters only what ran", async () => {
    let reportCalls = 0;
    let doubleCalls = 0;
    const transform = createExecutors()["step.transform"]!;
    const executors: Partial<Record<string, TExecutor>> = {
      ...createExecutors(),
      "step.transform": async (context) => {
        if (context.node.id === "double") doubleCalls += 1;
        if (context.node.id === "report" && ++reportCalls === 1) throw new StepFailure("The report service answered 400.", { retryable: false });
        return transform(context);
      },
    };
    const { userId, projectId, flowId } = await seedPublishedFlow(retryDocument, "truth-retry");
    const { runId: originalId } = await startRun({ flowId, payload: { n: 5 }, trigger: "manual", userId });
    expect(await drive(originalId, executors)).toBe("failed");
    expect(await stepExecutions(projectId)).toBe(3);

    const { runId: retryId } = await retryRunFromFailedStep(userId, { runId: originalId }, meta);
    // Known from the moment the retry is queued, before any worker takes it.
    const queued = await getRun(userId, retryId);
    expect(queued.steps.map((s) => [s.nodeId, s.status, s.reusedFromRunId])).toEqual([
      ["double", "reused", originalId],
      ["triple", "reused", originalId],
      ["report", "pending", null],
    ]);
    expect(await stepExecutions(projectId)).toBe(3);

    expect(await drive(retryId, executors)).toBe("succeeded");
    expect([doubleCalls, reportCalls]).toEqual([1, 2]);
    const retry = await getRun(userId, retryId);
    expect(retry.steps.map((s) => [s.nodeId, s.status, s.attempts, s.reusedFromRunId])).toEqual([
      ["double", "reused", 0, originalId],
      ["triple", "reused", 0, originalId],
      ["report", "succeeded", 1, null],
    ]);
    // The reused step shows the result it was given: the earlier run's scrubbed record.
    expect(retry.steps.map((s) => s.record?.output)).toEqual([10, 30, 31]);
    // Only "report" ran again.
    expect(await stepExecutions(projectId)).toBe(4);

    const original = await getRun(userId, originalId);
    expect(original.steps.map((s) => [s.nodeId, s.status, s.reusedFromRunId])).toEqual([
      ["double", "succeeded", null],
      ["triple", "succeeded", null],
      ["report", "failed", null],
    ]);
    expect(original.retries.map((r) => [r.id, r.trigger, r.status])).toEqual([[retryId, "retry", "SUCCEEDED"]]);
    expect(original.retryOf).toBeNull();
    expect([retry.retryOf?.id, retry.retryOf?.trigger, retry.retryOf?.status, retry.retries]).toEqual([originalId, "manual", "FAILED", []]);

    const json = toRunJson(retry, new Date());
    expect(json.steps[0]).toMatchObject({ nodeId: "double", status: "reused", reusedFromRunId: originalId });
    expect(json.retryOf?.id).toBe(originalId);
    expect(toRunJson(original, new Date()).retries.map((r) => r.id)).toEqual([retryId]);
  });

  it("a retry of a retry runs none of the reused steps again and links each to the run that produced it", async () => {
    let tripleCalls = 0;
    let reportCalls = 0;
    const transform = createExecutors()["step.transform"]!;
    const executors: Partial<Record<string, TExecutor>> = {
      ...createExecutors(),
      "step.transform": async (context) => {
        if (context.node.id === "triple") tripleCalls += 1;
        if (context.node.id === "report" && ++reportCalls <= 2) throw new StepFailure("The report service answered 400.", { retryable: false });
        return transform(context);
      },
    };
    const { userId, projectId, flowId } = await seedPublishedFlow(retryDocument, "truth-retry-chain");
    const { runId: firstId } = await startRun({ flowId, payload: { n: 2 }, trigger: "manual", userId });
    expect(await drive(firstId, executors)).toBe("failed");
    const { runId: secondId } = await retryRunFromFailedStep(userId, { runId: firstId }, meta);
    expect(await drive(secondId, executors)).toBe("failed");
    const { runId: thirdId } = await retryRunFromFailedStep(userId, { runId: secondId }, meta);
    expect(await drive(thirdId, executors)).toBe("succeeded");

    // double and triple ran once, in the first run; report three times (two failures, then the success).
    expect([tripleCalls, reportCalls]).toEqual([1, 3]);
    expect(await stepExecutions(projectId)).toBe(5);
    const third = await getRun(userId, thirdId);
    expect(third.steps.map((s) => [s.nodeId, s.status, s.reusedFromRunId, s.record?.output])).toEqual([
      ["double", "reused", firstId, 4],
      ["triple", "reused", firstId, 12],
      ["report", "succeeded", null, 13],
    ]);
    expect(third.retryOf?.id).toBe(secondId);
    expect((await getRun(userId, secondId)).retries.map((r) => r.id)).toEqual([thirdId]);

    // Once the run that produced a result is gone (retention), the step still reads reused, without a link.
    await getDb().flowRun.delete({ where: { id: firstId } });
    const later = await getRun(userId, thirdId);
    expect(later.steps.map((s) => [s.nodeId, s.status, s.reusedFromRunId])).toEqual([
      ["double", "reused", null],
      ["triple", "reused", null],
      ["report", "succeeded", null],
    ]);
  });
});
