// The run timeline as a simple gantt: each step's bar is placed by its start and end
// relative to the run's start, as percentages of the run's length so far.

import type { TStepStatus } from "./run-status";

export type TTimelineStepInput = {
  status: TStepStatus;
  startedAt: string | null;
  finishedAt: string | null;
};

export type TTimelineBar = {
  /** Percent of the track from its left edge. */
  left: number;
  /** Percent of the track; at least MIN_BAR_PERCENT so an instant step stays visible. */
  width: number;
  durationMs: number | null;
} | null;

export const MIN_BAR_PERCENT = 0.75;

const time = (value: string | null) => (value ? new Date(value).getTime() : null);

/**
 * `runStart` is when the run started (or was queued); `runEnd` when it finished, or
 * the time the data was read for a run still going. Steps not started have no bar.
 */
export function layoutTimeline(steps: readonly TTimelineStepInput[], runStart: string, runEnd: string): { totalMs: number; bars: TTimelineBar[] } {
  const start = time(runStart)!;
  const latestStep = Math.max(start, ...steps.map((s) => time(s.finishedAt) ?? time(s.startedAt) ?? start));
  const end = Math.max(time(runEnd)!, latestStep);
  const totalMs = Math.max(end - start, 1);
  const bars = steps.map((step): TTimelineBar => {
    const stepStart = time(step.startedAt);
    if (stepStart === null) return null;
    const stepEnd = time(step.finishedAt) ?? (step.status === "running" ? end : stepStart);
    const left = Math.min(Math.max(((stepStart - start) / totalMs) * 100, 0), 100 - MIN_BAR_PERCENT);
    const width = Math.min(Math.max(((stepEnd - stepStart) / totalMs) * 100, MIN_BAR_PERCENT), 100 - left);
    const durationMs = step.status === "skipped" ? null : step.finishedAt ? stepEnd - stepStart : null;
    return { left, width, durationMs };
  });
  return { totalMs, bars };
}

/** "4 of 6 steps done" for the progress indicator: finished, skipped and reused steps count. */
export function countDoneSteps(steps: readonly Pick<TTimelineStepInput, "status">[]): number {
  return steps.filter((s) => s.status === "succeeded" || s.status === "failed" || s.status === "skipped" || s.status === "reused").length;
}
