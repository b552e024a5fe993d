// Completions in expression fields: what the samples hold at the path typed before the
// caret, spelled so the run reads it (backticks in JSONata, ["..."] in templates), and
// nothing where a path is not being typed (strings, outside {{ }}).
import { describe, expect, it } from "vitest";
import { applyCompletion, completionsAt, type TCompletionScope } from "@/lib/editor/expression-completions";
import { completionScopeOf, previewScopeOf } from "@/lib/editor/expression-scope";
import type { TFlowDocument } from "@/lib/flows/document";

const scope: TCompletionScope = {
  trigger: { body: { count: 21, "first name": "Ada", items: [{ id: "a1", qty: 2 }] }, headers: {}, method: "POST" },
  hasTriggerSample: true,
  steps: [
    { id: "fetch", name: "Fetch order", hasSample: true, output: { status: 200, body: { ok: true } } },
    { id: "later", name: "Not tested", hasSample: false, output: undefined },
  ],
  loop: null,
};

const labels = (text: string, kind: "jsonata" | "template", caret = text.length, s = scope) =>
  completionsAt(text, caret, kind, s)?.items.map((i) => i.label) ?? null;

describe("completionsAt (JSONata)", () => {
  it("offers the trigger sample's names after `trigger.` and deeper", () => {
    expect(labels("trigger.", "jsonata")).toEqual(["body", "headers", "method"]);
    expect(labels("trigger.body.", "jsonata")).toEqual(["count", "first name", "items"]);
    expect(labels("trigger.body.co", "jsonata")).toEqual(["count"]);
    // JSONata maps over arrays: `items.` offers the items' names.
    expect(labels("trigger.body.items.", "jsonata")).toEqual(["id", "qty"]);
    expect(labels("trigger.body.items[0].", "jsonata")).toEqual(["id", "qty"]);
  });

  it("offers upstream steps after `steps.`, then output, then the output's names", () => {
    expect(labels("steps.", "jsonata")).toEqual(["fetch", "later"]);
    const steps = completionsAt("steps.", 6, "jsonata", scope)!;
    expect(steps.items.map((i) => i.detail)).toEqual(["Fetch order", "Not tested"]);
    expect(labels("steps.fetch.", "jsonata")).toEqual(["output"]);
    expect(labels("steps.fetch.output.", "jsonata")).toEqual(["status", "body"]);
    expect(labels("steps.later.output.", "jsonata")).toBeNull();
    expect(labels("steps.nope.", "jsonata")).toBeNull();
  });

  it("offers roots once a name is begun, prefix matches first", () => {
    expect(labels("tr", "jsonata")).toEqual(["trigger"]);
    expect(labels("$count(st", "jsonata")).toEqual(["steps"]);
    expect(labels("", "jsonata")).toBeNull();
    expect(labels("1 + ", "jsonata")).toBeNull();
    expect(labels("trigger.body.ty", "jsonata")).toBeNull();
    expect(labels("trigger.body.fir", "jsonata")).toEqual(["first name"]);
    // Then names that hold what is typed.
    expect(labels("trigger.body.t", "jsonata")).toEqual(["count", "first name", "items"]);
  });

  it("offers nothing inside strings, comments or a variable's path", () => {
    expect(labels('"trigger.', "jsonata")).toBeNull();
    expect(labels("/* trigger.", "jsonata")).toBeNull();
    expect(labels("$x.trigger.", "jsonata")).toBeNull();
    expect(labels('"a" & trigger.', "jsonata")).toEqual(["body", "headers", "method"]);
  });

  it("quotes names JSONata cannot spell plainly, and replaces only the typed part", () => {
    const text = "trigger.body.fi";
    const result = completionsAt(text, text.length, "jsonata", scope)!;
    const item = result.items[0]!;
    expect(item.insert).toBe("`first name`");
    expect(applyCompletion(text, text.length, item)).toEqual({ value: "trigger.body.`first name`", caret: 25 });
    const middle = "trigger.bo + 1";
    const body = completionsAt(middle, 10, "jsonata", scope)!.items[0]!;
    expect(applyCompletion(middle, 10, body)).toEqual({ value: "trigger.body + 1", caret: 12 });
  });

  it("offers loop.item and loop.index inside a loop body only", () => {
    expect(labels("lo", "jsonata")).toBeNull();
    const inLoop = { ...scope, loop: { item: { sku: "x" }, hasItemSample: true } };
    expect(labels("lo", "jsonata", 2, inLoop)).toEqual(["loop"]);
    expect(labels("loop.", "jsonata", 5, inLoop)).toEqual(["item", "index"]);
    expect(labels("loop.item.", "jsonata", 10, inLoop)).toEqual(["sku"]);
  });

  it("never offers names that reach the runtime's own objects", () => {
    const hostile = { ...scope, trigger: JSON.parse('{"__proto__": {"x": 1}, "constructor": 1, "ok": 1}') };
    expect(labels("trigger.", "jsonata", 8, hostile)).toEqual(["ok"]);
    expect(labels("trigger.constructor.", "jsonata", 20, hostile)).toBeNull();
  });
});

describe("completionsAt (templates)", () => {
  it("offers completions only inside an open {{", () => {
    expect(labels("https://x.test/trigger.", "template")).toBeNull();
    expect(labels("https://x.test/{{", "template")).toEqual(["trigger", "steps"]);
    expect(labels("https://x.test/{{ trigger.", "template")).toEqual(["body", "headers", "method"]);
    expect(labels("{{trigger.body}} trigger.", "template")).toBeNull();
    expect(labels("{{ x trigger.", "template")).toBeNull();
    expect(labels("{{trigger.body.c", "template")).toEqual(["count"]);
  });

  it("offers indexes for a list, and brackets for names a template cannot spell", () => {
    const text = "{{trigger.body.items.";
    const result = completionsAt(text, text.length, "template", scope)!;
    expect(result.items.map((i) => i.label)).toEqual(["[0]"]);
    expect(applyCompletion(text, text.length, result.items[0]!).value).toBe("{{trigger.body.items[0]");
    expect(labels("{{trigger.body.items[0].", "template")).toEqual(["id", "qty"]);
    const named = "{{trigger.body.fi";
    const item = completionsAt(named, named.length, "template", scope)!.items[0]!;
    expect(applyCompletion(named, named.length, item).value).toBe('{{trigger.body["first name"]');
  });
});

describe("completion and preview scopes from the document", () => {
  const node = (id: string, type: string) => ({ id, type, name: id.toUpperCase(), config: {}, ui: { x: 0, y: 0 } });
  const document = {
    schemaVersion: 1,
    nodes: [node("hook", "trigger.webhook"), node("a", "step.transform"), node("b", "step.transform"), node("c", "step.transform")],
    edges: [
      { id: "e1", source: "hook", target: "a" },
      { id: "e2", source: "a", target: "b" },
      { id: "e3", source: "b", target: "c" },
    ],
  } as unknown as TFlowDocument;
  const samples = {
    hook: { nodeId: "hook", source: "test" as const, output: { body: { x: 1 } }, at: "2026-01-01T00:00:00Z", runId: null },
    a: { nodeId: "a", source: "test" as const, output: { y: 2 }, at: "2026-01-01T00:00:00Z", runId: null },
    c: { nodeId: "c", source: "test" as const, output: { later: true }, at: "2026-01-01T00:00:00Z", runId: null },
  };

  it("lists only the steps before this one, with their samples; the preview reads the same", () => {
    const completion = completionScopeOf(document, "c", samples);
    expect(completion.steps.map((s) => [s.id, s.hasSample])).toEqual([
      ["a", true],
      ["b", false],
    ]);
    expect(completion.trigger).toEqual({ body: { x: 1 } });
    expect(previewScopeOf(completion)).toEqual({ trigger: { body: { x: 1 } }, steps: { a: { output: { y: 2 } } } });
    expect(completionScopeOf(document, "a", samples).steps).toEqual([]);
    expect(previewScopeOf(completionScopeOf(document, "a", {}))).toEqual({ trigger: null, steps: {} });
  });

  it("inside a loop's body: the loop's first sample item, at index 0; nothing of it outside", () => {
    const looped = {
      schemaVersion: 1,
      nodes: [
        node("hook", "trigger.webhook"),
        { ...node("each", "step.loop"), config: { items: "{{trigger.body.rows}}", maxItems: 100, concurrency: 1 } },
        node("body", "step.transform"),
        node("after", "step.transform"),
      ],
      edges: [
        { id: "e1", source: "hook", target: "each" },
        { id: "e2", source: "each", target: "body", label: "each" },
        { id: "e3", source: "each", target: "after", label: "done" },
      ],
    } as unknown as TFlowDocument;
    const rows = { hook: { ...samples.hook, output: { body: { rows: [{ sku: "x1" }, { sku: "x2" }] } } } };
    const inside = completionScopeOf(looped, "body", rows);
    expect(inside.loop).toEqual({ item: { sku: "x1" }, hasItemSample: true });
    expect(previewScopeOf(inside).loop).toEqual({ item: { sku: "x1" }, index: 0 });
    expect(completionsAt("{{loop.item.", 12, "template", inside)?.items.map((i) => i.label)).toEqual(["sku"]);
    expect(completionScopeOf(looped, "after", rows).loop).toBeNull();
    expect(completionScopeOf(looped, "body", {}).loop).toEqual({ item: undefined, hasItemSample: false });
  });
});
