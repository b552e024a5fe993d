import { describe, expect, it } from "vitest";
import { autoLayoutOperations, hasUsablePositions, layoutFlow, LONG_EDGE_BUDGET, withAutoLayout, type TPoint } from "@/lib/editor/auto-layout";
import { CANVAS_GRID, CANVAS_NODE_SIZE } from "@/lib/editor/canvas-node-size";
import { countSkippedRanks, rankSteps } from "@/lib/editor/layout-ranks";
import type { TFlowDocument, TFlowEdge, TFlowNode } from "@/lib/flows/document";
import { applyOperations } from "@/lib/flows/operations";

const node = (id: string, type = "step.transform", ui: TPoint = { x: 0, y: 0 }): TFlowNode => ({ id, type, name: id, config: {}, ui });
const edge = (source: string, target: string, label?: "true" | "false"): TFlowEdge => ({
  id: `${source}__${target}${label ? `__${label}` : ""}`,
  source,
  target,
  ...(label ? { label } : {}),
});
const doc = (nodes: TFlowNode[], edges: TFlowEdge[]): TFlowDocument => ({ schemaVersion: 1, nodes, edges });

/**
 * A seeded random DAG: each step hangs from one to three of the `reach` steps before it
 * (flows are mostly local); some are conditions with a true and a false path.
 */
function randomFlow(seed: number, size: number, reach = size): TFlowDocument {
  let a = seed;
  const next = () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
  const nodes = Array.from({ length: size }, (_, i) => node(`n${i}`, i === 0 ? "trigger.manual" : next() < 0.2 ? "step.condition" : "step.transform"));
  const edges: TFlowEdge[] = [];
  const used = new Set<string>();
  for (let i = 1; i < size; i++) {
    const parents = 1 + Math.floor(next() * Math.min(3, i));
    for (let p = 0; p < parents; p++) {
      const from = Math.max(0, i - reach);
      const source = nodes[from + Math.floor(next() * (i - from))]!;
      const isCondition = source.type === "step.condition";
      const taken = edges.filter((e) => e.source === source.id).map((e) => e.label);
      const label = isCondition ? (taken.includes("true") ? "false" : "true") : undefined;
      const e = edge(source.id, nodes[i]!.id, label);
      if (used.has(`${e.source}>${e.target}`)) continue;
      used.add(`${e.source}>${e.target}`);
      edges.push(e);
    }
  }
  return doc(nodes, edges);
}

/** A chain of `size` steps and `skips` seeded connections that each jump two or more steps ahead. */
function chainWithSkips(seed: number, size: number, skips: number): TFlowDocument {
  let a = seed;
  const next = () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
  const nodes = Array.from({ length: size }, (_, i) => node(`n${i}`, i === 0 ? "trigger.manual" : "step.transform"));
  const edges = nodes.slice(1).map((n, i) => edge(nodes[i]!.id, n.id));
  for (let k = 0; k < skips; k++) {
    const from = Math.floor(next() * (size - 2));
    const to = from + 2 + Math.floor(next() * (size - from - 2));
    edges.push({ ...edge(`n${from}`, `n${to}`), id: `skip${k}` });
  }
  return doc(nodes, edges);
}

const skippedRanksOf = (flow: TFlowDocument) =>
  countSkippedRanks(
    rankSteps(
      flow.nodes.map((n) => n.id),
      flow.edges,
    ),
    flow.edges,
  );

function overlaps(positions: Map<string, TPoint>): [string, string][] {
  const list = [...positions];
  const found: [string, string][] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const [a, p] = list[i]!;
      const [b, q] = list[j]!;
      if (Math.abs(p.x - q.x) < CANVAS_NODE_SIZE.width && Math.abs(p.y - q.y) < CANVAS_NODE_SIZE.height) found.push([a, b]);
    }
  }
  return found;
}

describe("layoutFlow", () => {
  it("places no step on another and sends every connection forward (down), on 40 random flows", () => {
    for (let seed = 1; seed <= 40; seed++) {
      const flow = randomFlow(seed, 5 + (seed % 35));
      const positions = layoutFlow(flow);
      expect(positions.size).toBe(flow.nodes.length);
      expect(overlaps(positions), `seed ${seed}`).toEqual([]);
      for (const e of flow.edges) expect(positions.get(e.target)!.y, `seed ${seed} ${e.id}`).toBeGreaterThan(positions.get(e.source)!.y);
      for (const p of positions.values()) expect([p.x % CANVAS_GRID, p.y % CANVAS_GRID]).toEqual([0, 0]);
    }
  });

  it("goes right instead when asked, with no overlaps", () => {
    const flow = randomFlow(7, 30);
    const positions = layoutFlow(flow, { direction: "LR" });
    expect(overlaps(positions)).toEqual([]);
    for (const e of flow.edges) expect(positions.get(e.target)!.x).toBeGreaterThan(positions.get(e.source)!.x);
  });

  it("puts a condition's true path left of its false path (above, left to right), whatever the edge order", () => {
    const nodes = [
      node("trigger", "trigger.manual"),
      node("check", "step.condition"),
      node("yes"),
      node("no"),
      node("after"),
      node("inner", "step.condition"),
      node("a"),
      node("b"),
    ];
    // The false edges come first in the document, and the inner condition hangs off the false side.
    const edges = [
      edge("trigger", "check"),
      edge("check", "no", "false"),
      edge("check", "yes", "true"),
      edge("no", "inner"),
      edge("inner", "b", "false"),
      edge("inner", "a", "true"),
      edge("yes", "after"),
      edge("b", "after"),
    ];
    const tb = layoutFlow(doc(nodes, edges));
    expect(tb.get("yes")!.x).toBeLessThan(tb.get("no")!.x);
    expect(tb.get("a")!.x).toBeLessThan(tb.get("b")!.x);
    const lr = layoutFlow(doc(nodes, edges), { direction: "LR" });
    expect(lr.get("yes")!.y).toBeLessThan(lr.get("no")!.y);
    expect(lr.get("a")!.y).toBeLessThan(lr.get("b")!.y);
  });

  it("is stable: the same flow gives the same positions, wherever its steps were", () => {
    const flow = randomFlow(3, 60);
    const first = layoutFlow(flow, { origin: { x: 0, y: 0 } });
    const scattered = { ...flow, nodes: flow.nodes.map((n, i) => ({ ...n, ui: { x: (i * 7919) % 3000, y: (i * 104729) % 2000 } })) };
    expect(layoutFlow(scattered, { origin: { x: 0, y: 0 } })).toEqual(first);
    expect(layoutFlow(flow, { origin: { x: 0, y: 0 } })).toEqual(first);
  });

  it("keeps the flow where it was: the layout starts at the old top-left corner", () => {
    const flow = doc([node("t", "trigger.manual", { x: 400, y: 300 }), node("s", "step.transform", { x: 900, y: 310 })], [edge("t", "s")]);
    const positions = layoutFlow(flow);
    expect(Math.min(...[...positions.values()].map((p) => p.x))).toBe(400);
    expect(Math.min(...[...positions.values()].map((p) => p.y))).toBe(300);
  });

  it("lays out 1,000 steps without overlaps", () => {
    const flow = randomFlow(11, 1000, 12);
    const started = performance.now();
    const positions = layoutFlow(flow);
    const ms = performance.now() - started;
    expect(overlaps(positions)).toEqual([]);
    // Generous: this runs on a click and at import; dagre takes well under this on one core.
    expect(ms).toBeLessThan(10_000);
  });

  it("lays out a 1,000-step chain with 3,000 long connections in under 2 s, forward and without overlaps", () => {
    const flow = chainWithSkips(21, 1000, 3000);
    expect(skippedRanksOf(flow)).toBeGreaterThan(LONG_EDGE_BUDGET);
    const started = performance.now();
    const positions = layoutFlow(flow);
    const ms = performance.now() - started;
    // Dagre took minutes and gigabytes here: every long connection skips hundreds of ranks.
    expect(ms).toBeLessThan(2_000);
    expect(positions.size).toBe(1000);
    expect(overlaps(positions)).toEqual([]);
    for (const e of flow.edges) expect(positions.get(e.target)!.y, e.id).toBeGreaterThan(positions.get(e.source)!.y);
    for (const p of positions.values()) expect([p.x % CANVAS_GRID, p.y % CANVAS_GRID]).toEqual([0, 0]);
  });

  it("lays out the review's 200-step chain with 600 skips (12 to 34 s with dagre alone) in under 2 s", () => {
    const flow = chainWithSkips(5, 200, 600);
    const started = performance.now();
    const laid = withAutoLayout(flow);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(hasUsablePositions(laid)).toBe(true);
    const positions = new Map(laid.nodes.map((n) => [n.id, n.ui]));
    expect(overlaps(positions)).toEqual([]);
    for (const e of flow.edges) expect(positions.get(e.target)!.y, e.id).toBeGreaterThan(positions.get(e.source)!.y);
  });

  it("keeps its promises on flows with too many long connections for dagre: forward, no overlaps, true before false, stable, LR", () => {
    for (let seed = 1; seed <= 10; seed++) {
      // A random flow threaded on one path through all its steps: every other connection becomes long.
      const random = randomFlow(seed, 100 + seed * 10);
      const linked = new Set(random.edges.map((e) => `${e.source}>${e.target}`));
      const spine = random.nodes
        .slice(1)
        .map((n, i) => edge(random.nodes[i]!.id, n.id))
        .filter((e) => !linked.has(`${e.source}>${e.target}`));
      const flow = { ...random, edges: [...random.edges, ...spine] };
      expect(skippedRanksOf(flow), `seed ${seed}`).toBeGreaterThan(LONG_EDGE_BUDGET);
      const positions = layoutFlow(flow, { origin: { x: 0, y: 0 } });
      expect(positions.size).toBe(flow.nodes.length);
      expect(overlaps(positions), `seed ${seed}`).toEqual([]);
      for (const e of flow.edges) expect(positions.get(e.target)!.y, `seed ${seed} ${e.id}`).toBeGreaterThan(positions.get(e.source)!.y);
      for (const p of positions.values()) expect([p.x % CANVAS_GRID, p.y % CANVAS_GRID]).toEqual([0, 0]);
      const scattered = { ...flow, nodes: flow.nodes.map((n, i) => ({ ...n, ui: { x: (i * 7919) % 3000, y: (i * 104729) % 2000 } })) };
      expect(layoutFlow(scattered, { origin: { x: 0, y: 0 } })).toEqual(positions);
      const lr = layoutFlow(flow, { direction: "LR" });
      expect(overlaps(lr), `seed ${seed} LR`).toEqual([]);
      for (const e of flow.edges) expect(lr.get(e.target)!.x, `seed ${seed} ${e.id}`).toBeGreaterThan(lr.get(e.source)!.x);
    }
    // A condition whose branches have no other parent: true left of (above) false, whatever the edge order.
    const base = chainWithSkips(3, 300, 200);
    const branched = doc(
      [...base.nodes, node("check", "step.condition"), node("yes"), node("no")],
      [...base.edges, edge("n0", "check"), edge("check", "no", "false"), edge("check", "yes", "true")],
    );
    expect(skippedRanksOf(branched)).toBeGreaterThan(LONG_EDGE_BUDGET);
    const tb = layoutFlow(branched);
    expect(tb.get("yes")!.x).toBeLessThan(tb.get("no")!.x);
    expect(tb.get("yes")!.y).toBe(tb.get("no")!.y);
    const lr = layoutFlow(branched, { direction: "LR" });
    expect(lr.get("yes")!.y).toBeLessThan(lr.get("no")!.y);
  });

  it("tolerates what a draft may hold: a loop, a self-loop, a connection to a missing step", () => {
    const flow = doc([node("a", "trigger.manual"), node("b"), node("c")], [edge("a", "b"), edge("b", "c"), edge("c", "b"), edge("c", "c"), edge("c", "ghost")]);
    const positions = layoutFlow(flow);
    expect([...positions.keys()].sort()).toEqual(["a", "b", "c"]);
    expect(overlaps(positions)).toEqual([]);
  });
});

describe("rankSteps / countSkippedRanks", () => {
  it("ranks each step one below its lowest parent, and counts the ranks connections skip", () => {
    const flow = doc(
      [node("a", "trigger.manual"), node("b"), node("c"), node("d")],
      [edge("a", "b"), edge("b", "c"), edge("a", "c"), edge("a", "d"), edge("c", "d")],
    );
    const rank = rankSteps(["a", "b", "c", "d"], flow.edges);
    expect(Object.fromEntries(rank)).toEqual({ a: 0, b: 1, c: 2, d: 3 });
    // a→c skips one rank, a→d two.
    expect(countSkippedRanks(rank, flow.edges)).toBe(3);
  });

  it("gives every step a rank on a loop, a self-loop and a connection to a missing step, in linear time", () => {
    const edges = [edge("a", "b"), edge("b", "c"), edge("c", "b"), edge("c", "c"), edge("c", "ghost"), edge("x", "y"), edge("y", "x")];
    const rank = rankSteps(["a", "b", "c", "x", "y"], edges);
    expect(Object.fromEntries(rank)).toEqual({ a: 0, b: 1, c: 2, x: 0, y: 1 });
    // Measured: about 80 ms for a ring of 50,000, where scanning every edge per step takes about 9 s.
    const ids = Array.from({ length: 50_000 }, (_, i) => `s${i}`);
    const ring = ids.map((id, i) => edge(id, ids[(i + 1) % ids.length]!));
    const started = performance.now();
    const ringRank = rankSteps(ids, ring);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(ringRank.get("s0")).toBe(0);
    expect(ringRank.get("s49999")).toBe(49_999);
  });
});

describe("autoLayoutOperations", () => {
  it("moves only the steps that change place, and nothing the second time", () => {
    const flow = randomFlow(5, 25);
    const operations = autoLayoutOperations(flow);
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.every((op) => op.op === "move")).toBe(true);
    const tidied = applyOperations(flow, operations);
    expect(autoLayoutOperations(tidied)).toEqual([]);
  });
});

describe("hasUsablePositions / withAutoLayout", () => {
  it("refuses steps piled on one point and keeps a real drawing", () => {
    const piled = randomFlow(9, 12);
    expect(hasUsablePositions(piled)).toBe(false);
    const laid = withAutoLayout(piled);
    expect(hasUsablePositions(laid)).toBe(true);
    expect(laid.nodes.map((n) => n.id)).toEqual(piled.nodes.map((n) => n.id));
    expect(Math.min(...laid.nodes.map((n) => n.ui.x))).toBe(0);
    // One step, or a few overlapping in a large drawing, is still a drawing.
    expect(hasUsablePositions(doc([node("a")], []))).toBe(true);
    const mostlyApart = doc(
      Array.from({ length: 10 }, (_, i) => node(`n${i}`, "step.transform", { x: i < 2 ? 0 : i * 300, y: 0 })),
      [],
    );
    expect(hasUsablePositions(mostlyApart)).toBe(true);
  });
});
