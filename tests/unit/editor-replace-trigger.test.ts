// Changing the trigger's type in place: one operation that keeps the position and the
// paths out, undone by one Undo, with `trigger.*` references still valid; and a
// reference picked into a JSON body in the form that gives JSON after mapping.
import { describe, expect, it } from "vitest";
import { editorReducer, startEditorState, type TEditorState } from "@/lib/editor/editor-state";
import { insertIntoJson } from "@/lib/editor/mapping";
import { addNodeOperations, replaceTriggerOperations } from "@/lib/editor/palette";
import type { TFlowDocument } from "@/lib/flows/document";
import { applyOperation, FlowOperationError } from "@/lib/flows/operations";
import { renderString } from "@/lib/flows/references";
import { validateRunnable } from "@/lib/flows/validate";

const document: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Run manually", config: { samplePayload: { id: 1 } }, ui: { x: 40, y: 60 } },
    { id: "fetch", type: "step.http", name: "Fetch", config: { method: "GET", url: "https://api.example.com/items/{{trigger.id}}" }, ui: { x: 40, y: 200 } },
    { id: "shape", type: "step.transform", name: "Shape", config: { expression: "{ 'id': trigger.id }" }, ui: { x: 320, y: 200 } },
  ],
  edges: [
    { id: "trigger__fetch", source: "trigger", target: "fetch" },
    { id: "trigger__shape", source: "trigger", target: "shape" },
  ],
};

describe("replacing the trigger in place", () => {
  it("swaps the trigger for a webhook at the same place, keeping every path out and the steps reading trigger data", () => {
    const replaced = replaceTriggerOperations(document, "trigger.webhook")!;
    expect(replaced.nodeId).toBe("webhook");
    const after = replaced.operations.reduce(applyOperation, document);
    const trigger = after.nodes.find((n) => n.id === "webhook")!;
    expect(trigger).toMatchObject({ type: "trigger.webhook", name: "Webhook trigger", ui: { x: 40, y: 60 }, config: { method: "POST" } });
    expect(after.nodes.map((n) => n.id)).toEqual(["webhook", "fetch", "shape"]);
    expect(after.edges).toEqual([
      { id: "trigger__fetch", source: "webhook", target: "fetch" },
      { id: "trigger__shape", source: "webhook", target: "shape" },
    ]);
    expect(validateRunnable(after)).toEqual([]);
    // Switching back gives the first id again.
    expect(replaceTriggerOperations(after, "trigger.manual")!.nodeId).toBe("trigger");
  });

  it("is one edit for the editor: one Undo brings the old trigger back, Redo swaps again", () => {
    const replaced = replaceTriggerOperations(document, "trigger.schedule")!;
    let state: TEditorState = editorReducer(startEditorState(document, 1), { type: "edit", operations: replaced.operations, at: 0 });
    expect(state.notice).toBeNull();
    expect(state.sync.local.nodes[0]).toMatchObject({ id: "schedule", type: "trigger.schedule", ui: { x: 40, y: 60 } });
    state = editorReducer(state, { type: "undo" });
    expect(state.sync.local).toEqual(document);
    // The undo reaches the server as an ordinary operation.
    expect(state.sync.queued.at(-1)).toEqual({ op: "replace_trigger", nodeId: "schedule", node: document.nodes[0] });
    state = editorReducer(state, { type: "redo" });
    expect(state.sync.local.nodes[0]!.type).toBe("trigger.schedule");
    expect(state.sync.local.edges.every((e) => e.source === "schedule")).toBe(true);
  });

  it("the palette's second trigger is still refused as an added node, with the way to change it", () => {
    const { operations } = addNodeOperations(document, "trigger.webhook");
    expect(() => operations.reduce(applyOperation, document)).toThrow("choose another trigger type to replace the current one");
  });

  it("refuses to replace a step that is not the trigger, with a step type, or onto a used id", () => {
    const webhook = { id: "webhook", type: "trigger.webhook", name: "Webhook", config: {}, ui: { x: 0, y: 0 } };
    expect(() => applyOperation(document, { op: "replace_trigger", nodeId: "fetch", node: webhook })).toThrow(FlowOperationError);
    expect(() => applyOperation(document, { op: "replace_trigger", nodeId: "trigger", node: { ...webhook, type: "step.transform" } })).toThrow(
      "is not a trigger type",
    );
    expect(() => applyOperation(document, { op: "replace_trigger", nodeId: "trigger", node: { ...webhook, id: "shape" } })).toThrow("already exists");
    expect(replaceTriggerOperations(document, "trigger.manual")).toBeNull();
  });
});

describe("a reference picked into a JSON body", () => {
  const object = { text: "{{steps.fetch.output}}", type: "object" as const, label: "" };
  const text = { text: "{{trigger.name}}", type: "string" as const, label: "name" };
  const scope = { trigger: { name: 'Ada "the first"'.replace(/"/g, "") }, steps: { fetch: { output: { status: 200, body: [1, 2] } } } };
  const renders = (json: string) => JSON.parse(renderString(json, scope) as string) as unknown;

  it("drops the empty quotes it is picked between when the value is an object", () => {
    const before = '{"data": ""}';
    const { value, caret } = insertIntoJson(before, 10, 10, object);
    expect(value).toBe('{"data": {{steps.fetch.output}}}');
    expect(caret).toBe(9 + object.text.length);
    expect(renders(value)).toEqual({ data: { status: 200, body: [1, 2] } });
  });

  it("quotes text picked where a value goes, and leaves it bare inside quotes", () => {
    expect(insertIntoJson('{"name": }', 9, 9, text).value).toBe('{"name": "{{trigger.name}}"}');
    expect(renders(insertIntoJson('{"name": }', 9, 9, text).value)).toEqual({ name: "Ada the first" });
    expect(insertIntoJson('{"name": "Hi "}', 13, 13, text).value).toBe('{"name": "Hi {{trigger.name}}"}');
    expect(insertIntoJson('{"data": }', 9, 9, object).value).toBe('{"data": {{steps.fetch.output}}}');
  });

  it("without a sample, a whole output counts as an object and a field as text", () => {
    expect(insertIntoJson('{"a": ""}', 7, 7, { ...object, type: "unknown" }).value).toBe('{"a": {{steps.fetch.output}}}');
    expect(insertIntoJson('{"a": ""}', 7, 7, { ...text, type: "unknown" }).value).toBe('{"a": "{{trigger.name}}"}');
  });
});
