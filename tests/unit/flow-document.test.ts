import { describe, expect, it } from "vitest";
import { emptyFlowDocument, FlowDocumentError, parseFlowDocument, type TFlowDocument, type TFlowNode } from "@/lib/flows/document";
import { applyOperation, applyOperations, FlowOperationError } from "@/lib/flows/operations";
import { FlowReferenceError, lookupPath, parsePath, renderString, renderValue } from "@/lib/flows/references";
import { validateRunnable } from "@/lib/flows/validate";

const node = (id: string, type: string, config: Record<string, unknown> = {}): TFlowNode => ({ id, type, name: `Step ${id}`, config, ui: { x: 0, y: 0 } });

/** trigger → fetch → check →(true) shout / →(false) wait */
function sample(): TFlowDocument {
  return {
    schemaVersion: 1,
    nodes: [
      node("trigger", "trigger.manual"),
      node("fetch", "step.http", { method: "GET", url: "https://api.example.com/items/{{trigger.body.id}}" }),
      node("check", "step.condition", { mode: "compare", left: "{{steps.fetch.output.status}}", operator: "equals", right: "200" }),
      node("shout", "step.transform", { expression: "$uppercase(name)" }),
      node("wait", "step.delay", { mode: "duration", amount: 5, unit: "minutes" }),
    ],
    edges: [
      { id: "e1", source: "trigger", target: "fetch" },
      { id: "e2", source: "fetch", target: "check" },
      { id: "e3", source: "check", target: "shout", label: "true" },
      { id: "e4", source: "check", target: "wait", label: "false" },
    ],
  };
}

describe("validateRunnable", () => {
  it("accepts a well-formed flow", () => {
    expect(validateRunnable(sample())).toEqual([]);
  });

  it("names the nodes on a loop", () => {
    const doc = sample();
    doc.edges.push({ id: "back", source: "shout", target: "fetch" });
    const problems = validateRunnable(doc);
    expect(
      problems
        .filter((p) => p.message.includes("loop"))
        .map((p) => p.nodeId)
        .sort(),
    ).toEqual(["check", "fetch", "shout"]);
  });

  it("finds steps not connected to the trigger", () => {
    const doc = sample();
    doc.nodes.push(node("orphan", "step.transform", { expression: "1" }));
    expect(validateRunnable(doc)).toEqual([{ nodeId: "orphan", message: '"Step orphan" is not connected to the trigger, so it would never run.' }]);
  });

  it("refuses two triggers, and none", () => {
    const two = sample();
    two.nodes.push(node("second", "trigger.webhook"));
    two.edges.push({ id: "e9", source: "second", target: "wait" });
    expect(validateRunnable(two)).toContainEqual({ nodeId: "second", message: "A flow has exactly one trigger; remove this one or the other." });
    const none = { schemaVersion: 1 as const, nodes: [node("t", "step.transform", { expression: "1" })], edges: [] };
    expect(validateRunnable(none)).toContainEqual({ message: "Add a trigger: a flow starts with exactly one." });
  });

  it("refuses an unknown step type and a config of the wrong type", () => {
    const doc = sample();
    doc.nodes[3] = node("shout", "step.shell", { command: "rm -rf /" });
    doc.nodes[4] = node("wait", "step.delay", { mode: "duration", amount: "five", unit: "minutes" });
    const problems = validateRunnable(doc);
    expect(problems).toContainEqual({ nodeId: "shout", message: '"Step shout" has the unknown step type "step.shell".' });
    expect(problems.find((p) => p.nodeId === "wait")).toMatchObject({ field: "amount" });
  });

  it("refuses a delay over 30 days", () => {
    const doc = sample();
    doc.nodes[4] = node("wait", "step.delay", { mode: "duration", amount: 31, unit: "days" });
    expect(validateRunnable(doc)).toContainEqual(expect.objectContaining({ nodeId: "wait", message: expect.stringContaining("at most 30 days") }));
  });

  it("refuses dangling and not-upstream references", () => {
    const doc = sample();
    doc.nodes[3] = node("shout", "step.http", { method: "POST", url: "https://x.example/{{steps.ghost.output.id}}" });
    doc.nodes[4] = node("wait", "step.delay", { mode: "until", until: "{{steps.shout.output.when}}" });
    const problems = validateRunnable(doc);
    expect(problems).toContainEqual(
      expect.objectContaining({
        nodeId: "shout",
        field: "url",
        message:
          'HTTP request "Step shout", URL: {{steps.ghost.output.id}} reads the step "ghost", which is not in this flow. Pick an existing step with Insert reference, or fix the step id.',
      }),
    );
    // "shout" is on the other branch: it never runs before "wait".
    expect(problems).toContainEqual(
      expect.objectContaining({
        nodeId: "wait",
        field: "until",
        message: expect.stringMatching(
          /^Delay "Step wait", Until: \{\{steps\.shout\.output\.when\}\} reads "Step shout", which does not run before it\. Connect "Step shout" before/,
        ),
      }),
    );
  });

  it("requires a condition's paths to be labelled", () => {
    const doc = sample();
    delete doc.edges[2]!.label;
    expect(validateRunnable(doc)).toContainEqual({ nodeId: "check", edgeId: "e3", message: "Mark each path out of a condition as true or false." });
  });

  it("refuses edges to missing steps and duplicate ids", () => {
    const doc = sample();
    doc.edges.push({ id: "e5", source: "wait", target: "nowhere" });
    doc.nodes.push(node("fetch", "step.transform", { expression: "1" }));
    const messages = validateRunnable(doc).map((p) => p.message);
    expect(messages).toContain('A connection points at "nowhere", which is not a step of this flow.');
    expect(messages).toContain('Two steps have the id "fetch"; ids must be unique.');
  });
});

describe("parseFlowDocument", () => {
  it("refuses 5,000 nodes with a precise message and unknown fields", () => {
    const nodes = Array.from({ length: 5000 }, (_, i) => node(`n${i}`, "step.transform", { expression: "1" }));
    expect(() => parseFlowDocument({ schemaVersion: 1, nodes, edges: [] })).toThrow("A flow can have at most 1000 steps.");
    expect(() => parseFlowDocument({ ...sample(), owner: "x" })).toThrow(FlowDocumentError);
  });

  it("migrates an unversioned document and refuses a newer one", () => {
    const { schemaVersion: _ignored, ...old } = sample();
    expect(parseFlowDocument(old)).toEqual(sample());
    expect(() => parseFlowDocument({ ...sample(), schemaVersion: 2 })).toThrow(/newer Vaultflow/);
  });
});

describe("references", () => {
  const scope = {
    trigger: { body: { id: 7, tags: ["a", "b"], nested: { ok: true } } },
    steps: { fetch: { output: { status: 200, items: [{ id: "x1" }] } } },
  };

  it("looks paths up and keeps the type of a whole-string reference", () => {
    expect(renderString("{{steps.fetch.output.status}}", scope)).toBe(200);
    expect(renderString("id={{ trigger.body.id }}&first={{steps.fetch.output.items[0].id}}", scope)).toBe("id=7&first=x1");
    expect(renderString("{{trigger.body.nested}}!", scope)).toBe('{"ok":true}!');
    expect(renderValue({ a: ["{{trigger.body.tags[1]}}"] }, scope)).toEqual({ a: ["b"] });
  });

  it("fails a missing path with a message naming it", () => {
    expect(() => renderString("{{steps.fetch.output.items[3].id}}", scope)).toThrow(
      '{{steps.fetch.output.items[3].id}}: nothing at "steps.fetch.output.items.3".',
    );
  });

  it("never evaluates code or walks into the prototype chain", () => {
    for (const attack of [
      "constructor.constructor('return process')()",
      "trigger.constructor",
      "__proto__",
      "trigger.__proto__.polluted",
      'trigger["__proto__"]',
    ]) {
      expect(() => renderString(`{{${attack}}}`, scope), attack).toThrow(FlowReferenceError);
    }
    expect(() => lookupPath(scope, ["trigger", "body", "toString"])).toThrow(FlowReferenceError);
    expect(() => lookupPath(scope, ["trigger", "body", "tags", "length"])).toThrow(FlowReferenceError);
    expect(() => lookupPath({ trigger: new Date() }, ["trigger", "getTime"])).toThrow(FlowReferenceError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("parses bracket names and refuses malformed paths", () => {
    expect(parsePath('steps.a.output["odd key"][2]')).toEqual(["steps", "a", "output", "odd key", 2]);
    expect(() => parsePath("steps..a")).toThrow(FlowReferenceError);
    expect(() => parsePath("steps.a[x]")).toThrow(FlowReferenceError);
  });
});

describe("operations", () => {
  it("adds, connects, renames and moves without mutating the input", () => {
    const before = emptyFlowDocument();
    const frozen = JSON.stringify(before);
    const after = applyOperations(before, [
      { op: "add_node", node: node("shout", "step.transform", { expression: "1" }) },
      { op: "connect", edge: { id: "e1", source: "trigger", target: "shout" } },
      { op: "rename", nodeId: "shout", name: "Shout" },
      { op: "move", nodeId: "shout", ui: { x: 10, y: 20 } },
    ]);
    expect(JSON.stringify(before)).toBe(frozen);
    expect(after.nodes[1]).toEqual({ id: "shout", type: "step.transform", name: "Shout", config: { expression: "1" }, ui: { x: 10, y: 20 } });
    expect(validateRunnable(after)).toEqual([]);
  });

  it("removing a node removes its connections", () => {
    const after = applyOperation(sample(), { op: "remove_node", nodeId: "check" });
    expect(after.edges.map((e) => e.id)).toEqual(["e1"]);
  });

  it("refuses loops, a second trigger, unlabeled condition paths and unknown nodes", () => {
    const doc = sample();
    expect(() => applyOperation(doc, { op: "connect", edge: { id: "x", source: "shout", target: "fetch" } })).toThrow(
      "This connection would make a loop; flows run forward only.",
    );
    expect(() => applyOperation(doc, { op: "add_node", node: node("t2", "trigger.webhook") })).toThrow(FlowOperationError);
    expect(() => applyOperation(doc, { op: "connect", edge: { id: "x", source: "check", target: "shout" } })).toThrow(/true or false/);
    expect(() => applyOperation(doc, { op: "rename", nodeId: "ghost", name: "x" })).toThrow('There is no step "ghost".');
  });

  it("applies a batch all or nothing", () => {
    const doc = sample();
    expect(() =>
      applyOperations(doc, [
        { op: "remove_node", nodeId: "wait" },
        { op: "connect", edge: { id: "x", source: "shout", target: "trigger" } },
      ]),
    ).toThrow(FlowOperationError);
    expect(doc.nodes.map((n) => n.id)).toContain("wait");
  });
});
