import { describe, expect, it } from "vitest";
import { compareValues } from "@/lib/flows/condition";
import { interpretFlow, type TExecutor } from "@/lib/flows/interpreter";
import { createMemoryStepTools } from "@/lib/flows/memory-step-tools";
import { backoffMs, DEFAULT_RETRY_POLICY, parseRetryAfter } from "@/lib/flows/retry-policy";
import { defineFlowSemanticsSuite, type TDriverRun } from "../support/flow-semantics";

const conditionExecutor: TExecutor = async ({ config }) => compareValues(config.left, config.operator as Parameters<typeof compareValues>[1], config.right);

class Crash extends Error {}

/** The in-process driver; a crash throws out of a step and the run resumes with the same memo. */
const runInMemory: TDriverRun = async ({ document, triggerPayload, executors, reuse, isCancelled, crashAfterSteps }) => {
  const memo = new Map<string, unknown>();
  let completed = 0;
  let crashed = false;
  for (;;) {
    const tools = createMemoryStepTools(memo, 0);
    const step = {
      ...tools,
      run: async <T>(id: string, fn: () => Promise<T>) => {
        if (!memo.has(id) && crashAfterSteps !== undefined && !crashed && completed >= crashAfterSteps) {
          crashed = true;
          throw new Crash();
        }
        const value = await tools.run(id, fn);
        completed += 1;
        return value;
      },
    };
    try {
      const result = await interpretFlow({ runId: "r1", projectId: "p1", document, triggerPayload, step, executors, reuse, hooks: { isCancelled } });
      if (crashAfterSteps !== undefined && !crashed) throw new Error(`crashAfterSteps=${crashAfterSteps} was never reached`);
      return { result, sleeps: tools.sleeps.map((s) => s.ms) };
    } catch (error) {
      if (!(error instanceof Crash)) throw error;
    }
  }
};

defineFlowSemanticsSuite("in-memory step tools", runInMemory, conditionExecutor);

describe("retry policy", () => {
  it("grows exponentially within jitter bounds and caps", () => {
    expect(backoffMs(DEFAULT_RETRY_POLICY, 1, undefined, () => 0)).toBe(500);
    expect(backoffMs(DEFAULT_RETRY_POLICY, 1, undefined, () => 1)).toBe(1000);
    expect(backoffMs(DEFAULT_RETRY_POLICY, 3, undefined, () => 1)).toBe(4000);
    expect(backoffMs(DEFAULT_RETRY_POLICY, 30, undefined, () => 1)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
    expect(backoffMs(DEFAULT_RETRY_POLICY, 1, 10 * 60 * 1000)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it("reads Retry-After as seconds or a date", () => {
    expect(parseRetryAfter("120")).toBe(120_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});

describe("compareValues", () => {
  it("compares numbers across types, text, lists and presence", () => {
    expect(compareValues(200, "equals", "200")).toBe(true);
    expect(compareValues("10", "greater_than", "9")).toBe(true);
    expect(compareValues("abc", "greater_than", "1")).toBe(false);
    expect(compareValues(["a", "b"], "contains", "b")).toBe(true);
    expect(compareValues("hello world", "not_contains", "bye")).toBe(true);
    expect(compareValues("", "exists", "")).toBe(false);
    expect(compareValues(null, "not_exists", "")).toBe(true);
  });
});
