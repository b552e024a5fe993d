// Ranks for "Tidy up" (auto-layout.ts), computed before any layout so the cost of a
// flow's long connections is known up front. Linear in steps + connections.

export type TLayoutEdge = { source: string; target: string; label?: string };

/**
 * Each step's rank: one below the lowest step that leads to it (the longest path from
 * a start). A draft may hold a loop: when no step is ready, the first waiting step in
 * document order is taken as if it were, so every step gets a rank. On a loop-free
 * flow this is the rank dagre gives with auto-layout's ranker.
 */
export function rankSteps(ids: readonly string[], edges: readonly TLayoutEdge[]): Map<string, number> {
  const rank = new Map<string, number>(ids.map((id) => [id, 0]));
  const waiting = new Map<string, number>(ids.map((id) => [id, 0]));
  const next = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const { source, target } of edges) {
    if (source === target || !next.has(source) || !next.has(target)) continue;
    next.get(source)!.push(target);
    waiting.set(target, waiting.get(target)! + 1);
  }
  const queued = new Set<string>();
  const ready: string[] = [];
  const enqueue = (id: string) => {
    queued.add(id);
    ready.push(id);
  };
  for (const id of ids) if (waiting.get(id) === 0 && !queued.has(id)) enqueue(id);
  let stuckAt = 0;
  for (let at = 0; at < ready.length || queued.size < rank.size; at += 1) {
    if (at === ready.length) {
      while (queued.has(ids[stuckAt]!)) stuckAt += 1;
      enqueue(ids[stuckAt]!);
    }
    const v = ready[at]!;
    for (const w of next.get(v)!) {
      if (queued.has(w)) continue;
      rank.set(w, Math.max(rank.get(w)!, rank.get(v)! + 1));
      const left = waiting.get(w)! - 1;
      waiting.set(w, left);
      if (left === 0) enqueue(w);
    }
  }
  return rank;
}

/**
 * The ranks the connections skip, summed: dagre routes a connection through one
 * placeholder node per rank it skips (two, as it doubles the ranks to make room for
 * labels), and its time grows faster than their number.
 */
export function countSkippedRanks(rank: ReadonlyMap<string, number>, edges: readonly TLayoutEdge[]): number {
  let skipped = 0;
  for (const { source, target } of edges) {
    if (source === target) continue;
    skipped += Math.max(0, Math.abs(rank.get(target)! - rank.get(source)!) - 1);
  }
  return skipped;
}
