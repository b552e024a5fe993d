// Typed edits of a flow document, applied by one pure function that the editor (for
// optimistic updates and undo) and the server (the authority) share. An operation that
// would break the document's structure is refused with a message; the document given
// is never mutated.
import { z } from "@/lib/zod";
import { MAX_EDGES, MAX_NODES, ZFlowEdge, ZFlowNode, ZNodeId, type TFlowDocument } from "./document";
import { branchLabelsOf, isNodeType, isTriggerType, pathLabelsOf } from "./node-types";

const ZPosition = z.strictObject({ x: z.number().finite(), y: z.number().finite() });

export const ZFlowOperation = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("add_node"), node: ZFlowNode }),
  z.strictObject({ op: z.literal("remove_node"), nodeId: ZNodeId }),
  z.strictObject({ op: z.literal("connect"), edge: ZFlowEdge }),
  z.strictObject({ op: z.literal("disconnect"), edgeId: z.string().min(1).max(140) }),
  z.strictObject({ op: z.literal("update_config"), nodeId: ZNodeId, config: z.record(z.string(), z.unknown()) }),
  z.strictObject({ op: z.literal("move"), nodeId: ZNodeId, ui: ZPosition }),
  z.strictObject({ op: z.literal("rename"), nodeId: ZNodeId, name: ZFlowNode.shape.name }),
  /** Swaps the trigger for another (say, manual for webhook) where it stands: its paths out now leave the new one. */
  z.strictObject({ op: z.literal("replace_trigger"), nodeId: ZNodeId, node: ZFlowNode }),
]);
export type TFlowOperation = z.infer<typeof ZFlowOperation>;

/** A batch is applied all or nothing (paste, duplicate, delete of a selection). */
export const ZFlowOperations = z.array(ZFlowOperation).min(1, "Nothing to change.").max(1000, "Too many changes at once.");

export class FlowOperationError extends Error {
  override name = "FlowOperationError";
}

function fail(message: string): never {
  throw new FlowOperationError(message);
}

function requireNode(document: TFlowDocument, nodeId: string) {
  const node = document.nodes.find((n) => n.id === nodeId);
  if (!node) fail(`There is no step "${nodeId}".`);
  return node;
}

function reaches(document: TFlowDocument, from: string, to: string): boolean {
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    for (const edge of document.edges) {
      if (edge.source === id && !seen.has(edge.target)) {
        seen.add(edge.target);
        stack.push(edge.target);
      }
    }
  }
  return false;
}

export function applyOperation(document: TFlowDocument, operation: TFlowOperation): TFlowDocument {
  switch (operation.op) {
    case "add_node": {
      const { node } = operation;
      if (document.nodes.length >= MAX_NODES) fail(`A flow can have at most ${MAX_NODES} steps.`);
      if (document.nodes.some((n) => n.id === node.id)) fail(`A step with the id "${node.id}" already exists.`);
      if (!isNodeType(node.type)) fail(`"${node.type}" is not a step type.`);
      if (isTriggerType(node.type) && document.nodes.some((n) => isTriggerType(n.type))) {
        fail("A flow has exactly one trigger; choose another trigger type to replace the current one.");
      }
      return { ...document, nodes: [...document.nodes, node] };
    }
    case "remove_node": {
      requireNode(document, operation.nodeId);
      return {
        ...document,
        nodes: document.nodes.filter((n) => n.id !== operation.nodeId),
        edges: document.edges.filter((e) => e.source !== operation.nodeId && e.target !== operation.nodeId),
      };
    }
    case "connect": {
      const { edge } = operation;
      if (document.edges.length >= MAX_EDGES) fail(`A flow can have at most ${MAX_EDGES} connections.`);
      if (document.edges.some((e) => e.id === edge.id)) fail(`A connection with the id "${edge.id}" already exists.`);
      const source = requireNode(document, edge.source);
      const target = requireNode(document, edge.target);
      if (source.id === target.id) fail("A step cannot lead to itself.");
      if (isTriggerType(target.type)) fail("Nothing can lead into the trigger.");
      const paths = pathLabelsOf(source);
      const labels = branchLabelsOf(source.type);
      if (!paths.includes(edge.label ?? null)) {
        if (labels && !edge.label) fail(`Choose which path this is: ${labels.join(" or ")}.`);
        if (edge.label === "error") fail(`"${source.name}" has no error path: set its "On error" to take the error path first.`);
        fail(
          labels
            ? `A path out of "${source.name}" is marked ${labels.join(" or ")}${paths.includes("error") ? " or error" : ""}.`
            : `A path out of "${source.name}" is not marked "${edge.label}".`,
        );
      }
      if (document.edges.some((e) => e.source === edge.source && e.target === edge.target && e.label === edge.label)) {
        fail("These steps are already connected.");
      }
      if (reaches(document, target.id, source.id)) fail("This connection would make a loop; flows run forward only.");
      return { ...document, edges: [...document.edges, edge] };
    }
    case "disconnect": {
      if (!document.edges.some((e) => e.id === operation.edgeId)) fail("That connection does not exist.");
      return { ...document, edges: document.edges.filter((e) => e.id !== operation.edgeId) };
    }
    case "replace_trigger": {
      // References read `trigger.*`, not the trigger's id, so they keep working.
      const { node } = operation;
      const old = requireNode(document, operation.nodeId);
      if (!isTriggerType(old.type)) fail(`"${old.name}" is not the trigger.`);
      if (!isNodeType(node.type) || !isTriggerType(node.type)) fail(`"${node.type}" is not a trigger type.`);
      if (node.id !== old.id && document.nodes.some((n) => n.id === node.id)) fail(`A step with the id "${node.id}" already exists.`);
      const repoint = (id: string) => (id === old.id ? node.id : id);
      return {
        ...document,
        nodes: document.nodes.map((n) => (n.id === old.id ? node : n)),
        edges: document.edges.map((e) => (e.source === old.id || e.target === old.id ? { ...e, source: repoint(e.source), target: repoint(e.target) } : e)),
      };
    }
    case "update_config":
    case "move":
    case "rename": {
      requireNode(document, operation.nodeId);
      return {
        ...document,
        nodes: document.nodes.map((n) => {
          if (n.id !== operation.nodeId) return n;
          if (operation.op === "update_config") return { ...n, config: operation.config };
          if (operation.op === "move") return { ...n, ui: operation.ui };
          return { ...n, name: operation.name };
        }),
      };
    }
  }
}

/** Applies a batch in order; if any operation is refused, none applies. */
export function applyOperations(document: TFlowDocument, operations: readonly TFlowOperation[]): TFlowDocument {
  return operations.reduce(applyOperation, document);
}
