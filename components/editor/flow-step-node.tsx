"use client";

import { Handle, Position, type NodeProps } from "@xyflow/react";
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

/** One step on the canvas: type, name, a one-line summary, problems; handles where paths may start and end. */
function FlowStepNodeView({ id, data, selected }: NodeProps<TCanvasNode>) {
  const hasProblems = data.problemCount > 0;
  return (
    <div
      data-testid="canvas-node"
      data-node-id={id}
      className={`w-56 rounded-lg border bg-white px-3 py-2 text-left shadow-sm ${selected ? "border-brand-600 ring-2 ring-brand-600/40" : "border-slate-300"} ${
        data.isTrigger ? "border-t-4 border-t-emerald-600" : ""
      }`}
    >
      {data.isTrigger ? null : <Handle type="target" position={Position.Top} />}
      <div className="flex items-start gap-2">
        <span aria-hidden className="mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded bg-slate-100 text-sm text-slate-800">
          {GLYPHS[data.nodeType] ?? "?"}
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
          <div className="mt-1 flex justify-between text-[11px] font-semibold" aria-hidden>
            <span className="text-emerald-800">true</span>
            <span className="text-red-800">false</span>
          </div>
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
