import "server-only";
import { STEP_STATUSES, type TRunStatus, type TStepStatus } from "@/lib/runs/run-status";
import { parseFlowDocument } from "@/lib/flows/document";
import { topologicalOrder } from "@/lib/flows/validate";
import { NODE_TYPE_LABELS, isNodeType } from "@/lib/flows/node-types";
import { loopStructureOf } from "@/lib/flows/loops";
import { listRunApprovals, type TApprovalView } from "../approvals/list-run-approvals";
import { getDb } from "../db";
import { stepRunStateKey } from "./run-state";
import { runNotFound, runsVisibleTo } from "./run-access";
import { openRunLogValue, type TStepRecord } from "./run-log";

export type TRunStepView = {
  nodeId: string;
  name: string;
  typeLabel: string;
  status: TStepStatus;
  attempts: number;
  /** For a "reused" step: the run that produced the result this run took (its page shows the step); null once that run is gone. */
  reusedFromRunId: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Scrubbed when stored; shown as text. */
  record: TStepRecord | null;
  /** A loop body step's runs, one per item (nested loops: per outer and inner item), in item order; empty otherwise. */
  iterations: TRunIterationView[];
  /** For a loop step once any item ran (or its count is known): how many items it had and how many failed (handled or not). */
  loop: { items: number; failed: number } | null;
};

/** One item's run of a loop body step, logged under `<nodeId>@<index>` (nested: `<nodeId>@<outer>.<inner>`). */
export type TRunIterationView = {
  /** The logged id, e.g. "shout@2" or "shout@1.0". */
  nodeId: string;
  /** 0-based item positions, outermost loop first. */
  index: number[];
  status: TStepStatus;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  record: TStepRecord | null;
};

const ITERATION_SUFFIX = /^(\d+)(?:\.(\d+))*$/;

/** The item positions of an iteration id's suffix ("2" -> [2], "1.0" -> [1, 0]), or null when it is not one. */
function iterationIndexOf(suffix: string): number[] | null {
  if (!ITERATION_SUFFIX.test(suffix)) return null;
  return suffix.split(".").map(Number);
}

function compareIndexes(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export type TRunView = {
  id: string;
  projectId: string;
  flowId: string;
  flowName: string;
  versionNumber: number;
  status: TRunStatus;
  trigger: string;
  error: string | null;
  failedNodeId: string | null;
  wakeAt: Date | null;
  cancelRequested: boolean;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  payload: unknown;
  steps: TRunStepView[];
  canRetryFromFailed: boolean;
  /** The run this one re-runs or retries ("rerun" or "retry" trigger). */
  retryOf: TRelatedRun | null;
  /** Runs started again from this one, newest first (at most RELATED_RUNS_SHOWN). */
  retries: TRelatedRun[];
  /** A sub-flow's run: the run whose step started it (null once that run is gone). */
  parent: TSubflowRun | null;
  /** Sub-flow runs this run started, oldest first. */
  children: TSubflowRun[];
  /** The run's approval requests, oldest first. */
  approvals: TApprovalView[];
};

export type TSubflowRun = { id: string; nodeId: string | null; status: TRunStatus; createdAt: Date };
const MAX_CHILDREN_SHOWN = 50;

export type TRelatedRun = { id: string; trigger: string; status: TRunStatus; createdAt: Date };

const RELATED_RUNS_SHOWN = 10;
/** A retry of a retry of …: how far up the chain a reused result is followed. */
const MAX_REUSE_HOPS = 20;

type TDb = ReturnType<typeof getDb>;

/**
 * The run that produced each reused step's result: the run this one retries, or, for a
 * step that run reused as well, further up the retryOfRunId chain. A step whose source
 * run is gone (retention) has none.
 */
async function reuseOrigins(db: TDb, projectId: string, retryOfRunId: string | null, nodeIds: string[]): Promise<Map<string, string>> {
  const origins = new Map<string, string>();
  let pending = nodeIds;
  let sourceId = retryOfRunId;
  for (let hop = 0; pending.length > 0 && sourceId && hop < MAX_REUSE_HOPS; hop += 1) {
    const source = await db.flowRun.findFirst({
      where: { id: sourceId, projectId },
      select: { id: true, retryOfRunId: true, steps: { where: { nodeId: { in: pending } }, select: { nodeId: true, status: true } } },
    });
    if (!source) break;
    const reusedThere = new Set(source.steps.filter((step) => step.status === "reused").map((step) => step.nodeId));
    for (const nodeId of pending) if (!reusedThere.has(nodeId)) origins.set(nodeId, source.id);
    pending = [...reusedThere];
    sourceId = source.retryOfRunId;
  }
  return origins;
}
const relatedRunSelect = { id: true, trigger: true, status: true, createdAt: true } as const;

/** A run with its step timeline and scrubbed records, for any member of its project. */
export async function getRun(userId: string, runId: string): Promise<TRunView> {
  const db = getDb();
  const run = await db.flowRun.findFirst({
    where: { id: runId, ...runsVisibleTo(userId, "runs.read") },
    select: {
      id: true,
      projectId: true,
      flowId: true,
      status: true,
      trigger: true,
      error: true,
      failedNodeId: true,
      retryOfRunId: true,
      parentRunId: true,
      parentNodeId: true,
      wakeAt: true,
      cancelRequestedAt: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      payloadSealed: true,
      flow: { select: { name: true } },
      version: { select: { number: true, document: true } },
      steps: { select: { nodeId: true, status: true, attempts: true, startedAt: true, finishedAt: true, recordSealed: true } },
      _count: { select: { state: { where: { stepKey: { startsWith: stepRunStateKey("node:") } } } } },
    },
  });
  if (!run) throw runNotFound();
  // Both ends of a retry are runs of the same project, so visible to whoever sees this one.
  // Sub-flow runs are of the same project too (start-child-run.ts).
  const [retryOf, retries, parent, children, approvals] = await Promise.all([
    run.retryOfRunId ? db.flowRun.findFirst({ where: { id: run.retryOfRunId, projectId: run.projectId }, select: relatedRunSelect }) : null,
    db.flowRun.findMany({
      where: { retryOfRunId: run.id, projectId: run.projectId },
      select: relatedRunSelect,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: RELATED_RUNS_SHOWN,
    }),
    run.parentRunId
      ? db.flowRun.findFirst({ where: { id: run.parentRunId, projectId: run.projectId }, select: { id: true, status: true, createdAt: true } })
      : null,
    db.flowRun.findMany({
      where: { parentRunId: run.id, projectId: run.projectId },
      select: { id: true, status: true, createdAt: true, parentNodeId: true },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: MAX_CHILDREN_SHOWN,
    }),
    listRunApprovals(run.projectId, run.id),
  ]);
  const document = parseFlowDocument(run.version.document);
  const byNode = new Map(run.steps.map((step) => [step.nodeId, step]));
  const statusOf = (status: string): TStepStatus => ((STEP_STATUSES as readonly string[]).includes(status) ? (status as TStepStatus) : "pending");
  const recordOf = (nodeId: string, sealed: string | null) =>
    sealed ? (openRunLogValue(sealed, run.projectId, run.id, `step/${nodeId}`) as TStepRecord) : null;
  // Loop iterations: rows logged as `<nodeId>@<index>`, attached to the document node they ran.
  const iterationsOf = new Map<string, TRunIterationView[]>();
  for (const step of run.steps) {
    const at = step.nodeId.indexOf("@");
    if (at <= 0) continue;
    const index = iterationIndexOf(step.nodeId.slice(at + 1));
    if (!index) continue;
    const base = step.nodeId.slice(0, at);
    const list = iterationsOf.get(base) ?? [];
    list.push({
      nodeId: step.nodeId,
      index,
      status: statusOf(step.status),
      attempts: step.attempts,
      startedAt: step.startedAt,
      finishedAt: step.finishedAt,
      record: recordOf(step.nodeId, step.recordSealed),
    });
    iterationsOf.set(base, list);
  }
  for (const list of iterationsOf.values()) list.sort((a, b) => compareIndexes(a.index, b.index));
  const loops = loopStructureOf(document);
  /** Items a loop ran and those where a body step failed: iterations keyed by the loop's own position (depth + 1 indexes). */
  const loopSummaryOf = (loopId: string, record: TStepRecord | null): { items: number; failed: number } | null => {
    const body = loops.bodyOf.get(loopId);
    if (!body) return null;
    const width = loops.depthOf(loopId) + 1;
    const seen = new Set<string>();
    const failed = new Set<string>();
    for (const nodeId of body) {
      for (const iteration of iterationsOf.get(nodeId) ?? []) {
        const key = iteration.index.slice(0, width).join(".");
        seen.add(key);
        if (iteration.status === "failed" || iteration.record?.handled) failed.add(key);
      }
    }
    const output = record && "output" in record ? (record.output as { count?: unknown } | null) : null;
    const count = width === 1 && output && typeof output === "object" && typeof output.count === "number" ? output.count : null;
    if (count === null && seen.size === 0) return null;
    return { items: count ?? seen.size, failed: failed.size };
  };
  const reused = run.steps.filter((step) => step.status === "reused").map((step) => step.nodeId);
  const origins = reused.length > 0 ? await reuseOrigins(db, run.projectId, run.retryOfRunId, reused) : new Map<string, string>();
  const steps = topologicalOrder(document)
    .map((nodeId) => document.nodes.find((node) => node.id === nodeId)!)
    .filter((node) => !node.type.startsWith("trigger."))
    .map((node): TRunStepView => {
      const logged = byNode.get(node.id);
      const status: TStepStatus = logged ? statusOf(logged.status) : "pending";
      const record = logged ? recordOf(node.id, logged.recordSealed) : null;
      return {
        nodeId: node.id,
        name: node.name,
        typeLabel: isNodeType(node.type) ? NODE_TYPE_LABELS[node.type] : node.type,
        status,
        attempts: logged?.attempts ?? 0,
        // Written when the retry was queued (rerun-run.ts); the result's own run, when still kept.
        reusedFromRunId: status === "reused" ? (origins.get(node.id) ?? null) : null,
        startedAt: logged?.startedAt ?? null,
        finishedAt: logged?.finishedAt ?? null,
        record,
        iterations: iterationsOf.get(node.id) ?? [],
        loop: node.type === "step.loop" ? loopSummaryOf(node.id, record) : null,
      };
    });
  return {
    id: run.id,
    projectId: run.projectId,
    flowId: run.flowId,
    flowName: run.flow.name,
    versionNumber: run.version.number,
    status: run.status,
    trigger: run.trigger,
    error: run.error,
    failedNodeId: run.failedNodeId,
    wakeAt: run.wakeAt,
    cancelRequested: run.cancelRequestedAt !== null,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    payload: run.payloadSealed ? openRunLogValue(run.payloadSealed, run.projectId, run.id, "payload") : null,
    steps,
    canRetryFromFailed: run.status === "FAILED" && run._count.state > 0,
    retryOf,
    retries,
    parent: parent ? { id: parent.id, nodeId: run.parentNodeId, status: parent.status, createdAt: parent.createdAt } : null,
    children: children.map((child) => ({ id: child.id, nodeId: child.parentNodeId, status: child.status, createdAt: child.createdAt })),
    approvals,
  };
}
