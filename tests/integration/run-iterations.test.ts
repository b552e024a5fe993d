// A loop's iterations on the run page's data: each body step's runs per item, in item
// order with their statuses and scrubbed records, the loop's "N items, M failed", the
// same in the run JSON, and nothing for a user of another project.
import { describe, expect, it } from "vitest";
import type { AppError } from "@/lib/errors";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TExecutor } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";
import { toRunJson } from "@/lib/runs/run-json";
import { getDb } from "@/lib/server/db";
import { createFlow } from "@/lib/server/flows/create-flow";
import { publishFlow } from "@/lib/server/flows/publish-flow";
import { saveFlowDraft } from "@/lib/server/flows/save-flow-draft";
import { createProject } from "@/lib/server/projects/create-project";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { createExecutors } from "@/lib/server/runs/executors";
import { getRun } from "@/lib/server/runs/get-run";
import { startRun } from "@/lib/server/runs/start-run";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.43", userAgent: "vitest" };
let n = 0;
const newUser = () => getDb().user.create({ data: { email: `iterations-${++n}@example.com` }, select: { id: true } });

/** trigger → each item (loop) → shout (transform, On error: continue) ; loop done → total */
const document: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
    { id: "each", type: "step.loop", name: "Each word", config: { items: "{{trigger.words}}", maxItems: 100, concurrency: 1 }, ui: { x: 0, y: 0 } },
    { id: "shout", type: "step.transform", name: "Shout", config: { expression: "$uppercase(loop.item)", onError: "continue" }, ui: { x: 0, y: 0 } },
    { id: "total", type: "step.transform", name: "Total", config: { expression: "steps.each.output.count" }, ui: { x: 0, y: 0 } },
  ],
  edges: [
    { id: "e1", source: "trigger", target: "each" },
    { id: "e2", source: "each", target: "shout", label: "each" },
    { id: "e3", source: "each", target: "total", label: "done" },
  ],
};

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as AppError,
  );
}

async function setup() {
  const [owner, viewer, stranger] = await Promise.all([newUser(), newUser(), newUser()]);
  const project = await createProject(owner.id, { name: `Iterations ${n}` }, meta);
  await createProject(stranger.id, { name: `Elsewhere ${n}` }, meta);
  await getDb().membership.create({ data: { projectId: project.id, userId: viewer.id, role: "VIEWER" } });
  const flow = await createFlow(owner.id, { projectId: project.id, name: "Shouter" }, meta);
  await saveFlowDraft(owner.id, {
    flowId: flow.id,
    revision: 1,
    operations: [
      { op: "remove_node", nodeId: "trigger" },
      ...document.nodes.map((node) => ({ op: "add_node" as const, node })),
      ...document.edges.map((edge) => ({ op: "connect" as const, edge })),
    ],
  });
  await publishFlow(owner.id, { flowId: flow.id }, meta);
  return { owner, viewer, stranger, flow };
}

describe("a loop run's iterations", () => {
  it("lists each item's run of a body step in item order, with statuses and records, for members only", async () => {
    const { owner, viewer, stranger, flow } = await setup();
    const words = Array.from({ length: 12 }, (_, i) => `w${i}`);
    // The third item's run fails (handled by On error: continue); the others shout.
    const executors: Partial<Record<string, TExecutor>> = {
      ...createExecutors(),
      "step.transform": async (context) => {
        if (context.waitKey === "node:shout@2") throw new StepFailure("The word service answered 503.", { retryable: false });
        return createExecutors()["step.transform"]!(context);
      },
    };
    const { runId } = await startRun({ flowId: flow.id, payload: { words }, trigger: "manual", userId: owner.id, meta });
    expect(await claimNextRun("w-1", 5)).toBe(runId);
    expect(await executeRun(runId, { owner: "w-1", executors, secretsFor: async () => [] })).toBe("succeeded");

    const view = await getRun(viewer.id, runId);
    expect(view.steps.map((step) => [step.nodeId, step.status, step.iterations.length])).toEqual([
      ["each", "succeeded", 0],
      ["shout", "succeeded", 12],
      ["total", "succeeded", 0],
    ]);
    const shout = view.steps[1]!;
    // Item order is numeric (10 and 11 come last, not after 1).
    expect(shout.iterations.map((iteration) => iteration.nodeId)).toEqual(words.map((_, i) => `shout@${i}`));
    expect(shout.iterations.map((iteration) => iteration.index)).toEqual(words.map((_, i) => [i]));
    expect(shout.iterations.map((iteration) => iteration.status)).toEqual(words.map(() => "succeeded"));
    expect(shout.iterations[0]!.record?.output).toBe("W0");
    expect(shout.iterations[11]!.record?.output).toBe("W11");
    expect(shout.iterations[2]!.record).toMatchObject({ error: "The word service answered 503.", handled: true });
    expect(shout.iterations.every((iteration) => iteration.attempts === 1 && iteration.startedAt && iteration.finishedAt)).toBe(true);
    expect(view.steps[0]!.loop).toEqual({ items: 12, failed: 1 });
    expect(view.steps[1]!.loop).toBeNull();
    // No iteration row shows as a step of its own.
    expect(view.steps.some((step) => step.nodeId.includes("@"))).toBe(false);

    const json = toRunJson(view, new Date());
    expect(json.steps[1]!.iterations.map((iteration) => [iteration.nodeId, iteration.status, iteration.record?.handled ?? false])).toEqual(
      words.map((_, i) => [`shout@${i}`, "succeeded", i === 2]),
    );
    expect(json.steps[0]!.loop).toEqual({ items: 12, failed: 1 });

    const foreign = await errorOf(getRun(stranger.id, runId));
    expect([foreign.code, foreign.message]).toEqual(["NOT_FOUND", "Run not found."]);
  });

  it("shows an unhandled failure on its item and says how many items failed", async () => {
    const { owner, flow } = await setup();
    const executors: Partial<Record<string, TExecutor>> = {
      ...createExecutors(),
      "step.transform": async (context) => {
        if (context.waitKey === "node:shout@1") throw new StepFailure("Nope.", { retryable: false });
        return createExecutors()["step.transform"]!(context);
      },
    };
    // Without On error the item's failure fails the loop.
    await getDb().flowVersion.updateMany({
      where: { flowId: flow.id },
      data: {
        document: {
          ...document,
          nodes: document.nodes.map((node) => (node.id === "shout" ? { ...node, config: { expression: "$uppercase(loop.item)" } } : node)),
        } as object,
      },
    });
    const { runId } = await startRun({ flowId: flow.id, payload: { words: ["a", "b", "c"] }, trigger: "manual", userId: owner.id, meta });
    expect(await claimNextRun("w-2", 5)).toBe(runId);
    expect(await executeRun(runId, { owner: "w-2", executors, secretsFor: async () => [] })).toBe("failed");
    const view = await getRun(owner.id, runId);
    const shout = view.steps.find((step) => step.nodeId === "shout")!;
    expect(shout.iterations.map((iteration) => [iteration.nodeId, iteration.status])).toEqual([
      ["shout@0", "succeeded"],
      ["shout@1", "failed"],
    ]);
    expect(shout.iterations[1]!.record?.error).toBe("Nope.");
    expect(view.steps.find((step) => step.nodeId === "each")!.status).toBe("failed");
    expect(view.steps.find((step) => step.nodeId === "each")!.loop).toEqual({ items: 2, failed: 1 });
  });
});
