import "server-only";
import type { TRunStatus } from "@/lib/runs/run-status";
import { parseFlowDocument } from "@/lib/flows/document";
import { topologicalOrder } from "@/lib/flows/validate";
import { NODE_TYPE_LABELS, isNodeType } from "@/lib/flows/node-types";
import { getDb } from "../db";
import { runNotFound, runsVisibleTo } from "./run-access";
import { openRunLogValue, type TStepRecord } from "./run-log";

export type TRunStepView = {
  nodeId: string;
  name: string;
  typeLabel: string;
  status: "pending" | "running" | "succeeded" | "failed" | "skipped";
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Scrubbed when stored; shown as text. */
  record: TStepRecord | null;
};

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
};

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
      wakeAt: true,
      cancelRequestedAt: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      payloadSealed: true,
      flow: { select: { name: true } },
      version: { select: { number: true, document: true } },
      steps: { select: { nodeId: true, status: true, attempts: true, startedAt: true, finishedAt: true, recordSealed: true } },
      _count: { select: { state: { where: { stepKey: { startsWith: "run:node:" } } } } },
    },
  });
  if (!run) throw runNotFound();
  const document = parseFlowDocument(run.version.document);
  const byNode = new Map(run.steps.map((step) => [step.nodeId, step]));
  const steps = topologicalOrder(document)
    .map((nodeId) => document.nodes.find((node) => node.id === nodeId)!)
    .filter((node) => !node.type.startsWith("trigger."))
    .map((node): TRunStepView => {
      const logged = byNode.get(node.id);
      return {
        nodeId: node.id,
        name: node.name,
        typeLabel: isNodeType(node.type) ? NODE_TYPE_LABELS[node.type] : node.type,
        status: (logged?.status as TRunStepView["status"]) ?? "pending",
        attempts: logged?.attempts ?? 0,
        startedAt: logged?.startedAt ?? null,
        finishedAt: logged?.finishedAt ?? null,
        record: logged?.recordSealed ? (openRunLogValue(logged.recordSealed, run.projectId, run.id, `step/${node.id}`) as TStepRecord) : null,
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
  };
}
