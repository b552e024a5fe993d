import { describe, expect, it } from "vitest";
import { applyWithInverse, invertOperation } from "@/lib/editor/inverse-operations";
import type { TFlowDocument } from "@/lib/flows/document";
import { applyOperations, type TFlowOperation } from "@/lib/flows/operations";

const base: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
    { id: "check", type: "step.condition", name: "Check", config: { mode: "expression", expression: "true" }, ui: { x: 0, y: 140 } },
    { id: "a", type: "step.transform", name: "A", config: { expression: "1" }, ui: { x: -100, y: 280 } },
    { id: "b", type: "step.transform", name: "B", config: { expression: "2" }, ui: { x: 100, y: 280 } },
  ],
  edges: [
    { id: "t-c", source: "trigger", target: "check" },
    { id: "c-a", source: "check", target: "a", label: "true" },
    { id: "c-b", source: "check", target: "b", label: "false" },
  ],
};

/** Same nodes and edges regardless of array order (re-added items go last). */
const normalized = (d: TFlowDocument) => ({
  ...d,
  nodes: [...d.nodes].sort((x, y) => x.id.localeCompare(y.id)),
  edges: [...d.edges].sort((x, y) => x.id.localeCompare(y.id)),
});

const EVERY_OPERATION: Record<TFlowOperation["op"], TFlowOperation> = {
  add_node: {
    op: "add_node",
    node: { id: "c", type: "step.delay", name: "Wait", config: { mode: "duration", amount: 1, unit: "minutes" }, ui: { x: 5, y: 5 } },
  },
  remove_node: { op: "remove_node", nodeId: "check" },
  connect: { op: "connect", edge: { id: "a-b", source: "a", target: "b" } },
  disconnect: { op: "disconnect", edgeId: "c-b" },
  update_config: { op: "update_config", nodeId: "a", config: { expression: "$$.x" } },
  move: { op: "move", nodeId: "b", ui: { x: 400, y: 400 } },
  rename: { op: "rename", nodeId: "trigger", name: "Go" },
  replace_trigger: {
    op: "replace_trigger",
    nodeId: "trigger",
    node: { id: "webhook", type: "trigger.webhook", name: "Webhook", config: { method: "POST" }, ui: { x: 0, y: 0 } },
  },
};

describe("inverse operations", () => {
  for (const [name, operation] of Object.entries(EVERY_OPERATION)) {
    it(`${name}: applying it then its inverse gives the original document`, () => {
      const after = applyOperations(base, [operation]);
      expect(normalized(after)).not.toEqual(normalized(base));
      const restored = applyOperations(after, invertOperation(base, operation));
      expect(normalized(restored)).toEqual(normalized(base));
    });
  }

  it("removing a node with three connections restores the node and each connection with its label", () => {
    const inverse = invertOperation(base, { op: "remove_node", nodeId: "check" });
    expect(inverse).toEqual([
      { op: "add_node", node: base.nodes[1] },
      { op: "connect", edge: base.edges[0] },
      { op: "connect", edge: base.edges[1] },
      { op: "connect", edge: base.edges[2] },
    ]);
  });

  it("a batch's inverse undoes the whole batch in reverse order", () => {
    const batch: TFlowOperation[] = [
      EVERY_OPERATION.add_node,
      { op: "connect", edge: { id: "b-c", source: "b", target: "c" } },
      { op: "rename", nodeId: "c", name: "Later" },
      { op: "remove_node", nodeId: "a" },
    ];
    const { document, inverse } = applyWithInverse(base, batch);
    expect(document.nodes.map((n) => n.id)).toEqual(["trigger", "check", "b", "c"]);
    expect(normalized(applyOperations(document, inverse))).toEqual(normalized(base));
  });
});
