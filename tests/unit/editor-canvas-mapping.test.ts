import { describe, expect, it } from "vitest";
import { mergeEdgeSelection, mergeViewState, problemCountsByNode, toCanvasEdges, toCanvasNodes } from "@/lib/editor/canvas-mapping";
import type { TFlowDocument } from "@/lib/flows/document";
import { validateRunnable } from "@/lib/flows/validate";

const document: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "hook", type: "trigger.webhook", name: "Incoming", config: { respondMode: "immediately", responseTimeoutMs: 10_000 }, ui: { x: 10, y: 20 } },
    {
      id: "check",
      type: "step.condition",
      name: "Is big",
      config: { mode: "compare", left: "{{trigger.body.n}}", operator: "greater_than", right: "10" },
      ui: { x: 10, y: 160 },
    },
    { id: "yes", type: "step.http", name: "Notify", config: { method: "POST" }, ui: { x: -150, y: 300 } },
    { id: "no", type: "step.transform", name: "Ignore", config: { expression: "" }, ui: { x: 150, y: 300 } },
  ],
  edges: [
    { id: "e1", source: "hook", target: "check" },
    { id: "e2", source: "check", target: "yes", label: "true" },
    { id: "e3", source: "check", target: "no", label: "false" },
  ],
};

describe("document → canvas", () => {
  it("places every node where its ui says, with type label, name, summary and trigger flag", () => {
    const nodes = toCanvasNodes(document, []);
    expect(nodes.map((n) => [n.id, n.position])).toEqual([
      ["hook", { x: 10, y: 20 }],
      ["check", { x: 10, y: 160 }],
      ["yes", { x: -150, y: 300 }],
      ["no", { x: 150, y: 300 }],
    ]);
    expect(nodes[0]!.data).toMatchObject({ typeLabel: "Webhook trigger", name: "Incoming", isTrigger: true, pathLabels: [null], problemCount: 0 });
    expect(nodes[1]!.data).toMatchObject({ typeLabel: "Condition", summary: "If {{trigger.body.n}} > 10", isTrigger: false, pathLabels: ["true", "false"] });
    expect(nodes.every((n) => n.type === "flowStep")).toBe(true);
  });

  it("counts each node's problems from validateRunnable on its badge, and nothing on healthy nodes", () => {
    const problems = validateRunnable(document);
    const nodes = toCanvasNodes(document, problems);
    const byId = Object.fromEntries(nodes.map((n) => [n.id, n.data.problemCount]));
    // The HTTP step lacks a url; the transform has an empty expression.
    expect(byId.yes).toBeGreaterThanOrEqual(1);
    expect(byId.no).toBe(1);
    expect(byId.hook).toBe(0);
    expect(byId.check).toBe(0);
    expect(problemCountsByNode([{ message: "flow-wide" }, { nodeId: "a", message: "x" }, { nodeId: "a", message: "y" }])).toEqual(new Map([["a", 2]]));
  });

  it("maps edges with their true/false labels and condition handles", () => {
    const edges = toCanvasEdges(document);
    expect(edges.map((e) => [e.id, e.source, e.target, e.label, e.sourceHandle])).toEqual([
      ["e1", "hook", "check", undefined, null],
      ["e2", "check", "yes", "true", "true"],
      ["e3", "check", "no", "false", "false"],
    ]);
  });

  it("keeps measured sizes and selection across a re-derivation, and a live drag position", () => {
    const before = toCanvasNodes(document, []);
    before[0]!.measured = { width: 200, height: 80 };
    before[1]!.dragging = true;
    before[1]!.position = { x: 99, y: 99 };
    const after = mergeViewState(toCanvasNodes(document, []), before, new Set(["no"]));
    expect(after[0]!.measured).toEqual({ width: 200, height: 80 });
    expect(after[1]!.position).toEqual({ x: 99, y: 99 });
    expect(after.filter((n) => n.selected).map((n) => n.id)).toEqual(["no"]);
    expect(after[2]!.position).toEqual({ x: -150, y: 300 });
  });
});

describe("re-derivation keeps unchanged objects (React Flow re-renders only what changed)", () => {
  it("hands back the previous node object unless its data, position or selection changed", () => {
    const first = mergeViewState(toCanvasNodes(document, []), [], new Set());
    const renamed: TFlowDocument = { ...document, nodes: document.nodes.map((n) => (n.id === "no" ? { ...n, name: "Drop it" } : n)) };
    const second = mergeViewState(toCanvasNodes(renamed, []), first, new Set(["hook"]));
    expect(second.map((n, i) => n === first[i])).toEqual([false, true, true, false]);
    expect(second[0]!.selected).toBe(true);
    expect(second[3]!.data.name).toBe("Drop it");
    const moved: TFlowDocument = { ...renamed, nodes: renamed.nodes.map((n) => (n.id === "yes" ? { ...n, ui: { x: 0, y: 400 } } : n)) };
    const third = mergeViewState(toCanvasNodes(moved, validateRunnable(moved)), second, new Set(["hook"]));
    expect(third[1]).toBe(second[1]);
    expect(third[2]!.position).toEqual({ x: 0, y: 400 });
    // Problems changed the badges of the two unfinished steps.
    expect(third[3]).not.toBe(second[3]);
  });

  it("gives every node the fixed canvas size, so React Flow shows it before measuring", () => {
    expect(toCanvasNodes(document, []).every((n) => n.width === 224 && n.height === 96)).toBe(true);
  });

  it("keeps unchanged edges and marks the selected ones", () => {
    const first = mergeEdgeSelection(toCanvasEdges(document), [], new Set());
    const second = mergeEdgeSelection(toCanvasEdges(document), first, new Set(["e2"]));
    expect(second.map((e, i) => e === first[i])).toEqual([true, false, true]);
    expect(second[1]!.selected).toBe(true);
    const third = mergeEdgeSelection(toCanvasEdges(document), second, new Set(["e2"]));
    expect(third.every((e, i) => e === second[i])).toBe(true);
  });
});
