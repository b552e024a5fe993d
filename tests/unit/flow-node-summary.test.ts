import { describe, expect, it } from "vitest";
import { summarizeNode } from "@/lib/editor/node-summary";

const delay = (amount: unknown, unit: string) => summarizeNode({ type: "step.delay", config: { mode: "duration", amount, unit } });

describe("step summaries", () => {
  it("says a delay of one in the singular, for every unit", () => {
    expect(["seconds", "minutes", "hours", "days"].map((unit) => delay(1, unit))).toEqual([
      "Waits 1 second.",
      "Waits 1 minute.",
      "Waits 1 hour.",
      "Waits 1 day.",
    ]);
  });

  it("keeps the plural for any other amount", () => {
    expect(delay(2, "minutes")).toBe("Waits 2 minutes.");
    expect(delay(0, "hours")).toBe("Waits 0 hours.");
    expect(delay(1.5, "days")).toBe("Waits 1.5 days.");
  });

  it("passes an unknown unit through unchanged", () => {
    expect(delay(1, "fortnights")).toBe("Waits 1 fortnights.");
  });
});
