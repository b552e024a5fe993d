// The runnable check's rules for flow control: path labels per step type, On error and
// its error path, loop bodies closed, loop references only inside a body, nesting depth,
// merges; and the editor's side (connect operation, canvas handles).
import { describe, expect, it } from "vitest";
import { isEdgeLabel, parseFlowDocument, type TFlowDocument, type TFlowEdge, type TFlowNode } from "@/lib/flows/document";
import { applyOperation } from "@/lib/flows/operations";
import { findReferences } from "@/lib/flows/references";
import { validateRunnable } from "@/lib/flows/validate";
import { pathLabelsOf } from "@/lib/flows/node-types";
import { toCanvasEdges, toCanvasNodes } from "@/lib/editor/canvas-mapping";

const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } });
const edge = (source: string, target: string, label?: TFlowEdge["label"]): TFlowEdge => ({
  id: `${source}-${target}${label ? `-${label}` : ""}`,
  source,
  target,
  ...(label ? { label } : {}),
});
const transform = (id: string, expression = "$", extra: Record<string, unknown> = {}) => node(id, "step.transform", { expression, ...extra });
const http = (id: string, url = "https://api.example.com/x", extra: Record<string, unknown> = {}) => node(id, "step.http", { method: "GET", url, ...extra });
const loop = (id: string, items = "{{trigger.items}}", extra: Record<string, unknown> = {}) => node(id, "step.loop", { items, ...extra });
const doc = (nodes: TFlowNode[], edges: TFlowEdge[]): TFlowDocument => ({ schemaVersion: 1, nodes: [node("trigger", "trigger.manual", {}), ...nodes], edges });
const messages = (document: TFlowDocument) => validateRunnable(document).map((p) => p.message);

/** A valid flow with every new piece: loop (body of two), merge after a condition, approval, sub-flow, error path. */
function fullFlow(): TFlowDocument {
  return doc(
    [
      loop("each"),
      http("fetch", "https://api.example.com/items/{{loop.item.id}}", { onError: "branch" }),
      transform("keep", "steps.fetch.output.body"),
      transform("oops", "steps.fetch.output.error"),
      node("ask", "step.approval", { message: "Ship {{steps.each.output.count}} items?" }),
      node("child", "step.subflow", { flowId: "7d3c2f8e-0a51-4c55-9d7e-2f4a0e0c9b11", input: '{"n": {{steps.each.output.count}}}' }),
      transform("declined"),
      node("join", "step.merge", { mode: "object" }),
    ],
    [
      edge("trigger", "each"),
      edge("each", "fetch", "each"),
      edge("fetch", "keep"),
      edge("fetch", "oops", "error"),
      edge("each", "ask", "done"),
      edge("ask", "child", "approved"),
      edge("ask", "declined", "rejected"),
      edge("child", "join"),
      edge("declined", "join"),
    ],
  );
}

describe("flow control in the runnable check", () => {
  it("accepts a flow with a loop, an error path, an approval, a sub-flow and a merge", () => {
    expect(validateRunnable(fullFlow())).toEqual([]);
    // And the stored form parses with the new labels (schemaVersion 1, no migration).
    expect(parseFlowDocument(JSON.parse(JSON.stringify(fullFlow()))).edges.map((e) => e.label ?? null)).toEqual([
      null,
      "each",
      null,
      "error",
      "done",
      "approved",
      "rejected",
      null,
      null,
    ]);
  });

  it("still accepts a version-1 document of before (a condition's true/false paths)", () => {
    const old = parseFlowDocument({
      schemaVersion: 1,
      nodes: [
        node("trigger", "trigger.manual", {}),
        node("check", "step.condition", { mode: "compare", left: "{{trigger.a}}", operator: "equals", right: "1" }),
        transform("yes"),
      ],
      edges: [edge("trigger", "check"), edge("check", "yes", "true")],
    });
    expect(validateRunnable(old)).toEqual([]);
  });

  it("refuses a step in a loop's body that leads to a step also reached from outside the loop, naming both", () => {
    const document = fullFlow();
    document.edges.push(edge("keep", "declined"));
    // "declined" is now on the each path (through "keep"), and the approval outside leads to it too.
    expect(validateRunnable(document)).toContainEqual({
      nodeId: "declined",
      edgeId: "ask-declined-rejected",
      message:
        '"declined" is on the each path of the loop "each", so it runs for each item, but "ask", outside the loop, leads to it too. Only the loop can lead into its body: connect what comes after the loop to its "done" path, not to a step inside it.',
    });
  });

  it("refuses a path from outside into a loop's body, and the loop's done path into its own body", () => {
    const fromOutside = fullFlow();
    fromOutside.edges.push(edge("trigger", "keep"));
    expect(messages(fromOutside)).toContain(
      '"keep" is on the each path of the loop "each", so it runs for each item, but "trigger", outside the loop, leads to it too. Only the loop can lead into its body: connect what comes after the loop to its "done" path, not to a step inside it.',
    );
    const doneInside = fullFlow();
    doneInside.edges.push(edge("each", "keep", "done"));
    expect(messages(doneInside)).toContain(
      'The loop "each" leads to "keep" by its done path, but "keep" is in its body (it runs for each item). Use the "each" path, or move the step out of the body.',
    );
  });

  it("refuses a loop with no each path, and a loop's paths without labels", () => {
    const document = doc([loop("each"), transform("after")], [edge("trigger", "each"), edge("each", "after")]);
    expect(messages(document)).toEqual(
      expect.arrayContaining([
        'Mark each path out of Loop over items "each" as each or done.',
        'Loop over items "each" has no each path: connect the steps to run for every item to its "each" handle.',
      ]),
    );
  });

  it("refuses {{loop.*}} outside a loop's body, and the loop's own output inside it", () => {
    const outside = doc(
      [loop("each"), transform("work"), http("after", "https://x.example.com/{{loop.item.id}}")],
      [edge("trigger", "each"), edge("each", "work", "each"), edge("each", "after", "done")],
    );
    expect(validateRunnable(outside)).toContainEqual(
      expect.objectContaining({
        nodeId: "after",
        field: "url",
        message: expect.stringContaining("{{loop.item.id}} reads the current item of a loop, but this step does not run inside a loop."),
      }),
    );
    const ownOutput = doc(
      [loop("each"), http("work", "https://x.example.com/{{steps.each.output.count}}")],
      [edge("trigger", "each"), edge("each", "work", "each")],
    );
    expect(messages(ownOutput).join("\n")).toContain('{{steps.each.output.count}} reads the loop "each", whose output is there only once every item has run.');
    // A reference into a body from after the loop: the body step does not run before it.
    const intoBody = doc(
      [loop("each"), transform("work"), http("after", "https://x.example.com/{{steps.work.output}}")],
      [edge("trigger", "each"), edge("each", "work", "each"), edge("each", "after", "done")],
    );
    expect(messages(intoBody).join("\n")).toContain('{{steps.work.output}} reads "work", which does not run before it.');
    // The same in a JSONata expression; inside the body it is fine.
    const jsonata = doc(
      [loop("each"), transform("work", "loop.item.price"), transform("after", "loop.index")],
      [edge("trigger", "each"), edge("each", "work", "each"), edge("each", "after", "done")],
    );
    expect(validateRunnable(jsonata).map((p) => [p.nodeId, p.fieldMessage])).toEqual([
      ["after", "It reads loop.item or loop.index, but this step does not run inside a loop. Connect it on a loop's each path, or read the data another way."],
    ]);
    // Only item and index exist.
    expect(() => findReferences("{{loop.items}}")).toThrow(/inside a loop, write \{\{loop.item\}\}/);
    expect(findReferences("{{loop.index}} {{loop.item.a[0]}}").map((r) => r.root)).toEqual(["loop", "loop"]);
  });

  it("accepts a loop inside a loop, and refuses a third level", () => {
    const two = doc(
      [loop("rows"), loop("cells", "{{loop.item}}"), transform("cell")],
      [edge("trigger", "rows"), edge("rows", "cells", "each"), edge("cells", "cell", "each")],
    );
    expect(validateRunnable(two)).toEqual([]);
    const three = doc(
      [loop("a"), loop("b", "{{loop.item}}"), loop("c", "{{loop.item}}"), transform("leaf")],
      [edge("trigger", "a"), edge("a", "b", "each"), edge("b", "c", "each"), edge("c", "leaf", "each")],
    );
    expect(validateRunnable(three)).toContainEqual({
      nodeId: "c",
      message: 'Loop over items "c" is a loop inside a loop inside a loop; loops nest two deep at most. Move it out, or split the work into a sub-flow.',
    });
  });

  it("refuses a Respond step inside a loop", () => {
    const document = doc([loop("each"), node("answer", "step.respond", { status: 200, body: "" })], [edge("trigger", "each"), edge("each", "answer", "each")]);
    expect(messages(document)).toContain(
      'Respond to webhook "answer" is inside the loop "each": a webhook is answered once. Put the Respond step after the loop\'s "done" path.',
    );
  });

  it("refuses an error path without On error branch, and On error branch without an error path", () => {
    const stray = doc([http("call"), transform("oops")], [edge("trigger", "call"), edge("call", "oops", "error")]);
    expect(messages(stray)).toContain(
      'HTTP request "call" has a path marked error, but its failures do not take it: set its On error to "Take the error path", or remove the path.',
    );
    const missing = doc([http("call", undefined, { onError: "branch" }), transform("next")], [edge("trigger", "call"), edge("call", "next")]);
    expect(validateRunnable(missing)).toContainEqual(
      expect.objectContaining({ nodeId: "call", field: "onError", message: expect.stringContaining("its failures take the error path, but it has none") }),
    );
    const wrongValue = doc([http("call", undefined, { onError: "ignore" })], [edge("trigger", "call")]);
    expect(messages(wrongValue).join("\n")).toContain("onError: Choose what happens when the step fails");
  });

  it("refuses labels a step does not have", () => {
    const document = doc(
      [http("call"), transform("a"), node("ask", "step.approval", { message: "ok?" }), transform("b")],
      [edge("trigger", "call"), edge("call", "a", "each"), edge("a", "ask"), edge("ask", "b", "true")],
    );
    expect(messages(document)).toEqual(
      expect.arrayContaining([
        'Only a loop\'s paths are marked each; HTTP request "call" has a plain path.',
        'A path out of Ask for approval "ask" is marked approved or rejected, not true.',
      ]),
    );
  });

  it("refuses a merge with fewer than two paths in, and checks the new steps' settings", () => {
    const document = doc(
      [
        node("join", "step.merge", { mode: "object" }),
        loop("each", "", { maxItems: 5000, concurrency: 0 }),
        node("child", "step.subflow", { flowId: "nope", timeout: { amount: 31, unit: "days" } }),
      ],
      [edge("trigger", "join"), edge("join", "each"), edge("each", "child", "done")],
    );
    const found = messages(document);
    expect(found).toContain('Merge "join" joins paths: connect two or more steps into it, or remove it.');
    expect(found).toEqual(
      expect.arrayContaining([
        'Loop over items "each": items: Enter the list to go through, such as {{steps.fetch.output.body.items}}.',
        'Loop over items "each": maxItems: At most 1000 items.',
        'Loop over items "each": concurrency: Run at least 1 item at a time.',
        'Run a flow "child": flowId: Choose a flow of this project.',
        'Run a flow "child": timeout.amount: A wait can be at most 30 days.',
      ]),
    );
  });
});

describe("flow control in the editor", () => {
  it("the connect operation takes a step's own labels, and error only with On error branch", () => {
    const document = doc([loop("each"), http("call"), transform("a")], [edge("trigger", "each")]);
    const connected = applyOperation(document, { op: "connect", edge: edge("each", "call", "each") });
    expect(connected.edges).toHaveLength(2);
    expect(() => applyOperation(document, { op: "connect", edge: edge("each", "call") })).toThrow("Choose which path this is: each or done.");
    expect(() => applyOperation(connected, { op: "connect", edge: edge("call", "a", "error") })).toThrow(
      '"call" has no error path: set its "On error" to take the error path first.',
    );
    const branching = { ...connected, nodes: connected.nodes.map((n) => (n.id === "call" ? { ...n, config: { ...n.config, onError: "branch" } } : n)) };
    expect(applyOperation(branching, { op: "connect", edge: edge("call", "a", "error") }).edges.at(-1)).toMatchObject({ label: "error" });
  });

  it("gives each path its own labelled handle on the canvas, error included", () => {
    const document = fullFlow();
    expect(pathLabelsOf(document.nodes.find((n) => n.id === "fetch")!)).toEqual([null, "error"]);
    const nodes = toCanvasNodes(document, []);
    const handles = (id: string) =>
      nodes
        .find((n) => n.id === id)!
        .handles!.filter((h) => h.type === "source")
        .map((h) => h.id);
    expect(handles("each")).toEqual(["each", "done"]);
    expect(handles("ask")).toEqual(["approved", "rejected"]);
    expect(handles("fetch")).toEqual([null, "error"]);
    expect(handles("keep")).toEqual([null]);
    expect(handles("trigger")).toEqual([null]);
    expect(nodes.find((n) => n.id === "each")!.data.pathLabels).toEqual(["each", "done"]);
    // A path drawn from a handle takes the handle's id as its label.
    expect(["each", "error", "approved", null, "maybe"].map(isEdgeLabel)).toEqual([true, true, true, false, false]);
    const edges = toCanvasEdges(document);
    expect(edges.find((e) => e.id === "fetch-oops-error")).toMatchObject({ sourceHandle: "error", label: "error", className: "flow-edge-error" });
  });
});
