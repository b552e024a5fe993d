import { describe, expect, it } from "vitest";
import { planDraftImport, replaceDocumentOperations } from "@/lib/editor/draft-import";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { applyOperations } from "@/lib/flows/operations";

const node = (id: string, type: string, config: Record<string, unknown> = {}, ui = { x: 0, y: 0 }): TFlowNode => ({ id, type, name: `Step ${id}`, config, ui });
const sorted = (document: TFlowDocument) => ({
  nodes: [...document.nodes].sort((a, b) => a.id.localeCompare(b.id)),
  edges: [...document.edges].sort((a, b) => a.id.localeCompare(b.id)),
});

const current: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    node("trigger", "trigger.manual", {}, { x: 0, y: 0 }),
    node("shape", "step.transform", { expression: "$" }, { x: 0, y: 140 }),
    node("check", "step.condition", { mode: "compare", left: "1", operator: "equals", right: "1" }, { x: 0, y: 280 }),
    node("old", "step.delay", {}, { x: 0, y: 420 }),
  ],
  edges: [
    { id: "e1", source: "trigger", target: "shape" },
    { id: "e2", source: "shape", target: "check" },
    { id: "e3", source: "check", target: "old", label: "true" },
  ],
};

describe("replaceDocumentOperations", () => {
  it("changes nothing for the same document", () => {
    expect(replaceDocumentOperations(current, current)).toEqual([]);
  });

  it("turns one draft into another through operations the document accepts: a new trigger type, a moved edge, a renamed step", () => {
    const next: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        node("trigger", "trigger.webhook", { respondMode: "immediately" }, { x: 0, y: 0 }),
        { ...node("shape", "step.transform", { expression: "$.a" }, { x: 40, y: 140 }), name: "Shape it" },
        node("check", "step.condition", { mode: "compare", left: "1", operator: "equals", right: "1" }, { x: 0, y: 280 }),
        node("fresh", "step.http", { method: "GET" }, { x: 0, y: 420 }),
      ],
      edges: [
        { id: "e1", source: "trigger", target: "shape" },
        { id: "e2", source: "shape", target: "check" },
        { id: "e3", source: "check", target: "fresh", label: "false" },
      ],
    };
    const operations = replaceDocumentOperations(current, next);
    expect(sorted(applyOperations(current, operations))).toEqual(sorted(next));
    // The untouched condition and its incoming edge are not re-created.
    expect(operations.some((op) => ("nodeId" in op && op.nodeId === "check") || (op.op === "add_node" && op.node.id === "check"))).toBe(false);
    expect(operations.filter((op) => op.op === "connect").map((op) => op.op === "connect" && op.edge.id)).toEqual(["e1", "e3"]);
  });

  it("replaces a draft with an unrelated flow (every step new)", () => {
    const next: TFlowDocument = {
      schemaVersion: 1,
      nodes: [node("start", "trigger.schedule", { cron: "0 9 * * *", timezone: "UTC" }), node("wait", "step.delay")],
      edges: [{ id: "x", source: "start", target: "wait" }],
    };
    expect(sorted(applyOperations(current, replaceDocumentOperations(current, next)))).toEqual(sorted(next));
  });
});

describe("planDraftImport", () => {
  const connectionId = "7d9b4a7e-3f4c-4a8a-9a55-1a2b3c4d5e6f";
  const otherId = "0f0e0d0c-0b0a-4909-8807-060504030201";

  it("re-maps connections by name and type, lists the ones missing, and lays out piled-up steps", () => {
    const file: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        node("trigger", "trigger.manual"),
        node("call", "step.http", { method: "GET", connectionId }),
        node("post", "step.http", { method: "POST", connectionId: otherId }),
      ],
      edges: [
        { id: "a", source: "trigger", target: "call" },
        { id: "b", source: "call", target: "post" },
      ],
    };
    const plan = planDraftImport(
      current,
      file,
      [
        { id: connectionId, name: "GitHub", type: "BEARER" },
        { id: otherId, name: "Stripe", type: "API_KEY" },
      ],
      [{ id: "11111111-2222-4333-8444-555555555555", name: "GitHub", type: "BEARER" }],
    );
    expect(plan.remapped).toEqual([{ nodeId: "call", connectionName: "GitHub" }]);
    expect(plan.unresolved).toEqual([{ nodeId: "post", connectionName: "Stripe", type: "API_KEY" }]);
    expect(plan.isLaidOut).toBe(true);
    const result = applyOperations(current, plan.operations);
    const byId = new Map(result.nodes.map((n) => [n.id, n]));
    expect(byId.get("call")!.config.connectionId).toBe("11111111-2222-4333-8444-555555555555");
    expect(byId.get("post")!.config.connectionId).toBeNull();
    expect(byId.get("post")!.ui.y).toBeGreaterThan(byId.get("call")!.ui.y);
    expect(byId.get("call")!.ui.y).toBeGreaterThan(byId.get("trigger")!.ui.y);
  });

  it("keeps the file's positions when they are a drawing", () => {
    const plan = planDraftImport({ schemaVersion: 1, nodes: [], edges: [] }, current, [], []);
    expect(plan.isLaidOut).toBe(false);
    expect(plan.document.nodes.map((n) => n.ui)).toEqual(current.nodes.map((n) => n.ui));
  });
});
