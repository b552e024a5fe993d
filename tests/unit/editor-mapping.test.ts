import jsonata from "jsonata";
import { describe, expect, it } from "vitest";
import { connectionLabelOf, connectionProblemOf, connectionsFor } from "@/lib/editor/connection-options";
import {
  buildPickerGroups,
  checkReferences,
  filterPickerGroups,
  flattenSample,
  formatJsonataPath,
  formatTemplatePath,
  insertAtCaret,
  referenceText,
  sampleOf,
} from "@/lib/editor/mapping";
import { formatSampleText } from "@/lib/editor/sample-text";
import { exampleTriggerPayload, startingPayloadText } from "@/lib/editor/trigger-sample";
import type { TFlowDocument } from "@/lib/flows/document";
import { findReferences, parsePath, renderString } from "@/lib/flows/references";
import type { TStepSamples } from "@/lib/flows/step-sample";
import { validateRunnable } from "@/lib/flows/validate";

const node = (id: string, type = "step.transform", name = id) => ({ id, type, name, config: {}, ui: { x: 0, y: 0 } });
const edge = (source: string, target: string, label?: "true" | "false") => ({ id: `${source}-${target}`, source, target, ...(label ? { label } : {}) });

// trigger → fetch → check ─true→ yes
//                        └false→ no → after
//          trigger → side (parallel branch)
const document: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    node("after"),
    node("trigger", "trigger.webhook", "Incoming"),
    node("fetch", "step.http", "Fetch"),
    node("check", "step.condition", "Check"),
    node("yes", "step.http", "Call yes"),
    node("no", "step.http", "Call no"),
    node("side", "step.transform", "Side"),
  ],
  edges: [
    edge("trigger", "fetch"),
    edge("fetch", "check"),
    edge("check", "yes", "true"),
    edge("check", "no", "false"),
    edge("no", "after"),
    edge("trigger", "side"),
  ],
};

const sample = (nodeId: string, output: unknown) => ({ nodeId, source: "test" as const, output, at: "2026-01-02T03:04:05.000Z", runId: null });

const samples: TStepSamples = {
  trigger: sample("trigger", { method: "POST", body: { customer: { id: 7, "first name": "Ada" }, tags: ["a", "b"] } }),
  fetch: sample("fetch", { status: 200, body: { items: [{ id: "i1" }, { id: "i2" }] } }),
};

describe("fields of a sample", () => {
  it("flattens objects and arrays breadth-first with type and a short preview", () => {
    const { fields, isTruncated } = flattenSample(samples.trigger!.output);
    const byPath = new Map(fields.map((f) => [JSON.stringify(f.path), f]));
    expect(fields[0]).toEqual({ path: [], type: "object", preview: "{ method, body }" });
    expect(byPath.get('["method"]')).toMatchObject({ type: "string", preview: '"POST"' });
    expect(byPath.get('["body","customer","id"]')).toMatchObject({ type: "number", preview: "7" });
    expect(byPath.get('["body","tags"]')).toMatchObject({ type: "array", preview: "2 items" });
    expect(byPath.get('["body","tags",1]')).toMatchObject({ type: "string", preview: '"b"' });
    expect(fields.map((f) => f.path.length)).toEqual([...fields.map((f) => f.path.length)].sort((a, b) => a - b));
    expect(isTruncated).toBe(false);
  });

  it("is bounded in depth, count, array items and preview length", () => {
    const deep = { a: { b: { c: { d: 1 } } } };
    expect(flattenSample(deep, { maxDepth: 2 })).toEqual({
      fields: [
        { path: [], type: "object", preview: "{ a }" },
        { path: ["a"], type: "object", preview: "{ b }" },
        { path: ["a", "b"], type: "object", preview: "{ c }" },
      ],
      isTruncated: true,
    });
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i]));
    const flat = flattenSample(wide);
    expect(flat.fields).toHaveLength(200);
    expect(flat.isTruncated).toBe(true);
    const list = flattenSample({ items: Array.from({ length: 50 }, (_, i) => ({ id: i })) });
    expect(list.fields.filter((f) => f.path.length === 2).map((f) => f.path[1])).toEqual([0, 1, 2]);
    expect(list.isTruncated).toBe(true);
    expect(flattenSample("x".repeat(500)).fields[0]!.preview).toHaveLength(60);
    expect(flattenSample(null).fields).toEqual([{ path: [], type: "null", preview: "null" }]);
  });
});

describe("reference text", () => {
  it("spells paths the engine parses back to the same segments", () => {
    expect(referenceText("template", { kind: "trigger" }, ["body", "x"])).toBe("{{trigger.body.x}}");
    expect(referenceText("template", { kind: "step", stepId: "fetch" }, ["items", 0, "id"])).toBe("{{steps.fetch.output.items[0].id}}");
    expect(referenceText("template", { kind: "step", stepId: "fetch" }, [])).toBe("{{steps.fetch.output}}");
    expect(referenceText("template", { kind: "trigger" }, [])).toBe("{{trigger}}");
    expect(formatTemplatePath(["a b", "c-d", "$e", "0", 'say "hi"'])).toBe(`["a b"].c-d.$e["0"]['say "hi"']`);
    for (const path of [["first name"], ["0"], ["x", 3, "y z"], ["é"]]) {
      expect(parsePath(formatTemplatePath(path)!)).toEqual(path);
    }
  });

  it("refuses names a reference cannot spell or the engine forbids", () => {
    expect(formatTemplatePath([`both "and'`])).toBeNull();
    expect(formatTemplatePath(["a]b"])).toBeNull();
    expect(formatTemplatePath(["back\\slash"])).toBeNull();
    expect(formatTemplatePath(["{x}"])).toBeNull();
    expect(formatTemplatePath(["__proto__"])).toBeNull();
    expect(formatTemplatePath(Array.from({ length: 40 }, () => "a"))).toBeNull();
  });

  it("a picked reference renders to the sample's value at run time", () => {
    const scope = { trigger: samples.trigger!.output, steps: { fetch: { output: samples.fetch!.output } } };
    expect(renderString(referenceText("template", { kind: "trigger" }, ["body", "customer", "first name"])!, scope)).toBe("Ada");
    expect(renderString(referenceText("template", { kind: "step", stepId: "fetch" }, ["body", "items", 1, "id"])!, scope)).toBe("i2");
  });

  it("writes JSONata paths for expressions, with backticks where needed", () => {
    expect(referenceText("jsonata", { kind: "step", stepId: "fetch" }, ["body", "items", 0, "id"])).toBe("steps.fetch.output.body.items[0].id");
    expect(referenceText("jsonata", { kind: "trigger" }, ["first name", "and", "$x"])).toBe("trigger.`first name`.`and`.`$x`");
    expect(formatJsonataPath(["a`b"])).toBeNull();
  });

  it("refuses in JSONata the names the engine forbids in paths", () => {
    for (const name of ["__proto__", "constructor", "prototype"]) {
      expect(formatJsonataPath(["a", name, "b"]), name).toBeNull();
      expect(referenceText("jsonata", { kind: "step", stepId: "fetch" }, [name]), name).toBeNull();
    }
    expect(formatJsonataPath(["Constructor", "proto"])).toBe("Constructor.proto");
  });

  it("JSONata paths evaluate (with the jsonata package) to the value they were made from", async () => {
    const scope = {
      trigger: { "first name": "Ada", and: 1, $x: 2, "a-b": 3, "0": 4, é: 5, "a.b": 6, 'say "hi"': 7, "x y": [{ in: "deep" }, { in: "second" }] },
      steps: { fetch: { output: { body: { items: [{ id: "i1" }, { id: "i2" }], true: "yes", null: null } } } },
    };
    const cases: [Parameters<typeof referenceText>[1], (string | number)[], unknown][] = [
      [{ kind: "trigger" }, ["first name"], "Ada"],
      [{ kind: "trigger" }, ["and"], 1],
      [{ kind: "trigger" }, ["$x"], 2],
      [{ kind: "trigger" }, ["a-b"], 3],
      [{ kind: "trigger" }, ["0"], 4],
      [{ kind: "trigger" }, ["é"], 5],
      [{ kind: "trigger" }, ["a.b"], 6],
      [{ kind: "trigger" }, ['say "hi"'], 7],
      [{ kind: "trigger" }, ["x y", 1, "in"], "second"],
      [{ kind: "step", stepId: "fetch" }, ["body", "items", 1, "id"], "i2"],
      [{ kind: "step", stepId: "fetch" }, ["body", "true"], "yes"],
      [{ kind: "step", stepId: "fetch" }, ["body", "items", 0], { id: "i1" }],
    ];
    for (const [source, path, expected] of cases) {
      const text = referenceText("jsonata", source, path);
      expect(text, JSON.stringify(path)).not.toBeNull();
      expect(await jsonata(text!).evaluate(scope), text!).toEqual(expected);
    }
    // The names that need backticks did get them (the values above would be found otherwise too, or fail to parse).
    expect(referenceText("jsonata", { kind: "trigger" }, ["a-b", "0", "a.b"])).toBe("trigger.`a-b`.`0`.`a.b`");
  });

  it("inserts at the caret or over the selection", () => {
    expect(insertAtCaret("https://x/", 10, 10, "{{a}}")).toEqual({ value: "https://x/{{a}}", caret: 15 });
    expect(insertAtCaret("abcdef", 2, 4, "X")).toEqual({ value: "abXef", caret: 3 });
    expect(insertAtCaret("abc", null, null, "X")).toEqual({ value: "abcX", caret: 4 });
    expect(insertAtCaret("abc", 99, 120, "X")).toEqual({ value: "abcX", caret: 4 });
    expect(insertAtCaret("abc", 2, 1, "X")).toEqual({ value: "abXc", caret: 3 });
  });
});

describe("checking a field's references", () => {
  const check = (nodeId: string, text: string) => checkReferences(text, { document, nodeId, samples });

  it("accepts trigger and upstream references, with positions", () => {
    const text = "https://api/{{ steps.fetch.output.body.items[0].id }}?c={{trigger.body.customer.id}}";
    const checks = check("yes", text);
    expect(checks.map((c) => [c.status, c.severity, c.source, c.nodeId])).toEqual([
      ["ok", "ok", "steps.fetch.output.body.items[0].id", "fetch"],
      ["ok", "ok", "trigger.body.customer.id", "trigger"],
    ]);
    expect(text.slice(checks[0]!.start, checks[0]!.end)).toBe("{{ steps.fetch.output.body.items[0].id }}");
    expect(checks[0]!.message).toBe('Reads the output of "Fetch".');
  });

  it("flags unknown steps, steps that run after or in parallel, the step itself and the trigger's own use", () => {
    const [unknown, after, parallel, self] = check("no", "{{steps.nope.output}} {{steps.after.output}} {{steps.yes.output}} {{steps.no.output}}");
    expect(unknown).toMatchObject({ status: "unknown_step", severity: "error", message: 'There is no step "nope" in this flow.' });
    expect(after).toMatchObject({ status: "not_upstream", nodeId: "after", message: expect.stringContaining("runs after this step") });
    expect(parallel).toMatchObject({ status: "not_upstream", nodeId: "yes", message: expect.stringContaining("in parallel") });
    expect(self).toMatchObject({ status: "not_upstream", message: "A step cannot read its own output." });
    expect(check("trigger", "{{trigger.body}}")[0]).toMatchObject({ status: "not_upstream", severity: "error" });
  });

  it("flags malformed references with the parser's message, and unclosed braces", () => {
    const [bad, wrongRoot, notOutput, unclosed] = check("after", "{{steps.fetch.output.a b}} {{env.SECRET}} {{steps.fetch.input}} {{trigger.x");
    expect(bad).toMatchObject({ status: "malformed", message: expect.stringContaining("is not a valid reference") });
    expect(wrongRoot).toMatchObject({ status: "malformed", message: expect.stringContaining('must start with "trigger." or "steps.') });
    expect(notOutput).toMatchObject({ status: "malformed", message: "A reference reads a step's output: steps.fetch.output..." });
    // An unclosed {{ would be sent as text: the run check refuses it in a template field, so the chip is an error too.
    expect(unclosed).toMatchObject({ status: "unclosed", severity: "error", source: "{{trigger.x", message: expect.stringContaining("not closed") });
    const doc = {
      ...document,
      nodes: document.nodes.map((n) => (n.id === "after" ? { ...n, type: "step.delay", config: { mode: "until", until: "{{trigger.x" } } : n)),
    };
    expect(validateRunnable(doc).filter((p) => p.nodeId === "after")).toEqual([
      expect.objectContaining({ field: "until", message: expect.stringContaining("never closed") }),
    ]);
    expect(check("after", "{{{trigger.method}}}").map((c) => [c.status, c.start])).toEqual([["ok", 1]]);
    expect(check("after", "plain text")).toEqual([]);
  });

  it("hints (softly) at a path that the last sample does not have", () => {
    const [missing, fine, noSample, pastEnd, inherited] = check(
      "after",
      "{{steps.fetch.output.body.itemz}} {{trigger.body.tags[1]}} {{steps.check.output.anything}} {{trigger.body.tags[2]}} {{trigger.body.customer.toString}}",
    );
    expect(missing).toMatchObject({ status: "not_in_sample", severity: "hint", nodeId: "fetch", message: expect.stringContaining("body.itemz") });
    expect(fine).toMatchObject({ status: "ok", severity: "ok", nodeId: "trigger", message: "Reads the trigger's data (Incoming)." });
    // No sample for "check": nothing to compare with, so no hint.
    expect(noSample).toMatchObject({ status: "ok", severity: "ok", nodeId: "check", message: 'Reads the output of "Check".' });
    expect(pastEnd).toMatchObject({ status: "not_in_sample", severity: "hint", message: expect.stringContaining("body.tags[2]") });
    // An object's built-ins are not its fields.
    expect(inherited).toMatchObject({ status: "not_in_sample", severity: "hint" });
  });

  it("finds the same references as the engine", () => {
    const text = "a {{trigger.x}} b {{ steps.fetch.output.y }} {{trigger}} {{{trigger.y}}} }}";
    expect(check("after", text).map((c) => [c.start, c.end, c.source])).toEqual(findReferences(text).map((r) => [r.start, r.end, r.source]));
  });
});

describe("the picker's list", () => {
  it("offers the trigger and upstream steps with their sample fields; no sample: the whole output", () => {
    const groups = buildPickerGroups(document, "after", samples, "template");
    expect(groups.map((g) => [g.nodeId, g.name, g.isTrigger, g.hasSample])).toEqual([
      ["trigger", "Incoming", true, true],
      ["fetch", "Fetch", false, true],
      ["check", "Check", false, false],
      ["no", "Call no", false, false],
    ]);
    // No sample: only the whole output, of a type nothing tells yet.
    expect(groups[2]!.options).toEqual([{ id: "check:", text: "{{steps.check.output}}", label: "", type: "unknown", preview: "" }]);
    const fetch = groups[1]!.options.map((o) => o.text);
    expect(fetch).toContain("{{steps.fetch.output.body.items[0].id}}");
    expect(groups[0]!.options.find((o) => o.text === '{{trigger.body.customer["first name"]}}')).toEqual({
      id: 'trigger:body.customer["first name"]',
      text: '{{trigger.body.customer["first name"]}}',
      label: 'body.customer["first name"]',
      type: "string",
      preview: '"Ada"',
    });
    expect(buildPickerGroups(document, "trigger", samples, "template")).toEqual([]);
    // A step not connected to anything may still read the trigger.
    const loose = { ...document, nodes: [...document.nodes, node("loose")] };
    expect(buildPickerGroups(loose, "loose", samples, "template").map((g) => g.nodeId)).toEqual(["trigger"]);
  });

  it("treats node ids that are Object built-ins (toString, constructor) as steps without a sample", () => {
    const builtIns: TFlowDocument = {
      schemaVersion: 1,
      nodes: [node("trigger", "trigger.manual", "Start"), node("toString", "step.transform", "To string"), node("valueOf", "step.transform", "Reader")],
      edges: [edge("trigger", "toString"), edge("toString", "valueOf")],
    };
    const none: TStepSamples = {};
    expect(sampleOf(none, "toString")).toBeUndefined();
    expect(sampleOf(none, "constructor")).toBeUndefined();
    expect(sampleOf(samples, "fetch")).toBe(samples.fetch);
    const groups = buildPickerGroups(builtIns, "valueOf", none, "template");
    expect(groups.map((g) => [g.nodeId, g.hasSample, g.options.map((o) => [o.text, o.type])])).toEqual([
      ["trigger", false, [["{{trigger}}", "unknown"]]],
      ["toString", false, [["{{steps.toString.output}}", "unknown"]]],
    ]);
    expect(checkReferences("{{steps.toString.output.x}}", { document: builtIns, nodeId: "valueOf", samples: none })).toMatchObject([
      { status: "ok", severity: "ok", nodeId: "toString" },
    ]);
    // With a sample of its own, it is used.
    const own: TStepSamples = { toString: sample("toString", { x: 1 }) };
    expect(buildPickerGroups(builtIns, "valueOf", own, "template")[1]!.options.map((o) => o.text)).toEqual([
      "{{steps.toString.output}}",
      "{{steps.toString.output.x}}",
    ]);
    expect(checkReferences("{{steps.toString.output.y}}", { document: builtIns, nodeId: "valueOf", samples: own })[0]!.status).toBe("not_in_sample");
  });

  it("leaves out fields a reference cannot spell, and says the list is partial", () => {
    const odd: TStepSamples = { ...samples, fetch: sample("fetch", { fine: 1, [`q"'`]: 2 }) };
    const fetch = buildPickerGroups(document, "after", odd, "template")[1]!;
    expect(fetch.options.map((o) => o.label)).toEqual(["", "fine"]);
    expect(fetch.isTruncated).toBe(true);
  });

  it("filters by step name or path; a matching step keeps all its fields", () => {
    const groups = buildPickerGroups(document, "after", samples, "template");
    const byPath = filterPickerGroups(groups, "items id");
    expect(byPath.map((g) => g.nodeId)).toEqual(["fetch"]);
    expect(byPath[0]!.options.map((o) => o.label)).toEqual(["body.items[0].id", "body.items[1].id"]);
    expect(filterPickerGroups(groups, "FETCH")[0]!.options).toHaveLength(groups[1]!.options.length);
    expect(filterPickerGroups(groups, "  ")).toHaveLength(4);
    expect(filterPickerGroups(groups, "zzz")).toEqual([]);
  });
});

describe("the step test panel's output text", () => {
  it("shows small outputs whole, with their line count", () => {
    expect(formatSampleText({ a: 1, b: [true] })).toEqual({ text: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}', lines: 6, truncated: null });
    expect(formatSampleText(undefined)).toEqual({ text: "null", lines: 1, truncated: null });
  });

  it("cuts large outputs to the limit and says how much is shown", () => {
    const big = { items: Array.from({ length: 20_000 }, (_, i) => ({ id: `item-${i}`, note: "é".repeat(10) })) };
    const full = JSON.stringify(big, null, 2);
    const shown = formatSampleText(big);
    expect(shown.text.length).toBe(200 * 1024);
    expect(full.startsWith(shown.text)).toBe(true);
    expect(shown.lines).toBe(shown.text.split("\n").length);
    expect(shown.truncated).toEqual({
      shownKb: Math.round(Buffer.byteLength(shown.text) / 1024),
      totalKb: Math.round(Buffer.byteLength(full) / 1024),
    });
    expect(shown.truncated!.totalKb).toBeGreaterThan(shown.truncated!.shownKb);
    // Never half of a surrogate pair at the cut.
    const emoji = formatSampleText("😀".repeat(10), 6);
    expect(emoji.text).toBe('"😀😀');
  });
});

describe("trigger samples and connections", () => {
  const now = new Date("2026-05-06T07:08:09.000Z");
  it("starts a trigger's test payload in the shape its runs receive", () => {
    expect(exampleTriggerPayload({ type: "trigger.webhook", config: {} }, now)).toEqual({
      method: "POST",
      headers: { "content-type": "application/json" },
      query: {},
      body: {},
    });
    expect(exampleTriggerPayload({ type: "trigger.schedule", config: {} }, now)).toEqual({ scheduledFor: now.toISOString(), firedAt: now.toISOString() });
    expect(exampleTriggerPayload({ type: "trigger.manual", config: { samplePayload: { a: 1 } } }, now)).toEqual({ a: 1 });
    expect(startingPayloadText({ type: "trigger.manual", config: {} }, sample("trigger", { b: 2 }), now)).toBe('{\n  "b": 2\n}');
  });

  it("offers only connections the step can use, naming the ones that need reconnecting", () => {
    const connections = [
      { id: "1", name: "GitHub", type: "OAUTH2_CODE", status: "NEEDS_RECONNECT", provider: "github" },
      { id: "2", name: "Key", type: "API_KEY", status: "CONNECTED", provider: null },
      { id: "3", name: "Other", type: "SMTP", status: "CONNECTED", provider: null },
    ];
    expect(connectionsFor("step.http", connections).map((c) => c.id)).toEqual(["1", "2"]);
    expect(connectionsFor("step.transform", connections)).toEqual([]);
    expect(connectionLabelOf(connections[0]!)).toBe("GitHub (OAuth 2 (sign in with the provider)) — needs reconnecting");
    expect(connectionLabelOf(connections[1]!)).toBe("Key (API key)");
    expect(connectionProblemOf({ status: "PENDING" })).toBe("not authorized yet");
  });
});
