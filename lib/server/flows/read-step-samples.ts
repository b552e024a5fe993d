import "server-only";
// Sample data of a flow's steps: for each node of the draft, the newer of its stored
// step-test sample and its output in the flow's latest finished run (the trigger's from
// the run's payload). Both were scrubbed before they were sealed. Bounded work: one
// query for the stored samples, one for the latest run and its step logs.
// No authorization here: callers check it in their own query first.
import type { TFlowDocument } from "@/lib/flows/document";
import { isTriggerType } from "@/lib/flows/node-types";
import type { TStepSample } from "@/lib/flows/step-sample";
import { getDb } from "../db";
import { openRunLogValue, type TStepRecord } from "../runs/run-log";
import { openStepSample } from "./step-sample-seal";

/** A sample larger than this (as JSON) is not kept or sent: the picker needs fields, not megabytes. */
export const MAX_SAMPLE_BYTES = 1024 * 1024;

export function isSampleTooLarge(value: unknown): boolean {
  return Buffer.byteLength(JSON.stringify(value ?? null)) > MAX_SAMPLE_BYTES;
}

/** Opens a sealed value; null when it cannot be opened (a removed key): one lost sample must not break the editor. */
function tryOpen(openValue: () => unknown): { value: unknown } | null {
  try {
    const value = openValue();
    return isSampleTooLarge(value) ? null : { value };
  } catch {
    return null;
  }
}

function newer(a: TStepSample | undefined, b: TStepSample | undefined): TStepSample | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.at) > Date.parse(a.at) ? b : a;
}

export async function readStepSamples(flow: { id: string; projectId: string; draft: TFlowDocument }): Promise<Record<string, TStepSample>> {
  const db = getDb();
  const nodeIds = new Set(flow.draft.nodes.map((node) => node.id));
  const triggerId = flow.draft.nodes.find((node) => isTriggerType(node.type))?.id;
  const stored = await db.flowStepSample.findMany({
    where: { flowId: flow.id, nodeId: { in: [...nodeIds] } },
    select: { nodeId: true, outputSealed: true, createdAt: true },
  });
  const run = await db.flowRun.findFirst({
    where: { flowId: flow.id, projectId: flow.projectId, status: { in: ["SUCCEEDED", "FAILED", "CANCELLED"] } },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      createdAt: true,
      finishedAt: true,
      payloadSealed: true,
      steps: { where: { status: "succeeded", nodeId: { in: [...nodeIds] } }, select: { nodeId: true, finishedAt: true, recordSealed: true } },
    },
  });

  const fromTests = new Map<string, TStepSample>();
  for (const row of stored) {
    const opened = tryOpen(() => openStepSample(row.outputSealed, flow.projectId, flow.id, row.nodeId));
    if (opened) fromTests.set(row.nodeId, { nodeId: row.nodeId, source: "test", output: opened.value, at: row.createdAt.toISOString(), runId: null });
  }
  const fromRun = new Map<string, TStepSample>();
  if (run) {
    if (triggerId && run.payloadSealed) {
      const sealed = run.payloadSealed;
      const opened = tryOpen(() => openRunLogValue(sealed, flow.projectId, run.id, "payload"));
      if (opened) fromRun.set(triggerId, { nodeId: triggerId, source: "run", output: opened.value, at: run.createdAt.toISOString(), runId: run.id });
    }
    for (const step of run.steps) {
      const sealed = step.recordSealed;
      if (!sealed) continue;
      const opened = tryOpen(() => (openRunLogValue(sealed, flow.projectId, run.id, `step/${step.nodeId}`) as TStepRecord).output);
      if (!opened || opened.value === undefined) continue;
      const at = (step.finishedAt ?? run.finishedAt ?? run.createdAt).toISOString();
      fromRun.set(step.nodeId, { nodeId: step.nodeId, source: "run", output: opened.value, at, runId: run.id });
    }
  }

  const samples: Record<string, TStepSample> = {};
  for (const nodeId of nodeIds) {
    const sample = newer(fromTests.get(nodeId), fromRun.get(nodeId));
    if (sample) samples[nodeId] = sample;
  }
  return samples;
}
