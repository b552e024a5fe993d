"use client";

import { Handle, Position, useStore, type NodeProps, type ReactFlowState } from "@xyflow/react";
import { memo } from "react";
import type { TCanvasNode } from "@/lib/editor/canvas-mapping";

const GLYPHS: Record<string, string> = {
  "trigger.manual": "▶",
  "trigger.webhook": "⇲",
  "trigger.schedule": "◷",
  "step.transform": "ƒ",
  "step.condition": "◇",
  "step.delay": "⏸",
  "step.http": "⇄",
  "step.respond": "↩",
};

/**
 * Below this zoom a step's text is too small to read, so it is drawn as a box and its
 * glyph: far less to paint and hit-test while a large flow is dragged (bench/README.md).
 */
export const DETAIL_ZOOM = 0.5;
const isZoomedOut = (state: ReactFlowState) => state.transform[2] < DETAIL_ZOOM;

/**
 * One step on the canvas: type, name, a one-line summary, problems; handles where paths
 * may start and end. Its size is fixed (CANVAS_NODE_SIZE, set on the node by the
 * mapping); the handles stay in the DOM at every zoom, so React Flow's measured handle
 * positions, and with them the edges, do not change when the detail does.
 */
function FlowStepNodeView({ id, data, selected }: NodeProps<TCanvasNode>) {
  const isFar = useStore(isZoomedOut);
  const hasProblems = data.problemCount > 0;
  const frame = `h-full w-full rounded-lg border bg-white text-left shadow-sm ${
    selected ? "border-brand-600 ring-2 ring-brand-600/40" : hasProblems && isFar ? "border-2 border-red-700" : "border-slate-300"
  } ${data.isTrigger ? "border-t-4 border-t-emerald-600" : ""}`;
  const glyph = GLYPHS[data.nodeType] ?? "?";
  return (
    <div data-testid="canvas-node" data-node-id={id} data-detail={isFar ? "low" : "full"} className={`flow-step-node relative ${frame} ${isFar ? "flex items-center justify-center" : "px-3 py-2"}`}>
      {data.isTrigger ? null : <Handle type="target" position={Position.Top} />}
      {isFar ? (
        <span aria-hidden className="text-5xl text-slate-700">
          {glyph}
        </span>
      ) : (
        <>
          <div className="flex items-start gap-2">
            <span aria-hidden className="mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded bg-slate-100 text-sm text-slate-800">
              {glyph}
            </span>
            <div className="min-w-0 flex-1">
              <p className="text-xs text-slate-700">{data.typeLabel}</p>
              <p className="truncate font-medium text-slate-900" data-testid="canvas-node-name">
                {data.name}
              </p>
            </div>
            {hasProblems ? (
              <span
                data-testid="canvas-node-problems"
                title={`${data.problemCount} ${data.problemCount === 1 ? "problem" : "problems"}`}
                className="shrink-0 rounded-full bg-red-700 px-2 text-xs font-semibold text-white"
              >
                {data.problemCount}
                <span className="sr-only"> {data.problemCount === 1 ? "problem" : "problems"}</span>
              </span>
            ) : null}
          </div>
          <p className="mt-1 truncate font-mono text-xs text-slate-700" title={data.summary}>
            {data.summary}
          </p>
          {data.branchLabels ? (
            <>
              <span aria-hidden className="absolute bottom-1 left-[20%] -translate-x-1/2 text-[11px] font-semibold text-emerald-800">
                true
              </span>
              <span aria-hidden className="absolute bottom-1 left-[80%] -translate-x-1/2 text-[11px] font-semibold text-red-800">
                false
              </span>
            </>
          ) : null}
        </>
      )}
      {data.branchLabels ? (
        <>
          <Handle type="source" id="true" position={Position.Bottom} style={{ left: "20%" }} />
          <Handle type="source" id="false" position={Position.Bottom} style={{ left: "80%" }} />
        </>
      ) : (
        <Handle type="source" position={Position.Bottom} />
      )}
    </div>
  );
}

export const FlowStepNode = memo(FlowStepNodeView);
