import "server-only";
import { parseFlowDocument } from "@/lib/flows/document";
import type { TStepSample, TStepSamples } from "@/lib/flows/step-sample";
import { trimSample } from "@/lib/flows/trim-sample";
import { getDb } from "../db";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";
import { readStepSamples } from "./read-step-samples";

/** What one page load may carry in samples, trimmed, as JSON. */
export const MAX_LISTED_SAMPLES_BYTES = 4 * 1024 * 1024;

/** Over the budget, the largest samples go first: their steps read as "no sample yet", nothing else is said. */
function withinBudget(samples: TStepSample[]): TStepSample[] {
  const sized = samples.map((sample) => ({ sample, bytes: Buffer.byteLength(JSON.stringify(sample)) }));
  let total = sized.reduce((sum, entry) => sum + entry.bytes, 0);
  const dropped = new Set<TStepSample>();
  for (const entry of [...sized].sort((a, b) => b.bytes - a.bytes)) {
    if (total <= MAX_LISTED_SAMPLES_BYTES) break;
    dropped.add(entry.sample);
    total -= entry.bytes;
  }
  return samples.filter((sample) => !dropped.has(sample));
}

/**
 * The sample data of a flow's steps for the editor's data-mapping picker: the newer of
 * each node's step-test sample and its newest output in the flow's last finished runs,
 * each cut to what the picker uses (marked "…"). Samples are run data (scrubbed like
 * the run log), so reading them takes what reading runs takes. A plain record for the
 * browser, built from own entries only: read it with own-property lookups.
 */
export async function listStepSamples(userId: string, flowId: string): Promise<TStepSamples> {
  const flow = await getDb().flow.findFirst({
    where: { id: flowId, ...flowsVisibleTo(userId, "runs.read") },
    select: { id: true, projectId: true, draft: true },
  });
  if (!flow) throw flowNotFound();
  const samples = await readStepSamples({ id: flow.id, projectId: flow.projectId, draft: parseFlowDocument(flow.draft) });
  const trimmed = [...samples.values()].map((sample) => ({ ...sample, output: trimSample(sample.output) }));
  return Object.fromEntries(withinBudget(trimmed).map((sample) => [sample.nodeId, sample]));
}
