// The run's wire format: what GET /api/runs/[runId] answers and what the detail page's
// live view renders (dates as ISO strings). The page hands the same shape to the client
// so the first render and every poll go through one renderer.
import type { TEdgeLabel } from "@/lib/flows/document";
import type { TRunStatus, TStepStatus } from "./run-status";

export type TRunStepJson = {
  nodeId: string;
  name: string;
  typeLabel: string;
  status: TStepStatus;
  attempts: number;
  /** For a "reused" step: the run its result came from. */
  reusedFromRunId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Scrubbed when stored. */
  record: TStepRecordJson | null;
  /** A loop body step's runs, one per item, in item order (nested loops: outer item, then inner); empty for other steps. */
  iterations: TRunIterationJson[];
  /** For a loop step: how many items it had and in how many a body step failed (handled or not); null before it ran. */
  loop: { items: number; failed: number } | null;
};

export type TStepRecordJson = { input?: unknown; output?: unknown; error?: string | null; branch?: TEdgeLabel; handled?: boolean };

export type TRunIterationJson = {
  /** The id it was logged under: `<nodeId>@<index>` (nested: `<nodeId>@<outer>.<inner>`). */
  nodeId: string;
  /** 0-based item positions, outermost loop first. */
  index: number[];
  status: TStepStatus;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  record: TStepRecordJson | null;
};

export type TRunJson = {
  id: string;
  projectId: string;
  flowId: string;
  flowName: string;
  versionNumber: number;
  status: TRunStatus;
  trigger: string;
  error: string | null;
  failedNodeId: string | null;
  wakeAt: string | null;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  payload: unknown;
  steps: TRunStepJson[];
  canRetryFromFailed: boolean;
  /** The run this one re-runs or retries. */
  retryOf: TRelatedRunJson | null;
  /** Runs started again from this one, newest first. */
  retries: TRelatedRunJson[];
  /** A sub-flow's run: the run (and its step) that started it. */
  parent: TSubflowRunJson | null;
  /** Sub-flow runs this run started, with the step that started each. */
  children: TSubflowRunJson[];
  /** Approval requests of this run's step.approval nodes. */
  approvals: TApprovalJson[];
  /** When the server read this: the timeline's "now" for a run in progress. */
  observedAt: string;
};

export type TRelatedRunJson = { id: string; trigger: string; status: TRunStatus; createdAt: string };
export type TSubflowRunJson = { id: string; nodeId: string | null; status: TRunStatus; createdAt: string };
export type TApprovalJson = {
  id: string;
  nodeId: string;
  status: "PENDING" | "APPROVED" | "REJECTED" | "EXPIRED";
  /** Scrubbed when stored. */
  message: string;
  expiresAt: string;
  decidedByEmail: string | null;
  decidedAt: string | null;
};

type TDateish = Date | null;
type TRelatedRunLike = Omit<TRelatedRunJson, "createdAt"> & { createdAt: Date };
type TSubflowRunLike = Omit<TSubflowRunJson, "createdAt"> & { createdAt: Date };
type TApprovalLike = Omit<TApprovalJson, "expiresAt" | "decidedAt"> & { expiresAt: Date; decidedAt: TDateish };
type TRunViewLike = Omit<
  TRunJson,
  "wakeAt" | "createdAt" | "startedAt" | "finishedAt" | "steps" | "observedAt" | "retryOf" | "retries" | "parent" | "children" | "approvals"
> & {
  retryOf: TRelatedRunLike | null;
  retries: TRelatedRunLike[];
  parent: TSubflowRunLike | null;
  children: TSubflowRunLike[];
  approvals: TApprovalLike[];
  wakeAt: TDateish;
  createdAt: Date;
  startedAt: TDateish;
  finishedAt: TDateish;
  steps: (Omit<TRunStepJson, "startedAt" | "finishedAt" | "record" | "iterations"> & {
    startedAt: TDateish;
    finishedAt: TDateish;
    record: TStepRecordJson | null;
    iterations: TRunIterationLike[];
  })[];
};
type TRunIterationLike = Omit<TRunIterationJson, "startedAt" | "finishedAt"> & { startedAt: TDateish; finishedAt: TDateish };

const iso = (date: TDateish) => (date ? date.toISOString() : null);
const subflowRun = (run: TSubflowRunLike): TSubflowRunJson => ({ id: run.id, nodeId: run.nodeId, status: run.status, createdAt: run.createdAt.toISOString() });
const relatedRun = (run: TRelatedRunLike): TRelatedRunJson => ({
  id: run.id,
  trigger: run.trigger,
  status: run.status,
  createdAt: run.createdAt.toISOString(),
});

const recordJson = (record: TStepRecordJson | null): TStepRecordJson | null =>
  record
    ? {
        ...("input" in record ? { input: record.input } : {}),
        ...("output" in record ? { output: record.output } : {}),
        ...(record.error !== undefined ? { error: record.error } : {}),
        ...(record.branch ? { branch: record.branch } : {}),
        ...(record.handled ? { handled: true } : {}),
      }
    : null;

/** Picks the fields the pages show, by name, so nothing else in a view reaches a response. */
export function toRunJson(view: TRunViewLike, observedAt: Date): TRunJson {
  return {
    id: view.id,
    projectId: view.projectId,
    flowId: view.flowId,
    flowName: view.flowName,
    versionNumber: view.versionNumber,
    status: view.status,
    trigger: view.trigger,
    error: view.error,
    failedNodeId: view.failedNodeId,
    wakeAt: iso(view.wakeAt),
    cancelRequested: view.cancelRequested,
    createdAt: view.createdAt.toISOString(),
    startedAt: iso(view.startedAt),
    finishedAt: iso(view.finishedAt),
    payload: view.payload,
    steps: view.steps.map((step) => ({
      nodeId: step.nodeId,
      name: step.name,
      typeLabel: step.typeLabel,
      status: step.status,
      attempts: step.attempts,
      reusedFromRunId: step.reusedFromRunId,
      startedAt: iso(step.startedAt),
      finishedAt: iso(step.finishedAt),
      record: recordJson(step.record),
      iterations: step.iterations.map((iteration) => ({
        nodeId: iteration.nodeId,
        index: [...iteration.index],
        status: iteration.status,
        attempts: iteration.attempts,
        startedAt: iso(iteration.startedAt),
        finishedAt: iso(iteration.finishedAt),
        record: recordJson(iteration.record),
      })),
      loop: step.loop ? { items: step.loop.items, failed: step.loop.failed } : null,
    })),
    canRetryFromFailed: view.canRetryFromFailed,
    retryOf: view.retryOf ? relatedRun(view.retryOf) : null,
    retries: view.retries.map(relatedRun),
    parent: view.parent ? subflowRun(view.parent) : null,
    children: view.children.map(subflowRun),
    approvals: view.approvals.map((approval) => ({
      id: approval.id,
      nodeId: approval.nodeId,
      status: approval.status,
      message: approval.message,
      expiresAt: approval.expiresAt.toISOString(),
      decidedByEmail: approval.decidedByEmail,
      decidedAt: iso(approval.decidedAt),
    })),
    observedAt: observedAt.toISOString(),
  };
}

export type TRunSummaryJson = {
  id: string;
  flowId: string;
  flowName: string;
  versionNumber: number;
  status: TRunStatus;
  trigger: string;
  isSleeping: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** A failed run's failing step name. */
  failedStep: string | null;
};

type TRunSummaryLike = Omit<TRunSummaryJson, "createdAt" | "startedAt" | "finishedAt"> & { createdAt: Date; startedAt: TDateish; finishedAt: TDateish };

export function toRunSummaryJson(run: TRunSummaryLike): TRunSummaryJson {
  return {
    id: run.id,
    flowId: run.flowId,
    flowName: run.flowName,
    versionNumber: run.versionNumber,
    status: run.status,
    trigger: run.trigger,
    isSleeping: run.isSleeping,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationMs: run.durationMs,
    failedStep: run.failedStep,
  };
}
