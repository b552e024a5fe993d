import "server-only";
// The one way a step-test sample is made storable: scrubbed with the flow's scrubber,
// then sealed (purpose "step-sample", bound to the project, the flow and the node, so a
// value copied to another node, flow or project fails to open). The key-rotation
// registry (lib/server/keys/sealed-columns.ts) rebuilds the same context.
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, seal, type SealContext } from "@/lib/crypto/seal";
import type { Scrubber } from "@/lib/scrub";

export const STEP_SAMPLE_PURPOSE = "step-sample";

export function stepSampleContext(projectId: string, flowId: string, nodeId: string): SealContext {
  return { purpose: STEP_SAMPLE_PURPOSE, projectId, recordId: `${flowId}/${nodeId}` };
}

/** A value scrubbed with the flow's scrubber and reduced to plain JSON: what may be stored or shown. */
export function scrubStepValue(value: unknown, scrubber: Scrubber): unknown {
  return JSON.parse(JSON.stringify(scrubber.scrubValue(value ?? null)) ?? "null") as unknown;
}

/** Scrubs, then seals; returns the sealed text and the scrubbed value (what the editor is shown). */
export function sealStepSample(
  value: unknown,
  scrubber: Scrubber,
  target: { projectId: string; flowId: string; nodeId: string },
): { sealed: string; scrubbed: unknown } {
  const scrubbed = scrubStepValue(value, scrubber);
  const sealed = seal(JSON.stringify(scrubbed), stepSampleContext(target.projectId, target.flowId, target.nodeId), getAppSecrets().encryptionKeys);
  return { sealed, scrubbed };
}

export function openStepSample(sealed: string, projectId: string, flowId: string, nodeId: string): unknown {
  return JSON.parse(open(sealed, stepSampleContext(projectId, flowId, nodeId), getAppSecrets().encryptionKeys));
}
