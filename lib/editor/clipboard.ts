// Copy, paste and duplicate of a selection: the selected steps with the connections
// between them (edges that leave the selection are not copied), pasted under fresh ids
// and offset so the copy does not hide the original. References between copied steps
// follow the copy (`{{steps.a.output}}` in a copy of b points at the copy of a).
import type { TFlowDocument, TFlowEdge, TFlowNode } from "@/lib/flows/document";
import { isTriggerType } from "@/lib/flows/node-types";
import type { TFlowOperation } from "@/lib/flows/operations";
import { freshEdgeId, freshNodeId } from "./palette";

export type TClipboard = { nodes: TFlowNode[]; edges: TFlowEdge[] };

export const PASTE_OFFSET = { x: 40, y: 40 };

export function copySelection(document: TFlowDocument, nodeIds: ReadonlySet<string>): TClipboard {
  const nodes = document.nodes.filter((n) => nodeIds.has(n.id));
  const edges = document.edges.filter((e) => nodeIds.has(e.source) && nodeIds.has(e.target));
  return structuredClone({ nodes, edges });
}

function remapReferences(value: unknown, ids: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string") {
    return value.replace(/\{\{(\s*)steps\.([A-Za-z][A-Za-z0-9_]*)/g, (match, space: string, id: string) =>
      ids.has(id) ? `{{${space}steps.${ids.get(id)}` : match,
    );
  }
  if (Array.isArray(value)) return value.map((item) => remapReferences(item, ids));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remapReferences(v, ids)]));
  return value;
}

/**
 * Operations that paste the clipboard, and the new ids. A copied trigger is left out
 * when the flow already has one (a flow has exactly one).
 */
export function pasteOperations(document: TFlowDocument, clipboard: TClipboard, offset = PASTE_OFFSET): { operations: TFlowOperation[]; nodeIds: string[] } {
  const hasTrigger = document.nodes.some((n) => isTriggerType(n.type));
  const nodes = clipboard.nodes.filter((n) => !(hasTrigger && isTriggerType(n.type)));
  const ids = new Map<string, string>();
  for (const node of nodes) ids.set(node.id, freshNodeId(document, node.type, new Set(ids.values())));
  const operations: TFlowOperation[] = nodes.map((node) => ({
    op: "add_node",
    node: {
      ...node,
      id: ids.get(node.id)!,
      config: remapReferences(node.config, ids) as Record<string, unknown>,
      ui: { x: node.ui.x + offset.x, y: node.ui.y + offset.y },
    },
  }));
  const edgeIds = new Set<string>();
  for (const edge of clipboard.edges) {
    const source = ids.get(edge.source);
    const target = ids.get(edge.target);
    if (!source || !target) continue;
    const id = freshEdgeId(document, source, target, edge.label, edgeIds);
    edgeIds.add(id);
    operations.push({ op: "connect", edge: { ...edge, id, source, target } });
  }
  return { operations, nodeIds: [...ids.values()] };
}

/** Operations that delete the given steps and connections (connections of deleted steps go with them). */
export function deleteOperations(document: TFlowDocument, nodeIds: ReadonlySet<string>, edgeIds: ReadonlySet<string> = new Set()): TFlowOperation[] {
  const edges = document.edges.filter((e) => edgeIds.has(e.id) && !nodeIds.has(e.source) && !nodeIds.has(e.target));
  return [
    ...edges.map((edge) => ({ op: "disconnect" as const, edgeId: edge.id })),
    ...document.nodes.filter((n) => nodeIds.has(n.id)).map((node) => ({ op: "remove_node" as const, nodeId: node.id })),
  ];
}
