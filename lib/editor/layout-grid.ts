// The layout "Tidy up" falls back to when a flow's long connections would make dagre
// too slow (auto-layout.ts): rank along the flow, order across it, linear apart from
// one sort per rank. Connections are not routed around steps.
import type { TLayoutEdge } from "./layout-ranks";

export type TGridSpacing = {
  /** From one rank's centre line to the next. */
  along: number;
  /** From one step's centre to the next in a rank. */
  across: number;
};

/** Where true paths go before others, and false paths last (a condition's handles). */
const branchOrder = (label: string | undefined) => (label === "true" ? 0 : label === "false" ? 2 : 1);

/** The edges with true paths first and false paths last, otherwise in their order. */
export function inBranchOrder<T extends { label?: string }>(edges: readonly T[]): T[] {
  return edges
    .map((edge, index) => ({ edge, index }))
    .sort((a, b) => branchOrder(a.edge.label) - branchOrder(b.edge.label) || a.index - b.index)
    .map(({ edge }) => edge);
}

/**
 * Each step's centre: `along` is its rank, `across` its place in the rank, each rank
 * centred on the same line. The order in a rank starts from a depth-first walk that
 * takes true paths before the others and false paths last, so a branch's steps stay
 * together with the true branch first; one pass then sorts each rank by where the
 * steps' parents sit in the rank before, which undoes most crossings (ties keep the
 * walk's order). The same ids, connections and ranks always give the same result.
 */
export function placeOnGrid(
  ids: readonly string[],
  edges: readonly TLayoutEdge[],
  rank: ReadonlyMap<string, number>,
  spacing: TGridSpacing,
): Map<string, { along: number; across: number }> {
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  const parents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const edge of inBranchOrder(edges)) {
    if (edge.source === edge.target || !next.has(edge.source) || !next.has(edge.target)) continue;
    next.get(edge.source)!.push(edge.target);
    if (rank.get(edge.target)! - rank.get(edge.source)! === 1) parents.get(edge.target)!.push(edge.source);
  }

  const visited = new Map<string, number>();
  const roots = [...ids.filter((id) => rank.get(id) === 0), ...ids.filter((id) => rank.get(id) !== 0)];
  for (const root of roots) {
    const stack = [root];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (visited.has(id)) continue;
      visited.set(id, visited.size);
      const children = next.get(id)!;
      for (let i = children.length - 1; i >= 0; i -= 1) if (!visited.has(children[i]!)) stack.push(children[i]!);
    }
  }

  const ranks: string[][] = [];
  for (const id of [...ids].sort((a, b) => visited.get(a)! - visited.get(b)!)) (ranks[rank.get(id)!] ??= []).push(id);
  const place = new Map<string, number>();
  const centres = new Map<string, { along: number; across: number }>();
  ranks.forEach((steps, r) => {
    if (r > 0) {
      const key = new Map(steps.map((id) => [id, averagePlace(parents.get(id)!, place)]));
      steps.sort((a, b) => key.get(a)! - key.get(b)! || visited.get(a)! - visited.get(b)!);
    }
    steps.forEach((id, i) => {
      place.set(id, i);
      centres.set(id, { along: r * spacing.along, across: (i - (steps.length - 1) / 2) * spacing.across });
    });
  });
  return centres;
}

/** Where a step's parents sit in the rank before, on average (-1 without one there). */
function averagePlace(parents: readonly string[], place: ReadonlyMap<string, number>): number {
  if (parents.length === 0) return -1;
  let sum = 0;
  for (const id of parents) sum += place.get(id)!;
  return sum / parents.length;
}
