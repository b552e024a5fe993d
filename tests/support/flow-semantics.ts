// The flow engine's semantics as one suite, run against every driver: memoization,
// branch routing, delays, retries with backoff, exhaustion, cancel, and retry from the
// failed step. A driver passes by running `interpretFlow` with its own step tools.
import { describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import type { TExecutor, TRunResult } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";

export type TDriverRun = (input: {
  document: TFlowDocument;
  triggerPayload: unknown;
  executors: Record<string, TExecutor>;
  /** Outputs to reuse (retry from the failed step). */
  reuse?: Record<string, unknown>;
  isCancelled?: () => Promise<boolean>;
  /** Simulate a crash after this many completed durable steps, then resume. */
  crashAfterSteps?: number;
}) => Promise<{ result: TRunResult; sleeps: number[] }>;

const node = (id: string, type: string, config: Record<string, unknown> = {}): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } });

function branching(): TFlowDocument {
  return {
    schemaVersion: 1,
    nodes: [
      node("trigger", "trigger.manual"),
      node("check", "step.condition", { mode: "compare", left: "{{trigger.amount}}", operator: "greater_than", right: "100" }),
      node("big", "test.record", { label: "big {{trigger.amount}}" }),
      node("small", "test.record", { label: "small {{trigger.amount}}" }),
      node("wait", "step.delay", { mode: "duration", amount: 2, unit: "hours" }),
      node("after", "test.record", { label: "after {{steps.big.output.label}}" }),
    ],
    edges: [
      { id: "e1", source: "trigger", target: "check" },
      { id: "e2", source: "check", target: "big", label: "true" },
      { id: "e3", source: "check", target: "small", label: "false" },
      { id: "e4", source: "big", target: "wait" },
      { id: "e5", source: "wait", target: "after" },
    ],
  };
}

function chain(...types: [string, string][]): TFlowDocument {
  const nodes = [node("trigger", "trigger.manual"), ...types.map(([id, type]) => node(id, type, { label: id }))];
  return {
    schemaVersion: 1,
    nodes,
    edges: nodes.slice(1).map((n, i) => ({ id: `e${i}`, source: nodes[i]!.id, target: n.id })),
  };
}

/** `canCrash: false` for a driver that cannot stop a run mid-way; its memoization is then shown by replay alone. */
/** An executor that records each call's rendered label, in order, and returns it. */
function labelRecorder(): { effects: string[]; record: TExecutor } {
  const effects: string[] = [];
  const record: TExecutor = async ({ config }) => {
    effects.push(String(config.label));
    return { label: config.label };
  };
  return { effects, record };
}

export function defineFlowSemanticsSuite(driverName: string, run: TDriverRun, conditionExecutor: TExecutor, { canCrash = true }: { canCrash?: boolean } = {}) {
  describe(`flow semantics: ${driverName}`, () => {
    it("routes branches, passes outputs on, and sleeps durably", async () => {
      const calls: string[] = [];
      const record: TExecutor = async ({ config }) => {
        calls.push(String(config.label));
        return { label: config.label };
      };
      const { result, sleeps } = await run({
        document: branching(),
        triggerPayload: { amount: 250 },
        executors: { "test.record": record, "step.condition": conditionExecutor },
      });
      expect(result.status).toBe("succeeded");
      expect(calls).toEqual(["big 250", "after big 250"]);
      expect(result.nodes.small).toEqual({ status: "skipped" });
      expect(result.nodes.check).toMatchObject({ status: "succeeded", branch: "true" });
      expect(sleeps).toContain(2 * 60 * 60 * 1000);

      const other = await run({
        document: branching(),
        triggerPayload: { amount: 5 },
        executors: { "test.record": record, "step.condition": conditionExecutor },
      });
      expect(other.result.nodes.big).toEqual({ status: "skipped" });
      expect(other.result.nodes.after).toEqual({ status: "skipped" });
      expect(calls.slice(2)).toEqual(["small 5"]);
    });

    it(
      canCrash ? "memoizes: after a crash and resume, no completed step runs again" : "memoizes: replaying from the top runs no completed step again",
      async () => {
        const effects: string[] = [];
        const record: TExecutor = async ({ node: n }) => {
          effects.push(n.id);
          return { id: n.id };
        };
        const { result } = await run({
          document: chain(["a", "test.record"], ["b", "test.record"], ["c", "test.record"]),
          triggerPayload: {},
          executors: { "test.record": record },
          ...(canCrash ? { crashAfterSteps: 2 } : {}),
        });
        expect(result.status).toBe("succeeded");
        expect(effects).toEqual(["a", "b", "c"]);
      },
    );

    it("retries a retryable failure with backoff, then succeeds", async () => {
      let calls = 0;
      const flaky: TExecutor = async () => {
        calls += 1;
        if (calls < 3) throw new StepFailure("The service answered 503.", { retryable: true });
        return { ok: true };
      };
      const { result, sleeps } = await run({ document: chain(["f", "test.flaky"]), triggerPayload: {}, executors: { "test.flaky": flaky } });
      expect(result.nodes.f).toEqual({ status: "succeeded", output: { ok: true }, input: { label: "f" }, attempts: 3 });
      expect(sleeps.length).toBe(2);
      // Exponential: the second wait's ceiling is twice the first's.
      expect(sleeps[0]).toBeGreaterThanOrEqual(500);
      expect(sleeps[1]).toBeGreaterThanOrEqual(1000);
    });

    it("honours Retry-After", async () => {
      let calls = 0;
      const limited: TExecutor = async () => {
        calls += 1;
        if (calls === 1) throw new StepFailure("429", { retryable: true, retryAfterMs: 42_000 });
        return 1;
      };
      const { sleeps } = await run({ document: chain(["l", "test.limited"]), triggerPayload: {}, executors: { "test.limited": limited } });
      expect(sleeps).toEqual([42_000]);
    });

    it("fails after the last attempt and runs nothing further", async () => {
      const after: string[] = [];
      const { result } = await run({
        document: chain(["bad", "test.bad"], ["next", "test.record"]),
        triggerPayload: {},
        executors: {
          "test.bad": async () => {
            throw new StepFailure("The service answered 500.", { retryable: true });
          },
          "test.record": async ({ node: n }) => after.push(n.id),
        },
      });
      expect(result).toMatchObject({ status: "failed", failedNodeId: "bad" });
      expect(result.nodes.bad).toEqual({ status: "failed", error: "The service answered 500.", attempts: 3, input: { label: "bad" } });
      expect(after).toEqual([]);
    });

    it("uses a step's own attempts and timeout", async () => {
      let calls = 0;
      const document = chain(["f", "test.flaky"], ["slow", "test.slow"]);
      document.nodes[1]!.config = { label: "f", retry: { attempts: 5 } };
      document.nodes[2]!.config = { label: "slow", retry: { attempts: 1, timeoutMs: 1000 } };
      const { result } = await run({
        document,
        triggerPayload: {},
        executors: {
          "test.flaky": async () => {
            calls += 1;
            if (calls < 5) throw new StepFailure("The service answered 503.", { retryable: true });
            return "done";
          },
          "test.slow": () => new Promise((resolve) => setTimeout(() => resolve("late"), 3000)),
        },
      });
      expect(result.nodes.f).toMatchObject({ status: "succeeded", attempts: 5 });
      expect(result.nodes.slow).toMatchObject({ status: "failed", attempts: 1, error: "The step took longer than 1 s." });
    });

    it("fails at once on a non-retryable error", async () => {
      let calls = 0;
      const { result } = await run({
        document: chain(["bad", "test.bad"]),
        triggerPayload: {},
        executors: {
          "test.bad": async () => {
            calls += 1;
            throw new StepFailure("The service answered 404.", { retryable: false });
          },
        },
      });
      expect(calls).toBe(1);
      expect(result.nodes.bad).toMatchObject({ status: "failed", attempts: 1 });
    });

    it("cancel: no further step starts", async () => {
      const ran: string[] = [];
      let cancelled = false;
      const { result } = await run({
        document: chain(["a", "test.record"], ["b", "test.record"]),
        triggerPayload: {},
        executors: {
          "test.record": async ({ node: n }) => {
            ran.push(n.id);
            cancelled = true;
            return null;
          },
        },
        isCancelled: async () => cancelled,
      });
      expect(result.status).toBe("cancelled");
      expect(ran).toEqual(["a"]);
    });

    it("retry from the failed step reuses earlier outputs", async () => {
      const ran: string[] = [];
      const record: TExecutor = async ({ node: n, config }) => {
        ran.push(n.id);
        return { label: config.label };
      };
      const document = chain(["a", "test.record"], ["b", "test.record"]);
      document.nodes[2]!.config = { label: "{{steps.a.output.label}}-b" };
      const { result } = await run({ document, triggerPayload: {}, executors: { "test.record": record }, reuse: { a: { label: "kept" } } });
      expect(ran).toEqual(["b"]);
      expect(result.nodes.b).toMatchObject({ status: "succeeded", output: { label: "kept-b" } });
    });

    it("fails a step whose mapping points at nothing, naming the path", async () => {
      const document = chain(["a", "test.record"]);
      document.nodes[1]!.config = { label: "{{trigger.missing.field}}" };
      const { result } = await run({ document, triggerPayload: {}, executors: { "test.record": async () => 1 } });
      expect(result.nodes.a).toMatchObject({ status: "failed", attempts: 1, error: expect.stringContaining('nothing at "trigger.missing"') });
    });

    it(canCrash ? "loops: each item runs once, in order, even across a crash mid-loop" : "loops: each item runs once, in order", async () => {
      const { effects, record } = labelRecorder();
      const document: TFlowDocument = {
        schemaVersion: 1,
        nodes: [
          node("trigger", "trigger.manual"),
          node("each", "step.loop", { items: "{{trigger.items}}", maxItems: 10, concurrency: 1 }),
          node("work", "test.record", { label: "{{loop.index}}:{{loop.item}}" }),
          node("after", "test.record", { label: "after {{steps.each.output.count}}" }),
        ],
        edges: [
          { id: "e1", source: "trigger", target: "each" },
          { id: "e2", source: "each", target: "work", label: "each" },
          { id: "e3", source: "each", target: "after", label: "done" },
        ],
      };
      const { result } = await run({
        document,
        triggerPayload: { items: ["a", "b", "c"] },
        executors: { "test.record": record },
        ...(canCrash ? { crashAfterSteps: 3 } : {}),
      });
      expect(result.status).toBe("succeeded");
      expect(effects).toEqual(["0:a", "1:b", "2:c", "after 3"]);
      expect(result.nodes.each).toMatchObject({ status: "succeeded", output: { count: 3, items: [{ label: "0:a" }, { label: "1:b" }, { label: "2:c" }] } });
      expect(result.nodes["work@1"]).toMatchObject({ status: "succeeded", output: { label: "1:b" } });
    });

    it("loops: up to two items at a time (where the driver can), each sleeping durably in its body, every step once and the outputs in order", async () => {
      const { effects, record } = labelRecorder();
      const document: TFlowDocument = {
        schemaVersion: 1,
        nodes: [
          node("trigger", "trigger.manual"),
          node("each", "step.loop", { items: "{{trigger.items}}", maxItems: 10, concurrency: 2 }),
          node("first", "test.record", { label: "first {{loop.item}}" }),
          node("pause", "step.delay", { mode: "duration", amount: 1, unit: "seconds" }),
          node("second", "test.record", { label: "second {{loop.item}}" }),
        ],
        edges: [
          { id: "e1", source: "trigger", target: "each" },
          { id: "e2", source: "each", target: "first", label: "each" },
          { id: "e3", source: "first", target: "pause" },
          { id: "e4", source: "pause", target: "second" },
        ],
      };
      const { result } = await run({ document, triggerPayload: { items: ["a", "b", "c"] }, executors: { "test.record": record } });
      expect(result.status).toBe("succeeded");
      expect([...effects].sort()).toEqual(["first a", "first b", "first c", "second a", "second b", "second c"]);
      expect(result.nodes.each).toMatchObject({ output: { count: 3, items: [{ label: "second a" }, { label: "second b" }, { label: "second c" }] } });
    });

    it("onError: continue carries the error on; branch takes the error path", async () => {
      const calls: string[] = [];
      const document = (onError: "continue" | "branch"): TFlowDocument => ({
        schemaVersion: 1,
        nodes: [
          node("trigger", "trigger.manual"),
          node("bad", "test.bad", { onError }),
          node("next", "test.record", { label: "next {{steps.bad.output.error.message}}" }),
          node("oops", "test.record", { label: "oops {{steps.bad.output.error.code}}" }),
        ],
        edges: [
          { id: "e1", source: "trigger", target: "bad" },
          { id: "e2", source: "bad", target: "next" },
          ...(onError === "branch" ? [{ id: "e3", source: "bad", target: "oops", label: "error" as const }] : []),
        ],
      });
      const executors: Record<string, TExecutor> = {
        "test.bad": async () => {
          throw new StepFailure("The service refused it.", { retryable: false, code: "REFUSED" });
        },
        "test.record": async ({ config }) => calls.push(String(config.label)),
      };
      const continued = await run({ document: document("continue"), triggerPayload: {}, executors });
      expect(continued.result.status).toBe("succeeded");
      expect(continued.result.nodes.bad).toMatchObject({ status: "succeeded", output: { error: { message: "The service refused it.", code: "REFUSED" } } });
      const branched = await run({ document: document("branch"), triggerPayload: {}, executors });
      expect(branched.result.status).toBe("succeeded");
      expect(branched.result.nodes.next).toEqual({ status: "skipped" });
      expect(calls).toEqual(["next The service refused it.", "oops REFUSED"]);
    });
  });
}
