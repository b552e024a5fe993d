// The canvas is derived from the flow document: React Flow's nodes and
// edges are computed here, purely, from the document and its problems. What React Flow
// learns on its own (measured sizes, selection, a drag in progress) is view state that
// `mergeViewState` carries across a re-derivation, never stored in the document.
// React Flow re-renders a node or an edge only when its object changes, so the merges
// hand back the previous object whenever nothing about it changed: an edit to one step
// of 1,000 re-renders that step, not the canvas.
import { Position, type Edge, type Node, type NodeHandle } from "@xyflow/react";
import { summarizeNode } from "@/lib/editor/node-summary";
import type { TEdgeLabel, TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { isNodeType, isTriggerType, NODE_TYPE_LABELS, pathLabelsOf } from "@/lib/flows/node-types";
import type { TFlowProblem } from "@/lib/flows/validate";
import { CANVAS_NODE_SIZE } from "./canvas-node-size";

export const FLOW_NODE_KIND = "flowStep";

export type TCanvasNodeData = {
  nodeType: string;
  typeLabel: string;
  name: string;
  summary: string;
  problemCount: number;
  isTrigger: boolean;
  /**
   * Every path out of the step, left to right, each a source handle of the same id: a
   * condition's true/false, a loop's each/done, an approval's approved/rejected, "error"
   * for a step whose failures take their own path; null is the plain path (handle id null).
   */
  pathLabels: readonly (TEdgeLabel | null)[];
};

export type TCanvasNode = Node<TCanvasNodeData, typeof FLOW_NODE_KIND>;
export type TCanvasEdge = Edge<{ label?: TEdgeLabel }>;

/** Problems per node id; problems about the flow as a whole (no nodeId) are not counted on a node. */
export function problemCountsByNode(problems: readonly TFlowProblem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const problem of problems) {
    if (problem.nodeId) counts.set(problem.nodeId, (counts.get(problem.nodeId) ?? 0) + 1);
  }
  return counts;
}

const HANDLE = 6;
const handleAt = (type: "source" | "target", id: string | null, fraction: number): NodeHandle => {
  const { width, height } = CANVAS_NODE_SIZE;
  // Where React Flow's stylesheet draws a 6 px handle on the node's 1 px border (centred on it).
  const x = 1 + fraction * (width - 2) - HANDLE / 2;
  return type === "target"
    ? { type, id, position: Position.Top, x, y: 1 - HANDLE / 2, width: HANDLE, height: HANDLE }
    : { type, id, position: Position.Bottom, x, y: height - 1 - HANDLE / 2, width: HANDLE, height: HANDLE };
};
/** Where the `index`th of `count` source handles sits along the bottom edge (flow-step-node.tsx draws them there). */
export function pathHandleFraction(index: number, count: number): number {
  if (count <= 1) return 0.5;
  return 0.2 + (0.6 * index) / (count - 1);
}

const handleSets = new Map<string, NodeHandle[]>();

/**
 * Every step has the same size, and its handles follow from its paths (flow-step-node.tsx),
 * so the canvas tells React Flow both up front: it then draws nodes and edges at once,
 * without measuring 1,000 nodes in the browser and re-rendering them all with the results.
 * Nodes with the same paths share one handle list.
 */
function handlesOf(node: TFlowNode, labels: readonly (TEdgeLabel | null)[]): NodeHandle[] {
  const isTrigger = isTriggerType(node.type);
  const key = `${isTrigger ? "t" : "s"}:${labels.join(",")}`;
  let handles = handleSets.get(key);
  if (!handles) {
    handles = [
      ...(isTrigger ? [] : [handleAt("target", null, 0.5)]),
      ...labels.map((label, index) => handleAt("source", label, pathHandleFraction(index, labels.length))),
    ];
    handleSets.set(key, handles);
  }
  return handles;
}

export function toCanvasNodes(document: TFlowDocument, problems: readonly TFlowProblem[]): TCanvasNode[] {
  const counts = problemCountsByNode(problems);
  return document.nodes.map((node) => {
    const pathLabels = pathLabelsOf(node);
    return {
      id: node.id,
      type: FLOW_NODE_KIND,
      position: { x: node.ui.x, y: node.ui.y },
      width: CANVAS_NODE_SIZE.width,
      height: CANVAS_NODE_SIZE.height,
      measured: { width: CANVAS_NODE_SIZE.width, height: CANVAS_NODE_SIZE.height },
      handles: handlesOf(node, pathLabels),
      data: {
        nodeType: node.type,
        typeLabel: isNodeType(node.type) ? NODE_TYPE_LABELS[node.type] : "Unknown step",
        name: node.name,
        summary: summarizeNode(node),
        problemCount: counts.get(node.id) ?? 0,
        isTrigger: isTriggerType(node.type),
        pathLabels,
      },
      ariaLabel: `${isNodeType(node.type) ? NODE_TYPE_LABELS[node.type] : "Step"}: ${node.name}`,
    };
  });
}

export function toCanvasEdges(document: TFlowDocument): TCanvasEdge[] {
  return document.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    // The outcome an edge follows is also the handle it leaves from.
    sourceHandle: edge.label ?? null,
    label: edge.label,
    data: edge.label ? { label: edge.label } : {},
    className: edge.label ? `flow-edge-${edge.label}` : undefined,
    ariaLabel: `From ${edge.source} to ${edge.target}${edge.label ? ` when ${edge.label}` : ""}`,
  }));
}

function isSameData(a: TCanvasNodeData, b: TCanvasNodeData): boolean {
  return (
    a.nodeType === b.nodeType &&
    a.typeLabel === b.typeLabel &&
    a.name === b.name &&
    a.summary === b.summary &&
    a.problemCount === b.problemCount &&
    a.isTrigger === b.isTrigger &&
    a.pathLabels.length === b.pathLabels.length &&
    a.pathLabels.every((label, index) => label === b.pathLabels[index])
  );
}

/** Whether the node React Flow has (`view`) already shows `node` as derived now. */
function isUnchanged(view: TCanvasNode, node: TCanvasNode, selected: boolean): boolean {
  const isPlaced = view.dragging || (view.position.x === node.position.x && view.position.y === node.position.y);
  return view.selected === selected && isPlaced && view.ariaLabel === node.ariaLabel && isSameData(view.data, node.data);
}

/**
 * Keeps what React Flow measured and what the user selected when the document-derived
 * nodes are recomputed. A node being dragged keeps its live position until the drop
 * turns into a `move` operation. An unchanged node keeps its previous object.
 */
export function mergeViewState(derived: TCanvasNode[], previous: readonly TCanvasNode[], selectedIds: ReadonlySet<string>): TCanvasNode[] {
  const before = new Map<string, TCanvasNode>(previous.map((node) => [node.id, node]));
  return derived.map((node) => {
    const view = before.get(node.id);
    const selected = selectedIds.has(node.id);
    if (view && isUnchanged(view, node, selected)) return view;
    const merged: TCanvasNode = { ...node, selected };
    if (view?.measured) merged.measured = view.measured;
    if (view?.dragging) {
      merged.dragging = true;
      merged.position = view.position;
    }
    return merged;
  });
}

/** The edges with their selection; an edge that did not change keeps its previous object. */
export function mergeEdgeSelection(derived: TCanvasEdge[], previous: readonly TCanvasEdge[], selectedIds: ReadonlySet<string>): TCanvasEdge[] {
  const before = new Map(previous.map((edge) => [edge.id, edge]));
  return derived.map((edge) => {
    const view = before.get(edge.id);
    const selected = selectedIds.has(edge.id);
    if (view && view.source === edge.source && view.target === edge.target && view.label === edge.label && view.selected === selected) return view;
    return { ...edge, selected };
  });
}
