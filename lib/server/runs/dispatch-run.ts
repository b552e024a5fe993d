import "server-only";
// Hands a queued run to the engine: an event to Inngest (ids only) when Inngest is
// configured, otherwise a nudge to this process's embedded driver (other instances
// find it by polling). Called after the run's row is committed.
import { getInngest, isInngestConfigured, RUN_REQUESTED_EVENT } from "@/inngest/client";
import { notifyRunQueued } from "./embedded/run-queue-signal";

export async function dispatchRun(run: { runId: string; projectId: string }): Promise<void> {
  if (!isInngestConfigured()) {
    notifyRunQueued();
    return;
  }
  await getInngest().send({ name: RUN_REQUESTED_EVENT, data: { runId: run.runId, projectId: run.projectId } });
}
