// Importing a flow file into the open editor: the draft becomes the file's document, as
// ONE edit, so a single Undo brings the previous draft back. The edit is the difference
// between the two documents, not "remove everything, add everything": re-importing a
// file exported from this flow changes only what differs, and most imports fit in one
// batch of operations. Steps without usable positions are laid out first.
import type { TFlowDocument, TFlowEdge, TFlowNode } from "@/lib/flows/document";
import type { TFlowFile } from "@/lib/flows/flow-file";
import { resolveImportConnections, type TAvailableConnection, type TImportConnections } from "@/lib/flows/import-connections";
import type { TFlowOperation } from "@/lib/flows/operations";
import { withUsablePositions } from "./auto-layout";

export type TDraftImport = Omit<TImportConnections, "nodes"> & {
  operations: TFlowOperation[];
  document: TFlowDocument;
  /** True when the file's positions were unusable and the steps were laid out. */
  isLaidOut: boolean;
};

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const sameEdge = (a: TFlowEdge, b: TFlowEdge) => a.source === b.source && a.target === b.target && a.label === b.label;

/** Operations that turn `current` into `next`, in an order each step of which the document accepts. */
export function replaceDocumentOperations(current: TFlowDocument, next: TFlowDocument): TFlowOperation[] {
  const before = new Map(current.nodes.map((node) => [node.id, node]));
  const after = new Map(next.nodes.map((node) => [node.id, node]));
  // A step that changed type is replaced: its config belongs to the old type.
  const isKept = (node: TFlowNode) => after.get(node.id)?.type === node.type;
  const removed = current.nodes.filter((node) => !isKept(node));
  const removedIds = new Set(removed.map((node) => node.id));
  const nextEdges = new Map(next.edges.map((edge) => [edge.id, edge]));
  const currentEdges = new Map(current.edges.map((edge) => [edge.id, edge]));
  const operations: TFlowOperation[] = [];
  // Connections first, then steps (removing a step removes its connections), so no
  // intermediate document has a loop or two triggers that the final one does not.
  for (const edge of current.edges) {
    const wanted = nextEdges.get(edge.id);
    if ((!wanted || !sameEdge(edge, wanted)) && !removedIds.has(edge.source) && !removedIds.has(edge.target))
      operations.push({ op: "disconnect", edgeId: edge.id });
  }
  for (const node of removed) operations.push({ op: "remove_node", nodeId: node.id });
  for (const node of next.nodes) {
    const old = before.get(node.id);
    if (!old || removedIds.has(node.id)) {
      operations.push({ op: "add_node", node });
      continue;
    }
    if (old.name !== node.name) operations.push({ op: "rename", nodeId: node.id, name: node.name });
    if (!sameJson(old.config, node.config)) operations.push({ op: "update_config", nodeId: node.id, config: node.config });
    if (old.ui.x !== node.ui.x || old.ui.y !== node.ui.y) operations.push({ op: "move", nodeId: node.id, ui: node.ui });
  }
  for (const edge of next.edges) {
    const had = currentEdges.get(edge.id);
    const isStillThere = had && sameEdge(had, edge) && !removedIds.has(had.source) && !removedIds.has(had.target);
    if (!isStillThere) operations.push({ op: "connect", edge });
  }
  return operations;
}

/** What importing `file` (already read and parsed) into the draft `current` changes. */
export function planDraftImport(
  current: TFlowDocument,
  imported: TFlowDocument,
  listed: TFlowFile["connections"],
  available: readonly TAvailableConnection[],
): TDraftImport {
  const { nodes, remapped, unresolved } = resolveImportConnections(imported.nodes, listed, available);
  const resolved: TFlowDocument = { ...imported, nodes };
  const document = withUsablePositions(resolved);
  const isLaidOut = document !== resolved;
  return { operations: replaceDocumentOperations(current, document), document, remapped, unresolved, isLaidOut };
}
