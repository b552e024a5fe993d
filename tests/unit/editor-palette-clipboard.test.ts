import { describe, expect, it } from "vitest";
import { copySelection, deleteOperations, pasteOperations } from "@/lib/editor/clipboard";
import { addNodeOperations, defaultConfigOf, PALETTE, searchPalette } from "@/lib/editor/palette";
import type { TFlowDocument } from "@/lib/flows/document";
import { NODE_TYPES } from "@/lib/flows/node-types";
import { applyOperations } from "@/lib/flows/operations";

const document: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
    { id: "condition", type: "step.condition", name: "Check", config: { mode: "expression", expression: "true" }, ui: { x: 0, y: 140 } },
    { id: "transform", type: "step.transform", name: "Shape", config: { expression: "1" }, ui: { x: 0, y: 280 } },
    { id: "http", type: "step.http", name: "Call", config: { url: "https://example.com/{{steps.transform.output.id}}" }, ui: { x: 0, y: 420 } },
  ],
  edges: [
    { id: "e1", source: "trigger", target: "condition" },
    { id: "e2", source: "condition", target: "transform", label: "true" },
    { id: "e3", source: "transform", target: "http" },
  ],
};

describe("palette", () => {
  it("offers every node type and searches by words", () => {
    expect(PALETTE.map((p) => p.type).sort()).toEqual([...NODE_TYPES].sort());
    expect(searchPalette("http").map((p) => p.type)).toEqual(["step.http"]);
    // The core triggers first, then any app's ("Start when a GitHub repository sends ...").
    const starts = searchPalette("start").map((p) => p.type);
    expect(starts.slice(0, 3)).toEqual(["trigger.manual", "trigger.webhook", "trigger.schedule"]);
    expect(starts.every((type) => type.startsWith("trigger."))).toBe(true);
    expect(searchPalette("START url").map((p) => p.type)).toEqual(["trigger.webhook"]);
    expect(searchPalette("nothing-like-this")).toEqual([]);
  });

  it("appends after the selected step, connected, and a condition's next path takes the free outcome", () => {
    const { operations, nodeId } = addNodeOperations(document, "step.http", { afterNodeId: "condition" });
    expect(nodeId).toBe("http_2");
    const next = applyOperations(document, operations);
    expect(next.edges.at(-1)).toMatchObject({ source: "condition", target: "http_2", label: "false" });
    expect(next.nodes.at(-1)!.config).toEqual(defaultConfigOf("step.http"));
    const plain = applyOperations(document, addNodeOperations(document, "step.delay", { afterNodeId: "transform" }).operations);
    expect(plain.edges.at(-1)).toEqual({ id: "transform__delay", source: "transform", target: "delay" });
  });

  it("a trigger is never connected into, and a drop position is used as given", () => {
    const without = applyOperations(document, [{ op: "remove_node", nodeId: "trigger" }]);
    const { operations } = addNodeOperations(without, "trigger.webhook", { afterNodeId: "condition", position: { x: 33.4, y: 44.6 } });
    expect(operations).toHaveLength(1);
    expect(operations[0]).toMatchObject({ op: "add_node", node: { id: "webhook", ui: { x: 33, y: 45 } } });
  });
});

describe("clipboard", () => {
  it("copies selected steps with the connections between them, pasted under fresh ids with references following", () => {
    const clipboard = copySelection(document, new Set(["transform", "http"]));
    expect(clipboard.edges.map((e) => e.id)).toEqual(["e3"]);
    const { operations, nodeIds } = pasteOperations(document, clipboard);
    expect(nodeIds).toEqual(["transform_2", "http_2"]);
    const next = applyOperations(document, operations);
    expect(next.nodes).toHaveLength(6);
    expect(next.edges.at(-1)).toMatchObject({ source: "transform_2", target: "http_2" });
    expect(next.nodes.at(-1)!.config.url).toBe("https://example.com/{{steps.transform_2.output.id}}");
    expect(next.nodes.at(-1)!.ui).toEqual({ x: 40, y: 460 });
  });

  it("leaves out a copied trigger when the flow has one, and deletes selections with their edges", () => {
    const { nodeIds } = pasteOperations(document, copySelection(document, new Set(["trigger", "condition"])));
    expect(nodeIds).toEqual(["condition_2"]);
    const next = applyOperations(document, deleteOperations(document, new Set(["condition"]), new Set(["e3"])));
    expect(next.nodes.map((n) => n.id)).toEqual(["trigger", "transform", "http"]);
    expect(next.edges).toEqual([]);
  });
});
