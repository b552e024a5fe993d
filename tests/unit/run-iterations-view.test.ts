import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { iterationLabel, ITERATIONS_SHOWN, RunIterations } from "@/components/runs/run-iterations";
import { loopSummaryText } from "@/components/runs/run-step-records";
import type { TRunIterationJson } from "@/lib/runs/run-json";

function iteration(i: number, status: TRunIterationJson["status"] = "succeeded", handled = false): TRunIterationJson {
  return {
    nodeId: `shout@${i}`,
    index: [i],
    status,
    attempts: 1,
    startedAt: "2026-12-07T03:00:00.000Z",
    finishedAt: "2026-12-07T03:00:01.500Z",
    record: status === "failed" || handled ? { input: i, error: "Nope.", ...(handled ? { handled: true } : {}) } : { input: i, output: i * 2 },
  };
}

const idsOf = (html: string) => [...html.matchAll(/data-iteration-id="([^"]+)"/g)].map((match) => match[1]);

describe("a loop body step's item runs", () => {
  it("names items from 1, nested ones outer first", () => {
    expect(iterationLabel([0])).toBe("Item 1");
    expect(iterationLabel([1, 0])).toBe("Item 2.1");
    expect(loopSummaryText({ items: 12, failed: 1 })).toBe("12 items, 1 failed");
    expect(loopSummaryText({ items: 1, failed: 0 })).toBe("1 item, 0 failed");
  });

  it("shows every item when there are few, the failed one open", () => {
    const html = renderToStaticMarkup(createElement(RunIterations, { stepName: "Shout", iterations: [iteration(0), iteration(1, "failed"), iteration(2)] }));
    expect(idsOf(html)).toEqual(["shout@0", "shout@1", "shout@2"]);
    expect(html).toContain("Items: 3 runs, 1 failed");
    expect(html).toMatch(/<details[^>]*open=""[^>]*data-iteration-id="shout@1"/);
    expect(html).not.toMatch(/<details[^>]*open=""[^>]*data-iteration-id="shout@0"/);
    expect(html).toContain("1.5 s");
    expect(html).not.toContain("Show all");
  });

  it("with many items shows the first ten and the failed ones, with a button for all", () => {
    const iterations = Array.from({ length: 25 }, (_, i) => iteration(i, i === 17 ? "failed" : "succeeded", i === 21));
    const html = renderToStaticMarkup(createElement(RunIterations, { stepName: "Shout", iterations }));
    expect(idsOf(html)).toEqual([...Array.from({ length: ITERATIONS_SHOWN }, (_, i) => `shout@${i}`), "shout@17", "shout@21"]);
    expect(html).toContain("Items: 25 runs, 2 failed");
    expect(html).toContain("Show all 25");
    expect(html).toContain('aria-expanded="false"');
    expect(html).toContain("Item 22");
    expect(html).toContain("(handled)");
  });
});
