// The canvas is derived from the flow document (conventions 9): React Flow's nodes and
// edges are computed here, purely, from the document and its problems. What React Flow
// learns on its own (measured sizes, selection, a drag in progress) is view state that
// `mergeViewState` carries across a re-derivation, never stored in the document.
import type { Edge, Node } from "@xyflow/react";
import { summarizeNode } from "@/components/flows/node-summary";
import type { TFlowDocument } from "@/lib/flows/document";
import { branchLabelsOf, isNodeType, isTriggerType, NODE_TYPE_LABELS } from "@/lib/flows/node-types";
import type { TFlowProblem } from "@/lib/flows/validate";

export const FLOW_NODE_KIND = "flowStep";

export type TCanvasNodeData = {
  nodeType: string;
  typeLabel: string;
  name: string;
  summary: string;
  problemCount: number;
  isTrigger: boolean;
  /** For a condition: its two outcomes, each a source handle of the same id. */
  branchLabels: readonly ["true", "false"] | null;
};

export type TCanvasNode = Node<TCanvasNodeData, typeof FLOW_NODE_KIND>;
export type TCanvasEdge = Edge<{ label?: "true" | "false" }>;

/** Problems per node id; problems about the flow as a whole (no nodeId) are not counted on a node. */
export function problemCountsByNode(problems: readonly TFlowProblem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const problem of problems) {
    if (problem.nodeId) counts.set(problem.nodeId, (counts.get(problem.nodeId) ?? 0) + 1);
  }
  return counts;
}

export function toCanvasNodes(document: TFlowDocument, problems: readonly TFlowProblem[]): TCanvasNode[] {
  const counts = problemCountsByNode(problems);
  return document.nodes.map((node) => ({
    id: node.id,
    type: FLOW_NODE_KIND,
    position: { x: node.ui.x, y: node.ui.y },
    data: {
      nodeType: node.type,
      typeLabel: isNodeType(node.type) ? NODE_TYPE_LABELS[node.type] : "Unknown step",
      name: node.name,
      summary: summarizeNode(node),
      problemCount: counts.get(node.id) ?? 0,
      isTrigger: isTriggerType(node.type),
      branchLabels: branchLabelsOf(node.type),
    },
    ariaLabel: `${isNodeType(node.type) ? NODE_TYPE_LABELS[node.type] : "Step"}: ${node.name}`,
  }));
}

export function toCanvasEdges(document: TFlowDocument): TCanvasEdge[] {
  return document.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    // A condition's outcome is also the handle the edge leaves from.
    sourceHandle: edge.label ?? null,
    label: edge.label,
    data: edge.label ? { label: edge.label } : {},
    className: edge.label ? `flow-edge-${edge.label}` : undefined,
    ariaLabel: `From ${edge.source} to ${edge.target}${edge.label ? ` when ${edge.label}` : ""}`,
  }));
}

type TViewState = Pick<TCanvasNode, "measured" | "selected" | "dragging" | "position">;

/**
 * Keeps what React Flow measured and what the user selected when the document-derived
 * nodes are recomputed. A node being dragged keeps its live position until the drop
 * turns into a `move` operation.
 */
export function mergeViewState(derived: TCanvasNode[], previous: readonly TCanvasNode[], selectedIds: ReadonlySet<string>): TCanvasNode[] {
  const before = new Map<string, TViewState>(previous.map((node) => [node.id, node]));
  return derived.map((node) => {
    const view = before.get(node.id);
    const merged: TCanvasNode = { ...node, selected: selectedIds.has(node.id) };
    if (view?.measured) merged.measured = view.measured;
    if (view?.dragging) {
      merged.dragging = true;
      merged.position = view.position;
    }
    return merged;
  });
}
