// What changed between two flow documents, for the version history ("since version 3,
// the draft has…"). Pure. It names steps, fields and config keys but never carries a
// config value: a value may be something a person typed that should not be repeated
// (a token in a header), and the history is shown to viewers too.
//
// Edges are matched by what they connect (source, target, branch label), not by id: an
// edge removed and drawn again gets a new id but changes nothing about the flow.
import type { TEdgeLabel, TFlowDocument, TFlowEdge, TFlowNode } from "./document";

export type TDiffNode = { id: string; name: string; type: string };

export type TNodeChange = TDiffNode & {
  /** "name" and/or "type", in that order. */
  fields: ("name" | "type")[];
  /** Top-level config keys whose value differs (added, removed or changed), sorted. */
  configKeys: string[];
  /** Only the canvas position differs for this part; the runner ignores it. */
  isMoved: boolean;
};

export type TDiffEdge = { source: string; target: string; label?: TEdgeLabel };

export type TFlowDiff = {
  nodes: { added: TDiffNode[]; removed: TDiffNode[]; changed: TNodeChange[] };
  edges: { added: TDiffEdge[]; removed: TDiffEdge[] };
  summary: { nodesAdded: number; nodesRemoved: number; nodesChanged: number; edgesAdded: number; edgesRemoved: number; isSame: boolean };
};

/** Deep equality of JSON values; object key order does not matter, array order does. */
function isSameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => isSameJson(item, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.hasOwn(right, key) && isSameJson(left[key], right[key]));
}

const describeNode = (node: TFlowNode): TDiffNode => ({ id: node.id, name: node.name, type: node.type });

function changeOf(from: TFlowNode, to: TFlowNode): TNodeChange | null {
  const fields: TNodeChange["fields"] = [];
  if (from.name !== to.name) fields.push("name");
  if (from.type !== to.type) fields.push("type");
  const keys = [...new Set([...Object.keys(from.config), ...Object.keys(to.config)])].sort();
  const configKeys = keys.filter((key) => Object.hasOwn(from.config, key) !== Object.hasOwn(to.config, key) || !isSameJson(from.config[key], to.config[key]));
  const isMoved = from.ui.x !== to.ui.x || from.ui.y !== to.ui.y;
  if (fields.length === 0 && configKeys.length === 0 && !isMoved) return null;
  return { ...describeNode(to), fields, configKeys, isMoved };
}

const edgeKey = (edge: TFlowEdge) => `${edge.source}\u0000${edge.target}\u0000${edge.label ?? ""}`;
const describeEdge = (edge: TFlowEdge): TDiffEdge => ({ source: edge.source, target: edge.target, ...(edge.label ? { label: edge.label } : {}) });

/** Edges of `left` with no counterpart in `right`, counted as a multiset, in `left`'s order. */
function edgesMissingFrom(left: TFlowEdge[], right: TFlowEdge[]): TDiffEdge[] {
  const available = new Map<string, number>();
  for (const edge of right) available.set(edgeKey(edge), (available.get(edgeKey(edge)) ?? 0) + 1);
  const missing: TDiffEdge[] = [];
  for (const edge of left) {
    const count = available.get(edgeKey(edge)) ?? 0;
    if (count > 0) available.set(edgeKey(edge), count - 1);
    else missing.push(describeEdge(edge));
  }
  return missing;
}

/**
 * The changes that turn `from` into `to`. Added and changed steps come in `to`'s order,
 * removed ones in `from`'s order, so the same two documents always give the same diff.
 */
export function diffFlowDocuments(from: TFlowDocument, to: TFlowDocument): TFlowDiff {
  const before = new Map(from.nodes.map((node) => [node.id, node]));
  const after = new Set(to.nodes.map((node) => node.id));
  const added: TDiffNode[] = [];
  const changed: TNodeChange[] = [];
  for (const node of to.nodes) {
    const previous = before.get(node.id);
    if (!previous) {
      added.push(describeNode(node));
      continue;
    }
    const change = changeOf(previous, node);
    if (change) changed.push(change);
  }
  const removed = from.nodes.filter((node) => !after.has(node.id)).map(describeNode);
  const edgesAdded = edgesMissingFrom(to.edges, from.edges);
  const edgesRemoved = edgesMissingFrom(from.edges, to.edges);
  const counts = {
    nodesAdded: added.length,
    nodesRemoved: removed.length,
    nodesChanged: changed.length,
    edgesAdded: edgesAdded.length,
    edgesRemoved: edgesRemoved.length,
  };
  return {
    nodes: { added, removed, changed },
    edges: { added: edgesAdded, removed: edgesRemoved },
    summary: { ...counts, isSame: Object.values(counts).every((count) => count === 0) },
  };
}
