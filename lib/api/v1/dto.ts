// Data-layer views to the API's wire format, field by field by name, so nothing a view
// gains later reaches a response unless it is added here (and to the schema).
import type { TFlowDocument } from "@/lib/flows/document";
import type { TRunJson, TRunSummaryJson } from "@/lib/runs/run-json";
import type { TFlowDetailJson, TFlowSummaryJson, TRunDetailJson, TRunSummaryApiJson } from "./schemas";

type TFlowSummaryLike = { id: string; name: string; description: string; isActive: boolean; latestVersion: number | null; updatedAt: Date };

export function toApiFlowSummary(flow: TFlowSummaryLike): TFlowSummaryJson {
  return {
    id: flow.id,
    name: flow.name,
    description: flow.description,
    is_active: flow.isActive,
    // Publishing makes the new version the live one, so the newest is the live version.
    published_version: flow.latestVersion,
    updated_at: flow.updatedAt.toISOString(),
  };
}

/** The live version's shape only: node types and counts, never a node's config (where credentials and URLs live). */
export function toApiFlowDetail(flow: TFlowSummaryLike & { activeVersion: { number: number } | null }, document: TFlowDocument | null): TFlowDetailJson {
  const counts = new Map<string, number>();
  for (const node of document?.nodes ?? []) counts.set(node.type, (counts.get(node.type) ?? 0) + 1);
  return {
    flow: {
      ...toApiFlowSummary({ ...flow, latestVersion: flow.activeVersion?.number ?? flow.latestVersion }),
      published:
        flow.activeVersion && document
          ? {
              version: flow.activeVersion.number,
              trigger_type: document.nodes.find((node) => node.type.startsWith("trigger."))?.type ?? null,
              node_count: document.nodes.length,
              node_types: [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => ({ type, count })),
            }
          : null,
    },
  };
}

type TRunCommonFields = "id" | "flowId" | "flowName" | "versionNumber" | "status" | "trigger" | "createdAt" | "startedAt" | "finishedAt";

/** The fields ZRunDetail takes over from ZRunSummary (schemas.ts), mapped in one place for both. */
function toApiRunCommon(run: Pick<TRunSummaryJson, TRunCommonFields> & Pick<TRunJson, TRunCommonFields>) {
  return {
    id: run.id,
    flow_id: run.flowId,
    flow_name: run.flowName,
    version: run.versionNumber,
    status: run.status,
    trigger: run.trigger,
    created_at: run.createdAt,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
  };
}

export function toApiRunSummary(run: TRunSummaryJson): TRunSummaryApiJson {
  return {
    ...toApiRunCommon(run),
    is_sleeping: run.isSleeping,
    duration_ms: run.durationMs,
    failed_step: run.failedStep,
  };
}

/** From the run page's own wire format (toRunJson: the scrubbed records the page shows). */
export function toApiRunDetail(run: TRunJson): TRunDetailJson {
  return {
    run: {
      ...toApiRunCommon(run),
      error: run.error,
      failed_step_id: run.failedNodeId,
      wake_at: run.wakeAt,
      cancel_requested: run.cancelRequested,
      input: run.payload,
      can_retry_from_failed_step: run.canRetryFromFailed,
      steps: run.steps.map((step) => ({
        node_id: step.nodeId,
        name: step.name,
        type: step.typeLabel,
        status: step.status,
        attempts: step.attempts,
        started_at: step.startedAt,
        finished_at: step.finishedAt,
        record: step.record,
        iterations: step.iterations.map((iteration) => ({
          index: iteration.index,
          status: iteration.status,
          attempts: iteration.attempts,
          started_at: iteration.startedAt,
          finished_at: iteration.finishedAt,
          record: iteration.record,
        })),
      })),
    },
  };
}
