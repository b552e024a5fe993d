import { describe, expect, it } from "vitest";
import { formatDuration, formatRelative, formatUtc } from "@/lib/runs/format-time";
import { countDoneSteps, layoutTimeline, MIN_BAR_PERCENT } from "@/lib/runs/timeline-layout";

const at = (seconds: number) => new Date(Date.UTC(2026, 2, 12, 14, 0, 0) + seconds * 1000).toISOString();

describe("layoutTimeline", () => {
  it("places each step by its start and length within the run", () => {
    const { totalMs, bars } = layoutTimeline(
      [
        { status: "succeeded", startedAt: at(0), finishedAt: at(2) },
        { status: "succeeded", startedAt: at(2), finishedAt: at(8) },
        { status: "running", startedAt: at(8), finishedAt: null },
        { status: "pending", startedAt: null, finishedAt: null },
      ],
      at(0),
      at(10),
    );
    expect(totalMs).toBe(10_000);
    expect(bars[0]).toEqual({ left: 0, width: 20, durationMs: 2000 });
    expect(bars[1]).toEqual({ left: 20, width: 60, durationMs: 6000 });
    // A running step reaches the time the data was read, without a duration yet.
    expect(bars[2]).toEqual({ left: 80, width: 20, durationMs: null });
    expect(bars[3]).toBeNull();
  });

  it("keeps instant steps visible and inside the track, and skipped steps without a duration", () => {
    const { bars } = layoutTimeline(
      [
        { status: "succeeded", startedAt: at(10), finishedAt: at(10) },
        { status: "skipped", startedAt: at(10), finishedAt: at(10) },
      ],
      at(0),
      at(10),
    );
    expect(bars[0]!.width).toBe(MIN_BAR_PERCENT);
    expect(bars[0]!.left + bars[0]!.width).toBeLessThanOrEqual(100);
    expect(bars[1]!.durationMs).toBeNull();
  });

  it("stretches to a step that ends after the reading time", () => {
    const { totalMs } = layoutTimeline([{ status: "succeeded", startedAt: at(0), finishedAt: at(30) }], at(0), at(10));
    expect(totalMs).toBe(30_000);
  });

  it("counts finished and skipped steps as done", () => {
    expect(countDoneSteps([{ status: "succeeded" }, { status: "skipped" }, { status: "failed" }, { status: "running" }, { status: "pending" }])).toBe(3);
  });
});

describe("run times", () => {
  it("formats durations as people read them", () => {
    expect([340, 2400, 45_000, 185_000, 7_380_000, 100_800_000, -1].map(formatDuration)).toEqual([
      "340 ms",
      "2.4 s",
      "45 s",
      "3 min 5 s",
      "2 h 3 min",
      "1 d 4 h",
      "–",
    ]);
  });

  it("prints UTC the same on every machine, and relative times both ways", () => {
    expect(formatUtc(at(9))).toBe("12 Mar 2026, 14:00:09 UTC");
    expect(formatRelative(at(0), at(300))).toBe("5 min ago");
    expect(formatRelative(at(7200), at(0))).toBe("in 2 h");
    expect(formatRelative(at(0), at(10))).toBe("just now");
  });
});
