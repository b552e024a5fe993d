// A hostile flow author writes JSONata that never yields: a regular expression with
// catastrophic backtracking, recursion that explodes, results that eat memory. Each runs
// as a real run (embedded driver, real PostgreSQL) while /api/health is asked, several
// times, to answer: it must, within 100 ms each time (the figure), because the
// expression runs in a worker thread that the pool terminates at its deadline. The step
// fails with a clear message and the process (and the pool) carry on.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import type { TFlowDocument } from "@/lib/flows/document";
import { getDb } from "@/lib/server/db";
import { expressionPoolTestHooks, shutdownExpressionPool } from "@/lib/server/expressions/expression-pool";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { conditionExecutor } from "@/lib/server/runs/executors/condition";
import { transformExecutor } from "@/lib/server/runs/executors/transform";
import { startRun } from "@/lib/server/runs/start-run";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

// Small, so a test takes seconds; the default (EXPRESSION_TIMEOUT_MS) is 2 s.
const TIMEOUT_MS = 1000;
beforeAll(() => expressionPoolTestHooks.setLimits({ timeoutMs: TIMEOUT_MS }));
afterAll(async () => {
  expressionPoolTestHooks.setLimits(undefined);
  await shutdownExpressionPool();
});

// Each extra "a" doubles the work: 32 of them backtrack for about two minutes on this
// machine's V8, inside a single JSONata node (its own time limit never gets a say).
const BACKTRACKING = `$contains("${"a".repeat(32)}!", /^(a+)+$/)`;
const HEALTH_LIMIT_MS = 100;

function flowWith(step: { type: "step.transform" | "step.condition"; config: Record<string, unknown> }): TFlowDocument {
  return {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
      { id: "hostile", type: step.type, name: "Hostile", config: step.config, ui: { x: 0, y: 0 } },
    ],
    edges: [{ id: "e1", source: "trigger", target: "hostile" }],
  } as TFlowDocument;
}

const transform = (expression: string) => flowWith({ type: "step.transform", config: { expression } });
const condition = (expression: string) => flowWith({ type: "step.condition", config: { mode: "expression", expression } });

async function runFlow(document: TFlowDocument): Promise<{ status: string; error: string | null }> {
  const seeded = await seedPublishedFlow(document, "hostile");
  const { runId } = await startRun({ flowId: seeded.flowId, payload: { n: 1 }, trigger: "manual", userId: seeded.userId });
  expect(await claimNextRun("hostile-worker", 5)).toBe(runId);
  const status = await executeRun(runId, {
    owner: "hostile-worker",
    executors: { "step.transform": transformExecutor, "step.condition": conditionExecutor },
    secretsFor: async () => [],
  });
  const run = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { error: true } });
  return { status, error: run.error };
}

/**
 * Runs the flow while asking /api/health every 150 ms. Each probe's time counts from
 * when it was due, not from when the timer got to run: a health check sent while the
 * event loop is blocked waits for the block, and so does this one.
 */
async function runWhileProbingHealth(document: TFlowDocument) {
  await health(); // the database connection is warm before anything is measured
  let isDone = false;
  const run = runFlow(document).finally(() => (isDone = true));
  const probes: { ms: number; database: string }[] = [];
  let due = performance.now();
  while (!isDone) {
    const body = (await (await health()).json()) as { database: string };
    probes.push({ ms: performance.now() - due, database: body.database });
    due = performance.now() + 150;
    await sleep(150);
  }
  return { ...(await run), probes };
}

/**
 * Every answer came in time. `minimum`: how many answers an expression that runs to its
 * deadline leaves room for; on the main thread the first would wait for the whole
 * expression, and the run would be over before a second one was asked.
 */
function expectHealthyThroughout(probes: { ms: number; database: string }[], minimum: number) {
  expect(probes.length).toBeGreaterThanOrEqual(minimum);
  // The database check is the part that needs the event loop (a query and its answer).
  // The overall status is not asserted: this test process starts no run driver, which
  // readiness also reports.
  for (const probe of probes) expect(probe.database, JSON.stringify(probes)).toBe("ok");
  expect(Math.max(...probes.map((probe) => probe.ms)), JSON.stringify(probes)).toBeLessThan(HEALTH_LIMIT_MS);
}

describe("a hostile JSONata expression cannot freeze the web process", () => {
  // What is measured is a hostile expression, not a cold start: the pool's first worker
  // thread and the run path's first queries are made by a harmless run beforehand.
  beforeAll(async () => {
    expect(await runFlow(transform("1 + 1"))).toMatchObject({ status: "succeeded" });
  }, 30_000);

  // On the code before the fix the regex holds the event loop for minutes: this bound
  // makes such a run fail instead of hanging (it can only fire once the loop is free).
  const TEST_TIMEOUT_MS = 30_000;

  it("a Transform with catastrophic regex backtracking is stopped at its deadline while /api/health answers", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { status, error, probes } = await runWhileProbingHealth(transform(BACKTRACKING));
    expectHealthyThroughout(probes, 3);
    expect(status).toBe("failed");
    expect(error).toContain("The expression took longer than 1 s and was stopped.");
  });

  it("a Condition with the same regex is stopped the same way", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { status, error, probes } = await runWhileProbingHealth(condition(BACKTRACKING));
    expectHealthyThroughout(probes, 3);
    expect(status).toBe("failed");
    expect(error).toContain("The expression took longer than 1 s and was stopped.");
  });

  it(
    "recursion: an exploding call tree and an endless tail call stop at the deadline, deep nesting at the depth limit",
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      // Depth 40 is allowed; 2^40 calls are not. JSONata's own timer stops it between
      // nodes, but on the main thread every node in between was the event loop's time.
      const exploding = await runWhileProbingHealth(transform("( $f := function($n) { $n > 0 ? $f($n - 1) + $f($n - 1) : 1 }; $f(40) )"));
      expectHealthyThroughout(exploding.probes, 3);
      expect(exploding.status).toBe("failed");
      expect(exploding.error).toContain("The expression took longer than 1 s and was stopped.");

      // JSONata runs a tail call without growing its stack: this one loops until the deadline.
      const endless = await runWhileProbingHealth(transform("( $f := function($n) { $f($n + 1) }; $f(0) )"));
      expectHealthyThroughout(endless.probes, 3);
      expect(endless.status).toBe("failed");
      expect(endless.error).toContain("The expression took longer than 1 s and was stopped.");

      const deep = await runFlow(transform("( $f := function($n) { 1 + $f($n + 1) }; $f(0) )"));
      expect(deep.status).toBe("failed");
      expect(deep.error).toContain("The expression nests too deeply and was stopped.");
    },
  );

  it("huge results: a doubled string is refused by size, a heap filler by memory, and the next run still works", { timeout: TEST_TIMEOUT_MS }, async () => {
    // 16 × 2^24 characters (256 MB) built by doubling: cheap to make, ruinous to copy.
    const doublings = Array.from({ length: 24 }, () => "$s := $s & $s;").join(" ");
    const doubled = await runWhileProbingHealth(transform(`( $s := "xxxxxxxxxxxxxxxx"; ${doublings} $s )`));
    expectHealthyThroughout(doubled.probes, 1);
    expect(doubled.status).toBe("failed");
    expect(doubled.error).toContain("The expression's result is larger than 1024 KB.");

    // 40 distinct upper-cased copies of a 4 MB string: 160 MB live at once, past the
    // worker's heap limit (128 MB by default) long before the deadline.
    // Building them takes CPU time too: on a slow or busy machine more than the 1 s this
    // file's other cases use, so the deadline would stop it first. A longer deadline here
    // lets the heap limit, the thing under test, be what ends the worker.
    const fourMb = Array.from({ length: 18 }, () => "$s := $s & $s;").join(" ");
    expressionPoolTestHooks.setLimits({ timeoutMs: 8_000 });
    const filler = await runWhileProbingHealth(transform(`( $s := "xxxxxxxxxxxxxxxx"; ${fourMb} [1..40].$uppercase($s & $string($)) )`)).finally(() =>
      expressionPoolTestHooks.setLimits({ timeoutMs: TIMEOUT_MS }),
    );
    expectHealthyThroughout(filler.probes, 1);
    expect(filler.status).toBe("failed");
    expect(filler.error).toContain("The expression used more memory than allowed and was stopped.");

    // The web process and the pool survive: an ordinary expression still evaluates.
    const seeded = await seedPublishedFlow(transform('{ "doubled": trigger.n * 2 }'), "after");
    const { runId } = await startRun({ flowId: seeded.flowId, payload: { n: 21 }, trigger: "manual", userId: seeded.userId });
    expect(await claimNextRun("hostile-worker", 5)).toBe(runId);
    expect(await executeRun(runId, { owner: "hostile-worker", executors: { "step.transform": transformExecutor }, secretsFor: async () => [] })).toBe(
      "succeeded",
    );
  });
});
