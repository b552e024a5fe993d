// Undo is a set of inverse operations, computed against the document as it was before
// the edit, then sent to the server like any other edit: the server never needs to know
// that an edit was an undo. Applying an operation then its inverse gives back the same
// nodes and edges; their order in the arrays may differ (re-added items go last), which
// nothing reads.
import type { TFlowDocument } from "@/lib/flows/document";
import { applyOperation, type TFlowOperation } from "@/lib/flows/operations";

function nodeOf(document: TFlowDocument, nodeId: string) {
  const node = document.nodes.find((n) => n.id === nodeId);
  if (!node) throw new Error(`no node ${nodeId} to invert against`);
  return node;
}

/** The operations that undo `operation`, given the document it applies to. */
export function invertOperation(before: TFlowDocument, operation: TFlowOperation): TFlowOperation[] {
  switch (operation.op) {
    case "add_node":
      return [{ op: "remove_node", nodeId: operation.node.id }];
    case "remove_node": {
      const node = nodeOf(before, operation.nodeId);
      const edges = before.edges.filter((e) => e.source === node.id || e.target === node.id);
      return [{ op: "add_node", node }, ...edges.map((edge) => ({ op: "connect" as const, edge }))];
    }
    case "connect":
      return [{ op: "disconnect", edgeId: operation.edge.id }];
    case "disconnect": {
      const edge = before.edges.find((e) => e.id === operation.edgeId);
      if (!edge) throw new Error(`no edge ${operation.edgeId} to invert against`);
      return [{ op: "connect", edge }];
    }
    case "update_config":
      return [{ op: "update_config", nodeId: operation.nodeId, config: nodeOf(before, operation.nodeId).config }];
    case "move":
      return [{ op: "move", nodeId: operation.nodeId, ui: nodeOf(before, operation.nodeId).ui }];
    case "rename":
      return [{ op: "rename", nodeId: operation.nodeId, name: nodeOf(before, operation.nodeId).name }];
    case "replace_trigger":
      return [{ op: "replace_trigger", nodeId: operation.node.id, node: nodeOf(before, operation.nodeId) }];
  }
}

/**
 * Applies a batch and returns the result with the batch's inverse: each operation's
 * inverse, last first. Throws (FlowOperationError) as applyOperation does.
 */
export function applyWithInverse(document: TFlowDocument, operations: readonly TFlowOperation[]): { document: TFlowDocument; inverse: TFlowOperation[] } {
  let current = document;
  const inverses: TFlowOperation[][] = [];
  for (const operation of operations) {
    inverses.push(invertOperation(current, operation));
    current = applyOperation(current, operation);
  }
  return { document: current, inverse: inverses.reverse().flat() };
}
