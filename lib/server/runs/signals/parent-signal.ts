import "server-only";
// What a sub-flow's run sends its parent when it ends: the status, and the run's output
// (scrubbed with the child's own secrets, which the parent's scrubber does not know) or
// its scrubbed error. Stored as the parent's signal under the wait key the parent's
// step.subflow node waits on.
import type { Scrubber } from "@/lib/scrub";

export type TChildRunEnd = { status: "succeeded"; output: unknown } | { status: "failed"; error: string } | { status: "cancelled"; error: string };

export const CHILD_CANCELLED_ERROR = "The sub-flow's run was cancelled.";

export function childRunEndOf(
  status: "SUCCEEDED" | "FAILED" | "CANCELLED",
  result: { output?: unknown; error?: string | null },
  scrubber: Scrubber | null,
): TChildRunEnd {
  if (status === "SUCCEEDED") return { status: "succeeded", output: scrubber ? scrubber.scrubValue(result.output ?? null) : (result.output ?? null) };
  if (status === "CANCELLED") return { status: "cancelled", error: CHILD_CANCELLED_ERROR };
  return { status: "failed", error: result.error ?? "The sub-flow's run failed." };
}

/** The parent a run reports to when it ends, when it is a sub-flow's run. */
export type TParentLink = { parentRunId: string | null; parentWaitKey: string | null };
