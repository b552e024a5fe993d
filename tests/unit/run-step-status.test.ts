import { describe, expect, it } from "vitest";
import { STEP_BAR_STYLES, STEP_STATUS_LABELS, STEP_STATUSES } from "@/lib/runs/run-status";
import { countDoneSteps, layoutTimeline } from "@/lib/runs/timeline-layout";

describe("step statuses", () => {
  it("every status has a label in words and a bar colour", () => {
    expect(STEP_STATUSES.map((status) => STEP_STATUS_LABELS[status])).toEqual([
      "Not started",
      "Running",
      "Succeeded",
      "Failed",
      "Skipped",
      "Cancelled",
      "Reused",
    ]);
    for (const status of STEP_STATUSES) expect(STEP_BAR_STYLES[status]).toMatch(/^bg-/);
  });

  it("a reused step counts as done; a cancelled one did not finish its work", () => {
    expect(countDoneSteps([{ status: "reused" }, { status: "reused" }, { status: "cancelled" }, { status: "pending" }])).toBe(2);
  });

  it("a cancelled step's bar ends when the run ended, with its length; a reused step has no bar", () => {
    const at = (seconds: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, seconds)).toISOString();
    const { bars } = layoutTimeline(
      [
        { status: "reused", startedAt: null, finishedAt: null },
        { status: "cancelled", startedAt: at(2), finishedAt: at(10) },
      ],
      at(0),
      at(10),
    );
    expect(bars[0]).toBeNull();
    expect(bars[1]).toEqual({ left: 20, width: 80, durationMs: 8000 });
  });
});
