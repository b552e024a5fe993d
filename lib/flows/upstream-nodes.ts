// Which steps run before a node: its ancestors through the edges, the same rule as the
// runnable check's "runs before" (lib/flows/validate.ts), which accepts a reference to
// a step that always or sometimes runs first (either side of a condition included).
// Only edges between nodes that exist count, and the first node with an id wins, as
// there. Linear in nodes + edges; a loop (which the runnable check refuses) ends the
// walk instead of hanging it, and a node on one is not its own ancestor.
import type { TFlowDocument } from "./document";

type TLinks = { next: Map<string, string[]>; previous: Map<string, string[]> };

function linksOf(document: TFlowDocument): TLinks {
  const next = new Map<string, string[]>();
  const previous = new Map<string, string[]>();
  for (const node of document.nodes) {
    if (next.has(node.id)) continue;
    next.set(node.id, []);
    previous.set(node.id, []);
  }
  for (const edge of document.edges) {
    if (!next.has(edge.source) || !next.has(edge.target)) continue;
    next.get(edge.source)!.push(edge.target);
    previous.get(edge.target)!.push(edge.source);
  }
  return { next, previous };
}

/** Every node reachable from `nodeId` along `links` (not counting itself). */
function reachableFrom(nodeId: string, links: Map<string, string[]>): Set<string> {
  const found = new Set<string>();
  const stack = [nodeId];
  while (stack.length > 0) {
    for (const id of links.get(stack.pop()!) ?? []) {
      if (id === nodeId || found.has(id)) continue;
      found.add(id);
      stack.push(id);
    }
  }
  return found;
}

/** Kahn's order; nodes on or after a loop come last, in document order. */
function runOrder({ next, previous }: TLinks): string[] {
  const waiting = new Map([...previous].map(([id, sources]) => [id, sources.length]));
  const order = [...waiting].filter(([, count]) => count === 0).map(([id]) => id);
  for (let at = 0; at < order.length; at += 1) {
    for (const target of next.get(order[at]!)!) {
      const left = waiting.get(target)! - 1;
      waiting.set(target, left);
      if (left === 0) order.push(target);
    }
  }
  const placed = new Set(order);
  return [...order, ...[...next.keys()].filter((id) => !placed.has(id))];
}

/** The nodes that run before `nodeId` (trigger included), in run order; empty for an unknown node. */
export function upstreamNodeIds(document: TFlowDocument, nodeId: string): string[] {
  const links = linksOf(document);
  if (!links.previous.has(nodeId)) return [];
  const ancestors = reachableFrom(nodeId, links.previous);
  return runOrder(links).filter((id) => ancestors.has(id));
}

/** The nodes that run after `nodeId` on some path (its descendants); empty for an unknown node. */
export function downstreamNodeIds(document: TFlowDocument, nodeId: string): Set<string> {
  const { next } = linksOf(document);
  return reachableFrom(nodeId, next);
}
