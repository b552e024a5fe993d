import "server-only";
// A run signal's payload is real data for the waiting run (a sub-flow's output, an
// approval's decision), so it is sealed like run state, never shown, and goes with the
// run. Bound to the project, the run and the key: a payload cannot be moved to another.
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, seal, type SealContext } from "@/lib/crypto/seal";

export const RUN_SIGNAL_PURPOSE = "run-signal";
/** The Inngest event that wakes a run waiting for a signal; it carries ids only. */
export const RUN_SIGNAL_EVENT = "vaultflow/run.signal";

function contextFor(projectId: string, runId: string, key: string): SealContext {
  return { purpose: RUN_SIGNAL_PURPOSE, projectId, recordId: `${runId}/${key}` };
}

export function sealRunSignal(payload: unknown, projectId: string, runId: string, key: string): string {
  return seal(JSON.stringify(payload ?? null), contextFor(projectId, runId, key), getAppSecrets().encryptionKeys);
}

export function openRunSignal(sealed: string, projectId: string, runId: string, key: string): unknown {
  return JSON.parse(open(sealed, contextFor(projectId, runId, key), getAppSecrets().encryptionKeys));
}
