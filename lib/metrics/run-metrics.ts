// Counters the run engine moves: one call where a run is queued, one where it ends,
// one where a step's log row is prepared (both drivers pass through each). Never
// throw: a metric must not fail a run.
import { getMetrics } from "./registry";

/** Triggers become label values; anything unexpected is one "other" series, not a new one. */
const TRIGGERS = new Set(["manual", "webhook", "schedule", "rerun", "retry"]);

function triggerLabel(trigger: string | null | undefined): string {
  return trigger && TRIGGERS.has(trigger) ? trigger : "other";
}

export function countRunStarted(trigger: string): void {
  getMetrics().runsStarted.inc({ trigger: triggerLabel(trigger) });
}

export function countRunFinished(trigger: string | null | undefined, status: "SUCCEEDED" | "FAILED" | "CANCELLED"): void {
  getMetrics().runsFinished.inc({ trigger: triggerLabel(trigger), status: status.toLowerCase() });
}

// When each running step began in this process, by run and node. Bounded: a step whose
// end this process never sees (the run moved to another instance) must not leak memory.
const MAX_OPEN_STEPS = 10_000;
const openSteps = new Map<string, number>();

/**
 * Called with every step-log row (run-log.ts): the first "running" row of a step starts
 * its clock, its succeeded or failed row stops it. A step whose start this process did
 * not see (a run resumed after a restart) is not observed rather than guessed.
 */
export function observeStepLog(entry: { runId: string; nodeId: string; status: string; at: Date }): void {
  const key = `${entry.runId}/${entry.nodeId}`;
  if (entry.status === "running") {
    if (openSteps.has(key)) return;
    if (openSteps.size >= MAX_OPEN_STEPS) openSteps.delete(openSteps.keys().next().value!);
    openSteps.set(key, entry.at.getTime());
    return;
  }
  const started = openSteps.get(key);
  openSteps.delete(key);
  if (started === undefined || (entry.status !== "succeeded" && entry.status !== "failed")) return;
  getMetrics().stepDuration.observe({ status: entry.status }, Math.max(0, entry.at.getTime() - started) / 1000);
}
