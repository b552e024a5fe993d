// Flow control in the interpreter, on the in-process step tools: loops (order, concurrency,
// replay after a crash, the item limit), onError, merge, approvals and sub-flows waiting
// for their signal, and the run's output.
import { describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowEdge, TFlowNode } from "@/lib/flows/document";
import { interpretFlow, type TExecutor, type TNodeOutcome, type TStepTools } from "@/lib/flows/interpreter";
import { createMemoryStepTools, WaitParked } from "@/lib/flows/memory-step-tools";
import { StepFailure } from "@/lib/flows/retry-policy";

const node = (id: string, type: string, config: Record<string, unknown> = {}): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } });
const edge = (source: string, target: string, label?: TFlowEdge["label"]): TFlowEdge => ({
  id: `${source}-${target}${label ? `-${label}` : ""}`,
  source,
  target,
  ...(label ? { label } : {}),
});
const doc = (nodes: TFlowNode[], edges: TFlowEdge[]): TFlowDocument => ({ schemaVersion: 1, nodes: [node("trigger", "trigger.manual"), ...nodes], edges });

/** Echoes its rendered `value` after `delayMs` of real time (so parallel iterations overlap). */
function recorder() {
  const calls: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const executor: TExecutor = async ({ config, node: n }) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    calls.push(`${n.id}:${JSON.stringify(config.value)}`);
    await new Promise((resolve) => setTimeout(resolve, Number(config.delayMs ?? 0)));
    inFlight -= 1;
    if (config.fail) throw new StepFailure(String(config.fail), { retryable: false, code: "BROKEN" });
    return { value: config.value };
  };
  return { calls, executor, maxInFlight: () => maxInFlight };
}

async function run(document: TFlowDocument, executors: Record<string, TExecutor>, options: { step?: TStepTools; trigger?: unknown } = {}) {
  const events: { nodeId: string; status: string }[] = [];
  const result = await interpretFlow({
    runId: "r1",
    projectId: "p1",
    document,
    triggerPayload: options.trigger ?? { what: "the release", items: [] },
    step: options.step ?? createMemoryStepTools(new Map(), 0),
    executors,
    hooks: { onNodeEvent: async ({ nodeId, outcome }) => void events.push({ nodeId, status: outcome.status }) },
  });
  return { result, events };
}

/** A loop over the trigger's `items`, a body of `work` (echoing `{{loop.item}}`) then `after` on done. */
function loopDocument(loopConfig: Record<string, unknown> = {}, work: Record<string, unknown> = {}): TFlowDocument {
  return doc(
    [
      node("each", "step.loop", { items: "{{trigger.items}}", maxItems: 100, concurrency: 1, ...loopConfig }),
      node("work", "test.work", { value: "{{loop.item}}#{{loop.index}}", ...work }),
      node("after", "test.work", { value: "{{steps.each.output.count}}" }),
    ],
    [edge("trigger", "each"), edge("each", "work", "each"), edge("each", "after", "done")],
  );
}

describe("loops", () => {
  it("runs 3 items two at a time and collects the outputs in item order", async () => {
    const work = recorder();
    // The first item is the slowest: it finishes last, yet its output comes first.
    const document = loopDocument({ concurrency: 2 }, { value: "{{loop.item.name}}", delayMs: "{{loop.item.ms}}" });
    const items = [
      { name: "a", ms: 60 },
      { name: "b", ms: 5 },
      { name: "c", ms: 5 },
    ];
    const { result, events } = await run(document, { "test.work": work.executor }, { trigger: { items } });
    expect(result.status).toBe("succeeded");
    expect(result.nodes.each).toMatchObject({
      status: "succeeded",
      branch: "done",
      output: { count: 3, items: [{ value: "a" }, { value: "b" }, { value: "c" }] },
    });
    expect(work.maxInFlight()).toBe(2);
    expect(result.nodes["work@0"]).toMatchObject({ status: "succeeded", output: { value: "a" } });
    expect(result.nodes["work@2"]).toMatchObject({ status: "succeeded", output: { value: "c" } });
    expect(result.nodes.after).toMatchObject({ status: "succeeded", output: { value: 3 } });
    // The run log: each iteration under <node>@<index>, then one row for the body step and the loop.
    expect(events.filter((e) => e.status !== "running").map((e) => `${e.nodeId}:${e.status}`)).toEqual(
      expect.arrayContaining(["work@0:succeeded", "work@1:succeeded", "work@2:succeeded", "work:succeeded", "each:succeeded", "after:succeeded"]),
    );
    expect(result.nodes.work).toEqual({ status: "succeeded", output: { iterations: 3, failed: 0 }, attempts: 3 });
    expect(result.output).toEqual({ value: 3 });
  });

  it("runs one item at a time on step tools that do not say they can run steps in parallel", async () => {
    const work = recorder();
    const { canRunInParallel: _parallel, ...sequential } = createMemoryStepTools(new Map(), 0);
    void _parallel;
    const document = loopDocument({ concurrency: 3 }, { value: "{{loop.item}}", delayMs: 10 });
    const { result } = await run(document, { "test.work": work.executor }, { step: sequential, trigger: { items: [1, 2, 3] } });
    expect(result.status).toBe("succeeded");
    expect(work.maxInFlight()).toBe(1);
  });

  it("gives {{loop.item}} and {{loop.index}} to the body, and an empty list runs nothing", async () => {
    const work = recorder();
    const { result } = await run(loopDocument(), { "test.work": work.executor }, { trigger: { items: ["x", "y"] } });
    expect(work.calls).toEqual(['work:"x#0"', 'work:"y#1"', "after:2"]);
    expect(result.nodes.each).toMatchObject({ output: { count: 2, items: [{ value: "x#0" }, { value: "y#1" }] } });
    const empty = recorder();
    const none = await run(loopDocument(), { "test.work": empty.executor }, { trigger: { items: [] } });
    expect(none.result.status).toBe("succeeded");
    expect(empty.calls).toEqual(["after:0"]);
    expect(none.result.nodes.work).toEqual({ status: "skipped" });
  });

  it("after a crash mid-loop, the replay runs no finished iteration again", async () => {
    const effects: string[] = [];
    const executor: TExecutor = async ({ config }) => {
      effects.push(String(config.value));
      return { value: config.value };
    };
    const memo = new Map<string, unknown>();
    const crashAt = "node:work@2:attempt:1";
    let hasCrashed = false;
    class Crash extends Error {}
    const crashing = (): TStepTools => {
      const tools = createMemoryStepTools(memo, 0);
      return {
        ...tools,
        run: async <T>(id: string, fn: () => Promise<T>) => {
          // Dies after the third item's side effect, before its result is stored.
          if (id === crashAt && !hasCrashed) {
            hasCrashed = true;
            await fn();
            throw new Crash();
          }
          return tools.run(id, fn);
        },
      };
    };
    const document = loopDocument({ concurrency: 2 });
    await expect(run(document, { "test.work": executor }, { step: crashing(), trigger: { items: ["a", "b", "c", "d", "e"] } })).rejects.toBeInstanceOf(Crash);
    const beforeReplay = [...effects];
    expect(beforeReplay).toEqual(expect.arrayContaining(["a#0", "b#1", "c#2"]));
    const { result } = await run(document, { "test.work": executor }, { step: crashing(), trigger: { items: ["a", "b", "c", "d", "e"] } });
    expect(result.status).toBe("succeeded");
    const replayed = effects.slice(beforeReplay.length);
    // Only the item whose result was never stored runs again, then those never started.
    for (const done of beforeReplay.filter((e) => e !== "c#2")) expect(replayed).not.toContain(done);
    expect(replayed).toContain("c#2");
    expect(effects.filter((e) => e === "a#0")).toHaveLength(1);
    expect(result.nodes.each).toMatchObject({ output: { count: 5, items: ["a#0", "b#1", "c#2", "d#3", "e#4"].map((value) => ({ value })) } });
  });

  it("refuses more items than maxItems, clearly, before any item runs", async () => {
    const work = recorder();
    const { result } = await run(loopDocument({ maxItems: 3 }), { "test.work": work.executor }, { trigger: { items: [1, 2, 3, 4] } });
    expect(result.status).toBe("failed");
    expect(result.failedNodeId).toBe("each");
    expect(result.nodes.each).toMatchObject({ status: "failed", code: "LOOP_TOO_MANY_ITEMS" });
    expect((result.nodes.each as { error: string }).error).toBe(
      'The list has 4 items, more than this loop\'s limit of 3; no item was run. Raise "Max items" (up to 1000) or pass a shorter list.',
    );
    expect(work.calls).toEqual([]);
  });

  it("a hostile list of a million items is refused by maxItems without building the body's runs", async () => {
    const work = recorder();
    const huge = new Array(1_000_000).fill(0);
    const document = doc(
      [
        node("make", "test.huge", {}),
        node("each", "step.loop", { items: "{{steps.make.output}}", maxItems: 1000, concurrency: 10 }),
        node("work", "test.work", { value: "{{loop.item}}" }),
      ],
      [edge("trigger", "make"), edge("make", "each"), edge("each", "work", "each")],
    );
    const memo = new Map<string, unknown>();
    const started = Date.now();
    const { result, events } = await run(document, { "test.huge": async () => huge, "test.work": work.executor }, { step: createMemoryStepTools(memo, 0) });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.status).toBe("failed");
    expect((result.nodes.each as { error: string }).error).toContain("1000000 items, more than this loop's limit of 1000");
    expect(work.calls).toEqual([]);
    expect(Object.keys(result.nodes).filter((id) => id.includes("@"))).toEqual([]);
    expect(events.some((e) => e.nodeId.includes("@"))).toBe(false);
    expect([...memo.keys()].some((key) => key.includes("@"))).toBe(false);
  });

  it("a list that is not a list fails the loop with a message saying so", async () => {
    const { result } = await run(loopDocument(), { "test.work": recorder().executor }, { trigger: { items: { a: 1 } } });
    expect(result.nodes.each).toMatchObject({ status: "failed", code: "LOOP_NOT_A_LIST" });
    expect((result.nodes.each as { error: string }).error).toMatch(/^The loop's list is an object, not a list/);
  });

  it("an item that fails fails the loop, naming the item and the step; with onError continue the run goes on", async () => {
    const work = recorder();
    const document = loopDocument({}, { fail: "{{loop.item.fail}}", value: "{{loop.index}}" });
    const items = [{ fail: "" }, { fail: "boom" }, { fail: "" }];
    const { result } = await run(document, { "test.work": work.executor }, { trigger: { items } });
    expect(result.status).toBe("failed");
    expect(result.nodes.each).toMatchObject({ status: "failed", error: 'Item 2 of 3 failed at "work": boom', code: "BROKEN" });
    expect(result.nodes.work).toMatchObject({ status: "failed", error: "Item 2: boom" });
    // Concurrency 1: the third item never started.
    expect(work.calls).toEqual(["work:0", "work:1"]);

    const handled = loopDocument({}, { fail: "{{loop.item.fail}}", value: "{{loop.index}}", onError: "continue" });
    const second = await run(handled, { "test.work": recorder().executor }, { trigger: { items } });
    expect(second.result.status).toBe("succeeded");
    expect(second.result.nodes.each).toMatchObject({
      output: { count: 3, items: [{ value: 0 }, { error: { message: "boom", code: "BROKEN" } }, { value: 2 }] },
    });
    expect(second.result.nodes.work).toEqual({ status: "succeeded", output: { iterations: 3, failed: 1 }, attempts: 3 });
  });

  it("runs a loop inside a loop, keying each inner iteration by both indexes", async () => {
    const work = recorder();
    const document = doc(
      [
        node("rows", "step.loop", { items: "{{trigger.rows}}" }),
        node("cells", "step.loop", { items: "{{loop.item}}" }),
        node("cell", "test.work", { value: "{{loop.item}}" }),
      ],
      [edge("trigger", "rows"), edge("rows", "cells", "each"), edge("cells", "cell", "each")],
    );
    const { result } = await run(document, { "test.work": work.executor }, { trigger: { rows: [["a", "b"], ["c"]] } });
    expect(result.status).toBe("succeeded");
    expect(result.nodes["cell@0.1"]).toMatchObject({ output: { value: "b" } });
    expect(result.nodes["cell@1.0"]).toMatchObject({ output: { value: "c" } });
    expect(result.nodes["cells@1"]).toMatchObject({ output: { count: 1 } });
    expect(result.nodes.rows).toMatchObject({
      output: {
        count: 2,
        items: [
          { count: 2, items: [{ value: "a" }, { value: "b" }] },
          { count: 1, items: [{ value: "c" }] },
        ],
      },
    });
  });
});

describe("onError", () => {
  const failing: TExecutor = async () => {
    throw new StepFailure("The server answered 503.", { retryable: false, code: "HTTP_503" });
  };

  it("continue: the step counts as done with the scrubbed error, and the next step reads it", async () => {
    const work = recorder();
    const document = doc(
      [node("call", "test.fail", { onError: "continue" }), node("next", "test.work", { value: "{{steps.call.output.error.message}}" })],
      [edge("trigger", "call"), edge("call", "next")],
    );
    const { result } = await run(document, { "test.fail": failing, "test.work": work.executor });
    expect(result.status).toBe("succeeded");
    expect(result.nodes.call).toMatchObject({
      status: "succeeded",
      output: { error: { message: "The server answered 503.", code: "HTTP_503" } },
      handled: { error: "The server answered 503.", code: "HTTP_503" },
    });
    expect(work.calls).toEqual(['next:"The server answered 503."']);
  });

  it("branch: the failure follows the error path only; a success follows the normal path only", async () => {
    const document = (executor: string) =>
      doc(
        [
          node("call", executor, { onError: "branch" }),
          node("ok", "test.work", { value: "ok" }),
          node("oops", "test.work", { value: "{{steps.call.output.error.code}}" }),
        ],
        [edge("trigger", "call"), edge("call", "ok"), edge("call", "oops", "error")],
      );
    const work = recorder();
    const failed = await run(document("test.fail"), { "test.fail": failing, "test.work": work.executor });
    expect(failed.result.status).toBe("succeeded");
    expect(failed.result.nodes.call).toMatchObject({ status: "succeeded", branch: "error" });
    expect(failed.result.nodes.ok).toEqual({ status: "skipped" });
    expect(work.calls).toEqual(['oops:"HTTP_503"']);

    const fine = recorder();
    const passed = await run(document("test.work"), { "test.work": fine.executor });
    expect(passed.result.nodes.oops).toEqual({ status: "skipped" });
    expect(fine.calls).toEqual(["call:undefined", 'ok:"ok"']);
  });

  it("stop (or absent): the run fails at the step, as before", async () => {
    const document = doc([node("call", "test.fail", {}), node("next", "test.work", { value: 1 })], [edge("trigger", "call"), edge("call", "next")]);
    const { result } = await run(document, { "test.fail": failing, "test.work": recorder().executor });
    expect(result).toMatchObject({ status: "failed", failedNodeId: "call" });
  });
});

describe("merge", () => {
  it("runs once with the live paths' outputs when one side of a condition is skipped", async () => {
    const condition: TExecutor = async ({ config }) => config.left === "yes";
    const document = (mode: "object" | "list") =>
      doc(
        [
          node("check", "step.condition", { mode: "compare", left: "{{trigger.go}}", operator: "equals", right: "yes" }),
          node("a", "test.work", { value: "A" }),
          node("b", "test.work", { value: "B" }),
          node("both", "step.merge", { mode }),
          node("after", "test.work", { value: "{{steps.both.output}}" }),
        ],
        [edge("trigger", "check"), edge("check", "a", "true"), edge("check", "b", "false"), edge("a", "both"), edge("b", "both"), edge("both", "after")],
      );
    const work = recorder();
    const { result } = await run(document("object"), { "step.condition": condition, "test.work": work.executor }, { trigger: { go: "yes" } });
    expect(result.nodes.b).toEqual({ status: "skipped" });
    expect(result.nodes.both).toMatchObject({ status: "succeeded", output: { a: { value: "A" } } });
    expect(work.calls.filter((c) => c.startsWith("after"))).toEqual(['after:{"a":{"value":"A"}}']);
    const list = await run(document("list"), { "step.condition": condition, "test.work": recorder().executor }, { trigger: { go: "no" } });
    expect(list.result.nodes.both).toMatchObject({ output: [{ value: "B" }] });
  });

  it("is skipped when no path into it ran", async () => {
    const condition: TExecutor = async () => false;
    const document = doc(
      [node("check", "step.condition", {}), node("a", "test.work", {}), node("b", "test.work", {}), node("both", "step.merge", { mode: "object" })],
      [edge("trigger", "check"), edge("check", "a", "true"), edge("check", "b", "true"), edge("a", "both"), edge("b", "both")],
    );
    const { result } = await run(document, { "step.condition": condition, "test.work": recorder().executor });
    expect(result.nodes.both).toEqual({ status: "skipped" });
  });
});

describe("waiting steps: approval and sub-flow", () => {
  function approvalDocument(inLoop = false): TFlowDocument {
    const ask = node("ask", "step.approval", { message: "Ship {{trigger.what}}?", timeout: { amount: 2, unit: "hours" } });
    const yes = node("yes", "test.work", { value: "{{steps.ask.output.by}}" });
    const no = node("no", "test.work", { value: "{{steps.ask.output.decision}}" });
    if (!inLoop) return doc([ask, yes, no], [edge("trigger", "ask"), edge("ask", "yes", "approved"), edge("ask", "no", "rejected")]);
    return doc(
      [node("each", "step.loop", { items: "{{trigger.items}}" }), ask, yes, no],
      [edge("trigger", "each"), edge("each", "ask", "each"), edge("ask", "yes", "approved"), edge("ask", "no", "rejected")],
    );
  }

  /** An approval executor that answers at once, as a person clicking the mailed link would. */
  function answering(tools: ReturnType<typeof createMemoryStepTools>, decision: "approved" | "rejected" | null) {
    const keys: string[] = [];
    const executor: TExecutor = async ({ waitKey }) => {
      keys.push(waitKey);
      if (decision) tools.sendSignal(waitKey, { decision, by: "owner@example.com", at: "2026-12-07T10:00:00.000Z" });
      return { approvalId: `approval-${keys.length}` };
    };
    return { executor, keys };
  }

  it("approved: takes the approved path with who and when", async () => {
    const tools = createMemoryStepTools(new Map(), 0);
    const approval = answering(tools, "approved");
    const work = recorder();
    const { result } = await run(
      approvalDocument(),
      { "step.approval": approval.executor, "test.work": work.executor },
      { step: tools, trigger: { what: "v2" } },
    );
    expect(approval.keys).toEqual(["approval:ask"]);
    expect(result.nodes.ask).toMatchObject({
      status: "succeeded",
      branch: "approved",
      output: { decision: "approved", by: "owner@example.com", at: "2026-12-07T10:00:00.000Z" },
    });
    expect(result.nodes.no).toEqual({ status: "skipped" });
    expect(work.calls).toEqual(['yes:"owner@example.com"']);
    expect(tools.waits.map((w) => w.key)).toEqual(["approval:ask"]);
  });

  it("rejected: takes the rejected path", async () => {
    const tools = createMemoryStepTools(new Map(), 0);
    const work = recorder();
    const { result } = await run(approvalDocument(), { "step.approval": answering(tools, "rejected").executor, "test.work": work.executor }, { step: tools });
    expect(result.nodes.ask).toMatchObject({ branch: "rejected", output: { decision: "rejected" } });
    expect(work.calls).toEqual(['no:"rejected"']);
  });

  it("timed out: the rejected path, with decision timed_out, after the timeout", async () => {
    const tools = createMemoryStepTools(new Map(), 0);
    const work = recorder();
    const started = Date.now();
    const { result } = await run(approvalDocument(), { "step.approval": answering(tools, null).executor, "test.work": work.executor }, { step: tools });
    expect(result.status).toBe("succeeded");
    expect(result.nodes.ask).toMatchObject({ branch: "rejected", output: { decision: "timed_out" } });
    expect(work.calls).toEqual(['no:"timed_out"']);
    const until = tools.waits[0]!.until.getTime();
    expect(until - started).toBeGreaterThanOrEqual(2 * 3_600_000 - 1000);
    expect(until - started).toBeLessThan(2 * 3_600_000 + 60_000);
  });

  it("a parked wait resumes on the signal with the same deadline, without asking again", async () => {
    const memo = new Map<string, unknown>();
    const signals = new Map<string, unknown>();
    let asked = 0;
    const executor: TExecutor = async () => ({ approvalId: `a${++asked}` });
    const first = createMemoryStepTools(memo, 0, { signals, parkWaits: true });
    await expect(run(approvalDocument(), { "step.approval": executor, "test.work": recorder().executor }, { step: first })).rejects.toBeInstanceOf(WaitParked);
    const deadline = first.waits[0]!.until.getTime();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = createMemoryStepTools(memo, 0, { signals, parkWaits: true });
    second.sendSignal("approval:ask", { decision: "approved", by: "a@example.com", at: "2026-12-07T10:00:00.000Z" });
    const { result } = await run(approvalDocument(), { "step.approval": executor, "test.work": recorder().executor }, { step: second });
    expect(result.nodes.ask).toMatchObject({ branch: "approved" });
    expect(second.waits[0]!.until.getTime()).toBe(deadline);
    expect(asked).toBe(1);
  });

  it("inside a loop, each item waits on its own key", async () => {
    const tools = createMemoryStepTools(new Map(), 0);
    const approval = answering(tools, "approved");
    const { result } = await run(
      approvalDocument(true),
      { "step.approval": approval.executor, "test.work": recorder().executor },
      { step: tools, trigger: { what: "x", items: [1, 2] } },
    );
    expect(result.status).toBe("succeeded");
    expect(approval.keys).toEqual(["approval:ask@0", "approval:ask@1"]);
    expect(result.nodes["yes@1"]).toMatchObject({ status: "succeeded" });
  });

  function subflowDocument(onError?: string): TFlowDocument {
    return doc(
      [
        node("child", "step.subflow", { flowId: "7d3c2f8e-0a51-4c55-9d7e-2f4a0e0c9b11", input: "{}", ...(onError ? { onError } : {}) }),
        node("next", "test.work", { value: "{{steps.child.output}}" }),
      ],
      [edge("trigger", "child"), edge("child", "next")],
    );
  }

  it("sub-flow: its output is the child's output; a failed child fails the step with the child's error", async () => {
    const tools = createMemoryStepTools(new Map(), 0);
    const work = recorder();
    const succeeding: TExecutor = async ({ waitKey }) => {
      tools.sendSignal(waitKey, { status: "succeeded", output: { total: 42 } });
      return { runId: "child-run" };
    };
    const { result } = await run(subflowDocument(), { "step.subflow": succeeding, "test.work": work.executor }, { step: tools });
    expect(result.nodes.child).toMatchObject({ status: "succeeded", output: { total: 42 } });
    expect(work.calls).toEqual(['next:{"total":42}']);

    const failedTools = createMemoryStepTools(new Map(), 0);
    const failing: TExecutor = async ({ waitKey }) => {
      failedTools.sendSignal(waitKey, { status: "failed", error: { message: "The card was declined.", code: "HTTP_402" } });
      return { runId: "child-run" };
    };
    const failed = await run(subflowDocument(), { "step.subflow": failing, "test.work": recorder().executor }, { step: failedTools });
    expect(failed.result).toMatchObject({ status: "failed", failedNodeId: "child" });
    expect(failed.result.nodes.child).toMatchObject({ status: "failed", error: "The flow it ran failed: The card was declined.", code: "SUBFLOW_FAILED" });

    const continued = createMemoryStepTools(new Map(), 0);
    const silent: TExecutor = async () => ({ runId: "child-run" });
    const timedOut = await run(subflowDocument("continue"), { "step.subflow": silent, "test.work": recorder().executor }, { step: continued });
    expect(timedOut.result.status).toBe("succeeded");
    expect(timedOut.result.nodes.child).toMatchObject({ output: { error: { message: "The flow it ran did not finish within 1 hour.", code: "TIMEOUT" } } });
  });

  it("a driver without waitForSignal fails the waiting step clearly", async () => {
    const tools = createMemoryStepTools(new Map(), 0);
    const { waitForSignal: _unused, ...withoutWait } = tools;
    void _unused;
    const { result } = await run(subflowDocument(), { "step.subflow": async () => ({ runId: "x" }), "test.work": recorder().executor }, { step: withoutWait });
    expect(result.nodes.child).toMatchObject({ status: "failed", code: "UNSUPPORTED" });
  });
});

describe("the run's output", () => {
  it("is the Respond step's body when one ran, else the last step's output", async () => {
    const respond: TExecutor = async () => ({ status: 200 });
    const document = doc(
      [node("work", "test.work", { value: 7 }), node("answer", "step.respond", { status: 200, body: '{"n": {{steps.work.output.value}}}' })],
      [edge("trigger", "work"), edge("work", "answer")],
    );
    const { result } = await run(document, { "test.work": recorder().executor, "step.respond": respond });
    expect(result.output).toEqual({ n: 7 });
    const plain = await run(doc([node("work", "test.work", { value: 7 })], [edge("trigger", "work")]), { "test.work": recorder().executor });
    expect(plain.result.output).toEqual({ value: 7 });
    const nothing = await run(doc([], []), {});
    expect(nothing.result).toMatchObject({ status: "succeeded", output: null });
  });
});

describe("outcomes keep their shape for drivers", () => {
  it("a handled failure is a success with `handled` set, so run logs can say failed-and-handled", () => {
    const outcome: TNodeOutcome = { status: "succeeded", output: { error: { message: "m", code: null } }, attempts: 1, handled: { error: "m" } };
    expect(outcome.status).toBe("succeeded");
  });
});

describe("parallel iterations and a driver that parks the run", () => {
  class Park extends Error {
    constructor(readonly wakeAt: Date) {
      super("parked");
    }
  }

  it("waits for every started iteration, then parks until the earliest wake time", async () => {
    const finished: number[] = [];
    const tools = createMemoryStepTools(new Map(), 0);
    const step: TStepTools = {
      ...tools,
      // Like the embedded driver: a sleep not yet due throws out of the interpreter.
      sleep: async (id) => {
        throw new Park(new Date(id.includes("@0") ? 5_000 : 1_000));
      },
    };
    const slow: TExecutor = async ({ config }) => {
      await new Promise((resolve) => setTimeout(resolve, Number(config.ms)));
      finished.push(Number(config.index));
      return null;
    };
    const document = doc(
      [
        node("each", "step.loop", { items: "{{trigger.items}}", concurrency: 3 }),
        node("work", "test.slow", { ms: "{{loop.item}}", index: "{{loop.index}}" }),
        node("pause", "step.delay", { mode: "duration", amount: 1, unit: "seconds" }),
      ],
      [edge("trigger", "each"), edge("each", "work", "each"), edge("work", "pause")],
    );
    const parked = await run(document, { "test.slow": slow }, { step, trigger: { items: [1, 30, 60] } }).catch((error: unknown) => error);
    expect(parked).toBeInstanceOf(Park);
    // Every started item finished its work before the run parked: nothing runs behind its back.
    expect(finished.sort()).toEqual([0, 1, 2]);
    expect((parked as Park).wakeAt.getTime()).toBe(1_000);
  });
});
