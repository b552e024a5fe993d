import { describe, expect, it } from "vitest";
import { autoLayoutOperations, hasUsablePositions, layoutFlow, withAutoLayout, type TPoint } from "@/lib/editor/auto-layout";
import { CANVAS_GRID, CANVAS_NODE_SIZE } from "@/lib/editor/canvas-node-size";
import type { TFlowDocument, TFlowEdge, TFlowNode } from "@/lib/flows/document";
import { applyOperations } from "@/lib/flows/operations";

const node = (id: string, type = "step.transform", ui: TPoint = { x: 0, y: 0 }): TFlowNode => ({ id, type, name: id, config: {}, ui });
const edge = (source: string, target: string, label?: "true" | "false"): TFlowEdge => ({ id: `${source}__${target}${label ? `__${label}` : ""}`, source, target, ...(label ? { label } : {}) });
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
    const nodes = [node("trigger", "trigger.manual"), node("check", "step.condition"), node("yes"), node("no"), node("after"), node("inner", "step.condition"), node("a"), node("b")];
    // The false edges come first in the document, and the inner condition hangs off the false side.
    const edges = [edge("trigger", "check"), edge("check", "no", "false"), edge("check", "yes", "true"), edge("no", "inner"), edge("inner", "b", "false"), edge("inner", "a", "true"), edge("yes", "after"), edge("b", "after")];
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

  it("tolerates what a draft may hold: a loop, a self-loop, a connection to a missing step", () => {
    const flow = doc([node("a", "trigger.manual"), node("b"), node("c")], [edge("a", "b"), edge("b", "c"), edge("c", "b"), edge("c", "c"), edge("c", "ghost")]);
    const positions = layoutFlow(flow);
    expect([...positions.keys()].sort()).toEqual(["a", "b", "c"]);
    expect(overlaps(positions)).toEqual([]);
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
