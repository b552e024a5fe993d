import "server-only";
// Sample data of a flow's steps: for each asked node of the draft, the newer of its
// stored step-test sample and its newest successful output among the flow's last
// finished runs (the trigger's from the newest run's payload). Both were scrubbed before
// they were sealed. A sample counts only while the node it came from had the draft
// node's type (an id can be reused, a type changed, a run be of an older version).
// Bounded work: at most RUN_SAMPLE_DEPTH runs, their versions, the step logs' metadata,
// then only the chosen values are read and opened.
// No authorization here: callers check it in their own query first.
import { parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import { isTriggerType } from "@/lib/flows/node-types";
import type { TStepSample } from "@/lib/flows/step-sample";
import { getDb } from "../db";
import { openRunLogValue, type TStepRecord } from "../runs/run-log";
import { openStepSample } from "./step-sample-seal";

/** A sample larger than this (as JSON) is not kept or sent: the picker needs fields, not megabytes. */
export const MAX_SAMPLE_BYTES = 1024 * 1024;
/** How many of the flow's latest finished runs are searched for each step's output. */
export const RUN_SAMPLE_DEPTH = 20;

const FINISHED = ["SUCCEEDED", "FAILED", "CANCELLED"] as const;

type TSampleFlow = { id: string; projectId: string; draft: TFlowDocument };

export function isSampleTooLarge(value: unknown): boolean {
  return Buffer.byteLength(JSON.stringify(value ?? null)) > MAX_SAMPLE_BYTES;
}

/** Opens a sealed value; null when it cannot be opened (a removed key): one lost sample must not break the editor. */
function tryOpen(openValue: () => unknown): { value: unknown } | null {
  try {
    const value = openValue();
    return value === undefined || isSampleTooLarge(value) ? null : { value };
  } catch {
    return null;
  }
}

function newer(a: TStepSample | undefined, b: TStepSample | undefined): TStepSample | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.at) > Date.parse(a.at) ? b : a;
}

/** Node id to type, the first node with an id winning (as in the runnable check). */
function typesOf(document: TFlowDocument): Map<string, string> {
  const types = new Map<string, string>();
  for (const node of document.nodes) if (!types.has(node.id)) types.set(node.id, node.type);
  return types;
}

async function readTestSamples(flow: TSampleFlow, types: Map<string, string>, nodeIds: string[]): Promise<Map<string, TStepSample>> {
  const rows = await getDb().flowStepSample.findMany({
    where: { flowId: flow.id, nodeId: { in: nodeIds } },
    select: { nodeId: true, nodeType: true, outputSealed: true, createdAt: true },
  });
  const samples = new Map<string, TStepSample>();
  for (const row of rows) {
    if (row.nodeType !== types.get(row.nodeId)) continue;
    const opened = tryOpen(() => openStepSample(row.outputSealed, flow.projectId, flow.id, row.nodeId));
    if (opened) samples.set(row.nodeId, { nodeId: row.nodeId, source: "test", output: opened.value, at: row.createdAt.toISOString(), runId: null });
  }
  return samples;
}

/** Node types of each run's version; a version that cannot be read gives no samples. */
async function versionTypesOf(versionIds: string[]): Promise<Map<string, Map<string, string>>> {
  const versions = await getDb().flowVersion.findMany({ where: { id: { in: versionIds } }, select: { id: true, document: true } });
  const types = new Map<string, Map<string, string>>();
  for (const version of versions) {
    try {
      types.set(version.id, typesOf(parseFlowDocument(version.document)));
    } catch {
      // Left out: its runs' outputs cannot be matched to a step type.
    }
  }
  return types;
}

type TRecentRun = { id: string; versionId: string; createdAt: Date; finishedAt: Date | null };
type TRunSource = { flow: TSampleFlow; runs: TRecentRun[]; hasSameType: (run: TRecentRun, nodeId: string) => boolean };

/** The trigger's sample: the newest finished run's payload, if that run's trigger was of the draft's type. */
async function readRunTriggerSample({ flow, runs, hasSameType }: TRunSource, triggerId: string): Promise<TStepSample | undefined> {
  const newest = runs[0]!;
  if (!hasSameType(newest, triggerId)) return undefined;
  const row = await getDb().flowRun.findUnique({ where: { id: newest.id }, select: { payloadSealed: true } });
  const sealed = row?.payloadSealed;
  const opened = sealed ? tryOpen(() => openRunLogValue(sealed, flow.projectId, newest.id, "payload")) : null;
  return opened ? { nodeId: triggerId, source: "run", output: opened.value, at: newest.createdAt.toISOString(), runId: newest.id } : undefined;
}

/** Each step's newest successful output among the runs: the logs' metadata first (small), then only the chosen logs are read. */
async function readRunStepSamples({ flow, runs, hasSameType }: TRunSource, stepIds: string[], into: Map<string, TStepSample>): Promise<void> {
  const db = getDb();
  const logs = await db.flowRunStep.findMany({
    where: { runId: { in: runs.map((run) => run.id) }, status: "succeeded", nodeId: { in: stepIds } },
    select: { id: true, runId: true, nodeId: true, finishedAt: true },
  });
  const runIndex = new Map(runs.map((run, index) => [run.id, index]));
  logs.sort((a, b) => runIndex.get(a.runId)! - runIndex.get(b.runId)!);
  const chosen = new Map<string, { log: (typeof logs)[number]; run: TRecentRun }>();
  for (const log of logs) {
    const run = runs[runIndex.get(log.runId)!]!;
    if (!chosen.has(log.nodeId) && hasSameType(run, log.nodeId)) chosen.set(log.nodeId, { log, run });
  }
  if (chosen.size === 0) return;
  const records = await db.flowRunStep.findMany({
    where: { id: { in: [...chosen.values()].map(({ log }) => log.id) } },
    select: { id: true, recordSealed: true },
  });
  const sealedById = new Map(records.map((record) => [record.id, record.recordSealed]));
  for (const [nodeId, { log, run }] of chosen) {
    const sealed = sealedById.get(log.id);
    const opened = sealed ? tryOpen(() => (openRunLogValue(sealed, flow.projectId, run.id, `step/${nodeId}`) as TStepRecord).output) : null;
    if (!opened) continue;
    const at = (log.finishedAt ?? run.finishedAt ?? run.createdAt).toISOString();
    into.set(nodeId, { nodeId, source: "run", output: opened.value, at, runId: run.id });
  }
}

async function readRunSamples(flow: TSampleFlow, types: Map<string, string>, nodeIds: string[]): Promise<Map<string, TStepSample>> {
  const samples = new Map<string, TStepSample>();
  const runs = await getDb().flowRun.findMany({
    where: { flowId: flow.id, projectId: flow.projectId, status: { in: [...FINISHED] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: RUN_SAMPLE_DEPTH,
    select: { id: true, versionId: true, createdAt: true, finishedAt: true },
  });
  if (runs.length === 0) return samples;
  const versionTypes = await versionTypesOf([...new Set(runs.map((run) => run.versionId))]);
  const source: TRunSource = { flow, runs, hasSameType: (run, nodeId) => versionTypes.get(run.versionId)?.get(nodeId) === types.get(nodeId) };
  const triggerId = nodeIds.find((id) => isTriggerType(types.get(id)!));
  const trigger = triggerId ? await readRunTriggerSample(source, triggerId) : undefined;
  if (trigger) samples.set(trigger.nodeId, trigger);
  const stepIds = nodeIds.filter((id) => id !== triggerId);
  if (stepIds.length > 0) await readRunStepSamples(source, stepIds, samples);
  return samples;
}

/**
 * The samples of `nodeIds` (default: every node of the draft), by node id. A Map, so
 * an id such as `constructor` or `toString` finds its own sample or nothing.
 */
export async function readStepSamples(flow: TSampleFlow, nodeIds?: readonly string[]): Promise<Map<string, TStepSample>> {
  const types = typesOf(flow.draft);
  const wanted = [...new Set(nodeIds ?? types.keys())].filter((id) => types.has(id));
  const samples = new Map<string, TStepSample>();
  if (wanted.length === 0) return samples;
  const fromTests = await readTestSamples(flow, types, wanted);
  const fromRuns = await readRunSamples(flow, types, wanted);
  for (const nodeId of wanted) {
    const sample = newer(fromTests.get(nodeId), fromRuns.get(nodeId));
    if (sample) samples.set(nodeId, sample);
  }
  return samples;
}
