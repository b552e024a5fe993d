// Labels and colours of run and step states, shared by the list, the detail page and
// the timeline. A colour never carries meaning alone: every badge also says the word.

export type TRunStatus = "HELD" | "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
/**
 * "cancelled": the step was in progress (or waiting for its next attempt) when the run
 * was cancelled. "reused": a retry from the failed step took this step's output from
 * the run it retries instead of running it. Neither is a step execution.
 */
export type TStepStatus = "pending" | "running" | "succeeded" | "failed" | "skipped" | "cancelled" | "reused";

/** Every step status, for the API's schema and anything that parses one. */
export const STEP_STATUSES = ["pending", "running", "succeeded", "failed", "skipped", "cancelled", "reused"] as const satisfies readonly TStepStatus[];

export const RUN_STATUS_LABELS: Record<TRunStatus, string> = {
  HELD: "Held: plan limit",
  QUEUED: "Queued",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  FAILED: "Failed",
  CANCELLED: "Cancelled",
};

export const RUN_STATUS_STYLES: Record<TRunStatus | "SLEEPING", string> = {
  HELD: "bg-orange-100 text-orange-900",
  QUEUED: "bg-slate-100 text-slate-800",
  RUNNING: "bg-blue-100 text-blue-900",
  SLEEPING: "bg-amber-100 text-amber-900",
  SUCCEEDED: "bg-green-100 text-green-900",
  FAILED: "bg-red-100 text-red-900",
  CANCELLED: "bg-slate-200 text-slate-800",
};

export const STEP_STATUS_LABELS: Record<TStepStatus, string> = {
  pending: "Not started",
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  skipped: "Skipped",
  cancelled: "Cancelled",
  reused: "Reused",
};

/** Bar colours of the timeline. */
export const STEP_BAR_STYLES: Record<TStepStatus, string> = {
  pending: "bg-slate-200",
  running: "bg-blue-500 motion-safe:animate-pulse",
  succeeded: "bg-green-600",
  failed: "bg-red-600",
  skipped: "bg-slate-300",
  cancelled: "bg-slate-500",
  reused: "bg-green-300",
};

export const TRIGGER_LABELS: Record<string, string> = {
  manual: "Manual",
  webhook: "Webhook",
  schedule: "Schedule",
  rerun: "Re-run",
  retry: "Retry",
  subflow: "Sub-flow",
};

export function triggerLabel(trigger: string): string {
  return TRIGGER_LABELS[trigger] ?? trigger;
}

/** Still in progress: the detail page keeps polling while this holds. */
export function isRunActive(status: TRunStatus): boolean {
  return status === "HELD" || status === "QUEUED" || status === "RUNNING";
}
