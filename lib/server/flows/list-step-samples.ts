import "server-only";
import { parseFlowDocument } from "@/lib/flows/document";
import type { TStepSamples } from "@/lib/flows/step-sample";
import { getDb } from "../db";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";
import { readStepSamples } from "./read-step-samples";

/**
 * The sample data of a flow's steps for the editor's data-mapping picker: the newer of
 * each node's step-test sample and its output in the latest finished run. Samples are
 * run data (scrubbed like the run log), so reading them takes what reading runs takes.
 */
export async function listStepSamples(userId: string, flowId: string): Promise<TStepSamples> {
  const flow = await getDb().flow.findFirst({
    where: { id: flowId, ...flowsVisibleTo(userId, "runs.read") },
    select: { id: true, projectId: true, draft: true },
  });
  if (!flow) throw flowNotFound();
  return readStepSamples({ id: flow.id, projectId: flow.projectId, draft: parseFlowDocument(flow.draft) });
}
