"use client";

import { Handle, Position, useStore, type NodeProps, type ReactFlowState } from "@xyflow/react";
import { memo } from "react";
import { appOf } from "@/lib/apps/registry";
import { pathHandleFraction, type TCanvasNode } from "@/lib/editor/canvas-mapping";
import type { TEdgeLabel } from "@/lib/flows/document";
import { PaletteIcon } from "./step-palette";

/** A path's word under its handle; the colour repeats the word, it never says it alone. */
const PATH_LABEL_COLOURS: Record<TEdgeLabel, string> = {
  true: "text-emerald-800",
  false: "text-red-800",
  each: "text-blue-800",
  done: "text-slate-800",
  approved: "text-emerald-800",
  rejected: "text-red-800",
  error: "text-red-800",
};

// Inline icons, not characters: some glyphs (⏸, ◷) are missing from common fonts and
// render as an empty box. Drawn on a 24-unit grid in the current text colour.
const ICON_PATHS: Record<string, React.ReactNode> = {
  "trigger.manual": <path d="M8 5.5v13l10.5-6.5z" fill="currentColor" />,
  "trigger.webhook": <path d="M12 3v11m-5-5 5 5 5-5M4 15v4a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-4" />,
  "trigger.schedule": (
    <>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M12 7.5V12l3 2" />
    </>
  ),
  "step.transform": <path d="M16 4h-1.5A2.5 2.5 0 0 0 12 6.5v11A2.5 2.5 0 0 1 9.5 20H8m0-9h8" />,
  "step.condition": <path d="m12 3 9 9-9 9-9-9z" />,
  "step.delay": <path d="M9 6v12m6-12v12" strokeWidth={3} />,
  "step.http": <path d="M4 8h15m-4-4 4 4-4 4m5 4H5m4-4-4 4 4 4" />,
  "step.respond": <path d="m9 14-5-5 5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />,
  "step.loop": <path d="M17 2l4 4-4 4M3 11V9a3 3 0 0 1 3-3h15M7 22l-4-4 4-4m14-1v2a3 3 0 0 1-3 3H3" />,
  "step.merge": <path d="M6 3v6a6 6 0 0 0 6 6 6 6 0 0 0 6-6V3M12 15v6" />,
  "step.subflow": (
    <>
      <rect x="3" y="3" width="8" height="8" rx="1" />
      <rect x="13" y="13" width="8" height="8" rx="1" />
      <path d="M7 11v4a2 2 0 0 0 2 2h4" />
    </>
  ),
  "step.approval": <path d="M20 6 9 17l-5-5" />,
};
const UNKNOWN_ICON = (
  <>
    <circle cx="12" cy="12" r="8.5" />
    <path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6m0 3v.01" />
  </>
);

function StepIcon({ nodeType, className }: { nodeType: string; className: string }) {
  // An app's steps show the app's icon, as in the palette.
  const app = ICON_PATHS[nodeType] ? undefined : appOf(nodeType);
  if (app) return <PaletteIcon name={app.icon} className={className} />;
  return (
    <svg
      aria-hidden
      focusable="false"
      viewBox="0 0 24 24"
      className={className}
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {ICON_PATHS[nodeType] ?? UNKNOWN_ICON}
    </svg>
  );
}

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
  const isLabelled = data.pathLabels.some((label) => label !== null);
  const frame = `h-full w-full rounded-lg border bg-white text-left shadow-sm ${
    selected
      ? "border-brand-600 ring-2 ring-brand-600/40"
      : hasProblems && isFar
        ? "border-2 border-red-700"
        : isFar
          ? "border-2 border-slate-400"
          : "border-slate-300"
  } ${data.isTrigger ? "border-t-4 border-t-emerald-600" : ""}`;
  return (
    <div
      data-testid="canvas-node"
      data-node-id={id}
      data-detail={isFar ? "low" : "full"}
      // Zoomed out the name is not drawn; hovering still tells which step a box is.
      title={isFar ? data.name : undefined}
      className={`flow-step-node relative ${frame} ${isFar ? "flex items-center justify-center" : "px-3 py-2"}`}
    >
      {data.isTrigger ? null : <Handle type="target" position={Position.Top} />}
      {isFar ? (
        <StepIcon nodeType={data.nodeType} className="h-12 w-12 text-slate-700" />
      ) : (
        <>
          <div className="flex items-start gap-2">
            <span aria-hidden className="mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded bg-slate-100 text-slate-800">
              <StepIcon nodeType={data.nodeType} className="h-4 w-4" />
            </span>
            <div className="min-w-0 flex-1">
              <p className="text-[13px]/4 text-slate-700">{data.typeLabel}</p>
              <p className="truncate font-medium text-slate-900" data-testid="canvas-node-name" title={data.name}>
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
          {isLabelled
            ? data.pathLabels.map((label, index) =>
                label ? (
                  <span
                    key={label}
                    aria-hidden
                    data-testid="canvas-path-label"
                    className={`absolute bottom-1 -translate-x-1/2 text-[11px] font-semibold ${PATH_LABEL_COLOURS[label]}`}
                    style={{ left: `${pathHandleFraction(index, data.pathLabels.length) * 100}%` }}
                  >
                    {label}
                  </span>
                ) : null,
              )
            : null}
        </>
      )}
      {data.pathLabels.map((label, index) => (
        <Handle
          key={label ?? "next"}
          type="source"
          id={label}
          position={Position.Bottom}
          // Each path its own handle: drag from "each", "done", "error", … to draw that path.
          title={label ? `Drag to connect the ${label} path` : undefined}
          style={{ left: `${pathHandleFraction(index, data.pathLabels.length) * 100}%` }}
        />
      ))}
    </div>
  );
}

export const FlowStepNode = memo(FlowStepNodeView);
