// Where loops' bodies are: a loop's body is every step reachable from its "each" paths.
// A body is closed: nothing in it leads out of it, and nothing outside leads into it
// except the loop's own "each" paths (the runnable check says so, validate.ts), so bodies
// are either nested or apart, and each step has one innermost loop around it. The
// interpreter runs a body's steps once per item; the validator and the editor read the
// same structure. Linear in nodes + edges per loop.
import type { TFlowDocument, TFlowEdge } from "./document";

/** How deep loops may nest: a loop inside a loop, not a third level. */
export const MAX_LOOP_DEPTH = 2;

export type TLoopStructure = {
  /** Each loop's body (every node reachable from its "each" paths), by loop id. */
  bodyOf: Map<string, Set<string>>;
  /** The innermost loop whose body holds a node; absent for nodes outside every loop. */
  loopOf: Map<string, string>;
  /** How many loops' bodies hold a node (0 outside every loop). */
  depthOf: (nodeId: string) => number;
};

const NO_LOOPS: TLoopStructure = { bodyOf: new Map(), loopOf: new Map(), depthOf: () => 0 };

export function loopStructureOf(document: TFlowDocument): TLoopStructure {
  // Most flows have no loop: checked on every edit, that case costs one scan.
  if (!document.nodes.some((node) => node.type === "step.loop")) return NO_LOOPS;
  const ids = new Set(document.nodes.map((node) => node.id));
  const outgoing = new Map<string, TFlowEdge[]>();
  for (const edge of document.edges) {
    if (!ids.has(edge.source) || !ids.has(edge.target)) continue;
    const list = outgoing.get(edge.source);
    if (list) list.push(edge);
    else outgoing.set(edge.source, [edge]);
  }
  const bodyOf = new Map<string, Set<string>>();
  const seenLoops = new Set<string>();
  for (const node of document.nodes) {
    if (node.type !== "step.loop" || seenLoops.has(node.id)) continue;
    seenLoops.add(node.id);
    const body = new Set<string>();
    const stack = (outgoing.get(node.id) ?? []).filter((edge) => edge.label === "each").map((edge) => edge.target);
    while (stack.length > 0) {
      const id = stack.pop()!;
      // The loop itself is never its own body (a path back to it is a cycle, refused elsewhere).
      if (id === node.id || body.has(id)) continue;
      body.add(id);
      for (const edge of outgoing.get(id) ?? []) stack.push(edge.target);
    }
    bodyOf.set(node.id, body);
  }
  // The innermost loop around a node is the one with the smallest body holding it.
  const loopOf = new Map<string, string>();
  const depth = new Map<string, number>();
  for (const [loopId, body] of bodyOf) {
    for (const id of body) {
      depth.set(id, (depth.get(id) ?? 0) + 1);
      const current = loopOf.get(id);
      if (current === undefined || bodyOf.get(current)!.size > body.size) loopOf.set(id, loopId);
    }
  }
  return { bodyOf, loopOf, depthOf: (nodeId) => depth.get(nodeId) ?? 0 };
}
