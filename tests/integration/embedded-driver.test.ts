// The flow engine's semantics suite against the embedded driver on a real PostgreSQL:
// memoized steps in sealed run state, sleeps that park the run, crash and resume by
// lease expiry, cancel through the database, and the run log scrubbed then sealed.
import { describe, expect, it } from "vitest";
import { conditionExecutor } from "@/lib/server/runs/executors/condition";
import { transformExecutor } from "@/lib/server/runs/executors/transform";
import { getDb } from "@/lib/server/db";
import { claimDueRuns, claimDueRunsReporting, claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { startEmbeddedDriver } from "@/lib/server/runs/embedded/embedded-driver";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { openRunLogValue } from "@/lib/server/runs/run-log";
import { startRun } from "@/lib/server/runs/start-run";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TExecutor } from "@/lib/flows/interpreter";
import { defineFlowSemanticsSuite, type TDriverRun } from "../support/flow-semantics";
import { queueSuiteRun, runResultFromLog, seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

class Crash extends Error {}

const runEmbedded: TDriverRun = async ({ document, triggerPayload, executors, reuse, isCancelled, crashAfterSteps }) => {
  const db = getDb();
  const { runId, executors: wrapped } = await queueSuiteRun({ document, triggerPayload, executors, reuse, isCancelled });
  let virtualNow = Date.now();
  const sleeps: number[] = [];
  let saved = 0;
  let crashed = false;
  for (let pass = 0; pass < 50; pass += 1) {
    const owner = `test-worker-${pass}`;
    const claimed = await claimNextRun(owner, 5);
    expect(claimed).toBe(runId);
    try {
      const outcome = await executeRun(runId, {
        owner,
        executors: wrapped,
        secretsFor: async () => [],
        now: () => new Date(virtualNow),
        afterStepSaved: () => {
          saved += 1;
          if (crashAfterSteps !== undefined && !crashed && saved >= crashAfterSteps) {
            crashed = true;
            throw new Crash();
          }
        },
      });
      if (outcome === "suspended") {
        const run = await db.flowRun.findUniqueOrThrow({ where: { id: runId }, select: { wakeAt: true } });
        sleeps.push(run.wakeAt!.getTime() - virtualNow);
        virtualNow = run.wakeAt!.getTime();
        await db.flowRun.update({ where: { id: runId }, data: { wakeAt: new Date(Date.now() - 1000) } });
        continue;
      }
      break;
    } catch (error) {
      if (!(error instanceof Crash)) throw error;
      // The worker "died": its lease runs out and another worker takes the run over.
      await db.flowRun.update({ where: { id: runId }, data: { leaseUntil: new Date(Date.now() - 1000) } });
    }
  }
  if (crashAfterSteps !== undefined && !crashed) throw new Error(`crashAfterSteps=${crashAfterSteps} was never reached`);
  return { result: await runResultFromLog(runId), sleeps };
};

defineFlowSemanticsSuite("embedded driver on PostgreSQL", runEmbedded, conditionExecutor);

describe("embedded driver", () => {
  it("keeps only sealed, scrubbed records and deletes in-flight state at the end", async () => {
    const secret = "sk_live_51Habcdefghijklmnopqrstuv";
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
        { id: "shape", type: "step.transform", name: "Shape", config: { expression: '{ "token": trigger.apiKey, "n": trigger.n * 2 }' }, ui: { x: 0, y: 0 } },
      ],
      edges: [{ id: "e1", source: "trigger", target: "shape" }],
    };
    const seeded = await seedPublishedFlow(document);
    const { runId } = await startRun({ flowId: seeded.flowId, payload: { apiKey: secret, n: 21 }, trigger: "manual", userId: seeded.userId });
    expect(await claimNextRun("w1", 5)).toBe(runId);
    expect(await executeRun(runId, { owner: "w1", executors: { "step.transform": transformExecutor }, secretsFor: async () => [] })).toBe("succeeded");

    const db = getDb();
    // Only the trigger payload stays (sealed) for re-running; every step result is gone.
    expect(await db.runState.findMany({ where: { runId }, select: { stepKey: true } })).toEqual([{ stepKey: "trigger:payload" }]);
    const step = await db.flowRunStep.findUniqueOrThrow({ where: { runId_nodeId: { runId, nodeId: "shape" } } });
    const record = openRunLogValue(step.recordSealed!, seeded.projectId, runId, "step/shape") as { output: { token: string; n: number } };
    expect(record.output).toEqual({ token: "[redacted]", n: 42 });
    const dump = JSON.stringify(await db.$queryRawUnsafe("SELECT * FROM flow_runs")) + JSON.stringify(await db.$queryRawUnsafe("SELECT * FROM flow_run_steps"));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain('"n":42');
  });

  it("gives a Transform in a loop's body the current item and index as loop.item and loop.index", async () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
        { id: "each", type: "step.loop", name: "Each", config: { items: "{{trigger.items}}", maxItems: 10, concurrency: 1 }, ui: { x: 0, y: 0 } },
        { id: "shape", type: "step.transform", name: "Shape", config: { expression: '{ "sku": loop.item.sku, "line": loop.index + 1 }' }, ui: { x: 0, y: 0 } },
      ],
      edges: [
        { id: "e1", source: "trigger", target: "each" },
        { id: "e2", source: "each", target: "shape", label: "each" },
      ],
    };
    const seeded = await seedPublishedFlow(document);
    const { runId } = await startRun({ flowId: seeded.flowId, payload: { items: [{ sku: "A-1" }, { sku: "B-2" }] }, trigger: "manual", userId: seeded.userId });
    expect(await claimNextRun("w-loop", 5)).toBe(runId);
    expect(await executeRun(runId, { owner: "w-loop", executors: { "step.transform": transformExecutor }, secretsFor: async () => [] })).toBe("succeeded");
    const step = await getDb().flowRunStep.findUniqueOrThrow({ where: { runId_nodeId: { runId, nodeId: "each" } } });
    const record = openRunLogValue(step.recordSealed!, seeded.projectId, runId, "step/each") as { output: unknown };
    expect(record.output).toEqual({
      count: 2,
      items: [
        { sku: "A-1", line: 1 },
        { sku: "B-2", line: 2 },
      ],
    });
  });

  it("lets excess runs of one project wait for a free slot", async () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [{ id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } }],
      edges: [],
    };
    const seeded = await seedPublishedFlow(document);
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push((await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId })).runId);
    expect(await claimNextRun("a", 2)).toBe(ids[0]);
    expect(await claimNextRun("b", 2)).toBe(ids[1]);
    expect(await claimNextRun("c", 2)).toBeNull();
    expect(await getDb().flowRun.count({ where: { id: ids[2], status: "QUEUED" } })).toBe(1);
    await getDb().flowRun.updateMany({ where: { id: { in: ids } }, data: { status: "CANCELLED", leaseUntil: null } });
  });

  it("claims several due runs in one statement, within each project's free slots", async () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [{ id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } }],
      edges: [],
    };
    const first = await seedPublishedFlow(document);
    const second = await seedPublishedFlow(document);
    const firstIds = [];
    for (let i = 0; i < 3; i += 1) firstIds.push((await startRun({ flowId: first.flowId, payload: {}, trigger: "manual", userId: first.userId })).runId);
    const { runId: secondId } = await startRun({ flowId: second.flowId, payload: { n: 1 }, trigger: "manual", userId: second.userId });
    const claimed = await claimDueRuns("batch", 2, 8);
    expect(claimed.map((run) => run.id).sort()).toEqual([firstIds[0], firstIds[1], secondId].sort());
    // The claim brings what executing needs: the sealed trigger state, the cancel flag.
    expect(claimed.find((run) => run.id === secondId)).toMatchObject({
      projectId: second.projectId,
      isCancelRequested: false,
      state: [{ k: "trigger:payload" }],
    });
    expect(await claimDueRuns("other", 2, 8)).toEqual([]);
    expect(await getDb().flowRun.count({ where: { id: firstIds[2], status: "QUEUED" } })).toBe(1);
    await getDb().flowRun.updateMany({ where: { id: { in: [...firstIds, secondId] } }, data: { status: "CANCELLED", leaseUntil: null } });
  });

  it("reports a project at its cap, so a slot freeing is worth a claim", async () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [{ id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } }],
      edges: [],
    };
    const seeded = await seedPublishedFlow(document);
    const ids = [];
    for (let i = 0; i < 2; i += 1) ids.push((await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId })).runId);
    // Room for both, none at its cap.
    const free = await claimDueRunsReporting("roomy", 5, 8);
    expect(free.runs.map((run) => run.id).sort()).toEqual([...ids].sort());
    expect(free.isCapped).toBe(false);
    await getDb().flowRun.updateMany({ where: { id: { in: ids } }, data: { status: "QUEUED", leaseUntil: null, leaseOwner: null } });
    // A cap of 1: the first is claimed, the second waits, and the claim says so.
    const capped = await claimDueRunsReporting("tight", 1, 8);
    expect(capped.runs.map((run) => run.id)).toEqual([ids[0]]);
    expect(capped.isCapped).toBe(true);
    // Nothing claimable, but the project is still at its cap.
    expect(await claimDueRunsReporting("tight", 1, 8)).toEqual({ runs: [], isCapped: true });
    await getDb().flowRun.updateMany({ where: { id: { in: ids } }, data: { status: "CANCELLED", leaseUntil: null, leaseOwner: null } });
    expect(await claimDueRunsReporting("tight", 1, 8)).toEqual({ runs: [], isCapped: false });
  });

  it("claims a run that waited for its project's free slot as soon as one frees, without waiting for the poll timer", async () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
        { id: "a", type: "test.pause", name: "A", config: {}, ui: { x: 0, y: 0 } },
      ],
      edges: [{ id: "e1", source: "trigger", target: "a" }],
    };
    const seeded = await seedPublishedFlow(document);
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push((await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId })).runId);
    const driver = startEmbeddedDriver({
      executors: { "test.pause": async () => new Promise((resolve) => setTimeout(() => resolve(1), 100)) },
      secretsFor: async () => [],
      concurrency: 4,
      perProjectLimit: 1,
      // Far longer than the test: only the driver's own claims after a run ends can finish all three.
      pollMs: 600_000,
    });
    try {
      const deadline = Date.now() + 10_000;
      while ((await getDb().flowRun.count({ where: { id: { in: ids }, status: "SUCCEEDED" } })) < 3) {
        if (Date.now() > deadline) throw new Error("a run waiting for a free slot was not claimed when one freed");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await driver.stop();
    }
  });

  it("shows a slow attempt as running while it runs, and logs a fast one with its result", async () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
        { id: "fast", type: "test.fast", name: "Fast", config: {}, ui: { x: 0, y: 0 } },
        { id: "slow", type: "test.slow", name: "Slow", config: {}, ui: { x: 0, y: 0 } },
      ],
      edges: [
        { id: "e1", source: "trigger", target: "fast" },
        { id: "e2", source: "fast", target: "slow" },
      ],
    };
    const seeded = await seedPublishedFlow(document);
    const { runId } = await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId });
    const db = getDb();
    const seen: Record<string, unknown>[] = [];
    const executors: Record<string, TExecutor> = {
      "test.fast": async () => ({ fast: true }),
      "test.slow": async () => {
        await new Promise((resolve) => setTimeout(resolve, 600));
        seen.push(...(await db.flowRunStep.findMany({ where: { runId }, select: { nodeId: true, status: true, attempts: true }, orderBy: { nodeId: "asc" } })));
        return { slow: true };
      },
    };
    expect(await claimNextRun("w-slow", 5)).toBe(runId);
    expect(await executeRun(runId, { owner: "w-slow", executors, secretsFor: async () => [] })).toBe("succeeded");
    expect(seen).toEqual([
      { nodeId: "fast", status: "succeeded", attempts: 1 },
      { nodeId: "slow", status: "running", attempts: 1 },
    ]);
    const steps = await db.flowRunStep.findMany({ where: { runId }, orderBy: { nodeId: "asc" } });
    expect(steps.map((row) => [row.nodeId, row.status, row.attempts])).toEqual([
      ["fast", "succeeded", 1],
      ["slow", "succeeded", 1],
    ]);
    const slow = steps.find((row) => row.nodeId === "slow")!;
    expect(slow.finishedAt!.getTime() - slow.startedAt!.getTime()).toBeGreaterThanOrEqual(500);
  });

  it("writes nothing for a run whose lease another worker took over", async () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
        { id: "a", type: "test.takeover", name: "A", config: {}, ui: { x: 0, y: 0 } },
      ],
      edges: [{ id: "e1", source: "trigger", target: "a" }],
    };
    const seeded = await seedPublishedFlow(document);
    const { runId } = await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId });
    const db = getDb();
    expect(await claimNextRun("w-old", 5)).toBe(runId);
    const executors: Record<string, TExecutor> = {
      // While the old worker runs the step, its lease passes to another worker.
      "test.takeover": async () => {
        await db.flowRun.update({ where: { id: runId }, data: { leaseOwner: "w-new" } });
        return 1;
      },
    };
    expect(await executeRun(runId, { owner: "w-old", executors, secretsFor: async () => [] })).toBe("lost");
    expect(await db.runState.findMany({ where: { runId }, select: { stepKey: true } })).toEqual([{ stepKey: "trigger:payload" }]);
    expect(await db.flowRunStep.count({ where: { runId } })).toBe(0);
    expect(await db.flowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, leaseOwner: true } })).toEqual({
      status: "RUNNING",
      leaseOwner: "w-new",
    });
    await db.flowRun.update({ where: { id: runId }, data: { status: "CANCELLED", leaseUntil: null, leaseOwner: null } });
  });

  it("keeps the last step when the statement that ends the run fails, so the resume does not run it again", async () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
        { id: "a", type: "test.effect", name: "A", config: {}, ui: { x: 0, y: 0 } },
        { id: "b", type: "test.effect", name: "B", config: {}, ui: { x: 0, y: 0 } },
      ],
      edges: [
        { id: "e1", source: "trigger", target: "a" },
        { id: "e2", source: "a", target: "b" },
      ],
    };
    const seeded = await seedPublishedFlow(document);
    const { runId } = await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId });
    const db = getDb();
    const effects: string[] = [];
    const executors: Record<string, TExecutor> = {
      // Each call stands for a side effect the outside world sees (an HTTP POST, a mail).
      "test.effect": async (context) => {
        effects.push(context.node.id);
        return context.node.id;
      },
    };
    try {
      // The database refuses this run's end once (as a dropped connection or a failover
      // would); the sequence counts across the rolled-back statement.
      await db.$executeRawUnsafe(`CREATE SEQUENCE finish_refusals`);
      await db.$executeRawUnsafe(`CREATE FUNCTION refuse_first_finish() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW."finishedAt" IS NOT NULL AND OLD."finishedAt" IS NULL AND nextval('finish_refusals') = 1 THEN RAISE EXCEPTION 'the database went away'; END IF;
          RETURN NEW;
        END $$`);
      await db.$executeRawUnsafe(
        `CREATE TRIGGER refuse_first_finish BEFORE UPDATE ON flow_runs FOR EACH ROW WHEN (NEW.id = '${runId}'::uuid) EXECUTE FUNCTION refuse_first_finish()`,
      );
      expect(await claimNextRun("w-1", 5)).toBe(runId);
      await expect(executeRun(runId, { owner: "w-1", executors, secretsFor: async () => [] })).rejects.toThrow(/the database went away/);
      expect(effects).toEqual(["a", "b"]);
      // Both steps' results are stored, though the run did not end.
      const state = await db.runState.findMany({ where: { runId }, select: { stepKey: true }, orderBy: { stepKey: "asc" } });
      expect(state.map((row) => row.stepKey)).toEqual(["run:node:a:attempt:1", "run:node:b:attempt:1", "trigger:payload"]);
      expect((await db.flowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true } })).status).toBe("RUNNING");

      // The worker's lease runs out; another worker resumes the run and replays both steps.
      await db.flowRun.update({ where: { id: runId }, data: { leaseUntil: new Date(Date.now() - 1000) } });
      expect(await claimNextRun("w-2", 5)).toBe(runId);
      expect(await executeRun(runId, { owner: "w-2", executors, secretsFor: async () => [] })).toBe("succeeded");
      expect(effects).toEqual(["a", "b"]);
      const run = await db.flowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true } });
      expect(run.status).toBe("SUCCEEDED");
      const steps = await db.flowRunStep.findMany({ where: { runId }, select: { nodeId: true, status: true }, orderBy: { nodeId: "asc" } });
      expect(steps).toEqual([
        { nodeId: "a", status: "succeeded" },
        { nodeId: "b", status: "succeeded" },
      ]);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_first_finish ON flow_runs`);
      await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS refuse_first_finish`);
      await db.$executeRawUnsafe(`DROP SEQUENCE IF EXISTS finish_refusals`);
    }
  });

  it("stops a runaway transform and reports it", async () => {
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
        { id: "loop", type: "step.transform", name: "Loop", config: { expression: "( $f := function($x) { $f($x + 1) }; $f(0) )" }, ui: { x: 0, y: 0 } },
      ],
      edges: [{ id: "e1", source: "trigger", target: "loop" }],
    };
    const seeded = await seedPublishedFlow(document);
    const { runId } = await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId });
    expect(await claimNextRun("w", 5)).toBe(runId);
    expect(await executeRun(runId, { owner: "w", executors: { "step.transform": transformExecutor }, secretsFor: async () => [] })).toBe("failed");
    const run = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { error: true } });
    expect(run.error).toMatch(/nests too deeply|took longer/);
    // The failed step's result is stored with the run's end (a failed run keeps its state for a retry), and its log row.
    const state = await getDb().runState.findMany({ where: { runId }, select: { stepKey: true }, orderBy: { stepKey: "asc" } });
    expect(state.map((row) => row.stepKey)).toEqual(["run:node:loop:attempt:1", "trigger:payload"]);
    expect(await getDb().flowRunStep.findMany({ where: { runId }, select: { nodeId: true, status: true } })).toEqual([{ nodeId: "loop", status: "failed" }]);
  });
});
