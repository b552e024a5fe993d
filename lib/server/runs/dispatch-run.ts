import "server-only";
// Hands a queued run to the engine: an event to Inngest (ids only) when Inngest is
// configured, otherwise a nudge to this process's embedded driver (other instances
// find it by polling). Called after the run's row is committed.
import { getInngest, isInngestConfigured, RUN_REQUESTED_EVENT } from "@/inngest/client";
import { notifyRunQueued } from "./embedded/run-queue-signal";

export async function dispatchRun(run: { runId: string; projectId: string }): Promise<void> {
  await dispatchRuns([run]);
}

/** Several queued runs at once (held runs released together): one Inngest request, in the given order. */
export async function dispatchRuns(runs: { runId: string; projectId: string }[]): Promise<void> {
  if (runs.length === 0) return;
  if (!isInngestConfigured()) {
    notifyRunQueued();
    return;
  }
  const events = runs.map((run) => ({ name: RUN_REQUESTED_EVENT, data: { runId: run.runId, projectId: run.projectId } }));
  await getInngest().send(events.length === 1 ? events[0]! : events);
}
