// The runnable check of each step's values: JSONata that does not parse, `{{...}}` that
// is empty, unclosed or reads a missing or later step, required values left empty, and
// a JSON body that cannot become JSON. Each problem names the step, the field and a fix.
import { describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { validateRunnable, type TFlowProblem } from "@/lib/flows/validate";

const node = (id: string, type: string, config: Record<string, unknown> = {}): TFlowNode => ({ id, type, name: `Step ${id}`, config, ui: { x: 0, y: 0 } });

/** trigger → fetch (HTTP) → step (the node under test) */
function flowWith(step: TFlowNode, fetch: Record<string, unknown> = { method: "GET", url: "https://api.example.com/items" }): TFlowDocument {
  return {
    schemaVersion: 1,
    nodes: [node("trigger", "trigger.webhook", { method: "POST" }), node("fetch", "step.http", fetch), step],
    edges: [
      { id: "e1", source: "trigger", target: "fetch" },
      { id: "e2", source: "fetch", target: step.id },
    ],
  };
}

const problemsOf = (step: TFlowNode, fetch?: Record<string, unknown>): TFlowProblem[] =>
  validateRunnable(flowWith(step, fetch)).filter((p) => p.nodeId === step.id);

describe("validateRunnable: expressions, references and required values", () => {
  it("accepts a flow whose expressions parse and whose references read earlier steps", () => {
    const doc = flowWith(node("shape", "step.transform", { expression: '{ "a": trigger.x, "status": steps.fetch.output.status }' }));
    doc.nodes.push(
      node("check", "step.condition", { mode: "compare", left: "{{steps.fetch.output.status}}", operator: "greater_than", right: "199" }),
      node("call", "step.http", {
        method: "POST",
        url: "https://api.example.com/{{trigger.id}}",
        body: { kind: "json", json: '{"name": "{{trigger.name}}", "data": {{steps.fetch.output}}}' },
      }),
    );
    doc.edges.push({ id: "e3", source: "shape", target: "check" }, { id: "e4", source: "check", target: "call", label: "true" });
    expect(validateRunnable(doc)).toEqual([]);
  });

  it("refuses an unfinished JSONata expression in a Transform, with the parser's message and position", () => {
    const problems = problemsOf(node("shape", "step.transform", { expression: '{ "a": trigger.x,' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ nodeId: "shape", field: "expression" });
    expect(problems[0]!.message).toBe(
      'Transform "Step shape", Expression: Expected ":" before end of expression, at character 17. Fix the expression there; Test step shows what it gives.',
    );
    expect(problems[0]!.fieldMessage).toBe('Expected ":" before end of expression, at character 17. Fix the expression there; Test step shows what it gives.');
  });

  it("gives the position inside the expression where parsing stopped", () => {
    const [problem] = problemsOf(node("shape", "step.transform", { expression: '{ "a" trigger.x }' }));
    expect(problem!.message).toMatch(/Expected ":", got "trigger", at character \d+\./);
  });

  it("refuses a Condition in expression mode whose expression does not parse, not one in compare mode", () => {
    const [problem] = problemsOf(node("gate", "step.condition", { mode: "expression", expression: "trigger.x = " }));
    expect(problem).toMatchObject({ field: "expression", message: expect.stringMatching(/^Condition "Step gate", Expression: .*at character \d+\./) });
    // In compare mode the left value is a template, not JSONata: "(" is fine text there.
    expect(problemsOf(node("gate", "step.condition", { mode: "compare", left: "(", operator: "equals", right: "" }))).toEqual([]);
  });

  it("refuses a Condition with an empty left value, and an empty right value where the comparison needs one", () => {
    const empty = problemsOf(node("gate", "step.condition", { mode: "compare", left: "  ", operator: "equals", right: "" }));
    expect(empty).toEqual([
      expect.objectContaining({
        field: "left",
        message:
          'Condition "Step gate", Left value: It is empty, so there is nothing to compare. Enter the value to check, such as {{steps.fetch.output.status}}.',
      }),
    ]);
    const noRight = problemsOf(node("gate", "step.condition", { mode: "compare", left: "{{trigger.n}}", operator: "greater_than", right: "" }));
    expect(noRight).toEqual([expect.objectContaining({ field: "right", message: expect.stringContaining('"greater than" cannot decide') })]);
    // "equals" an empty text is a real question.
    expect(problemsOf(node("gate", "step.condition", { mode: "compare", left: "{{trigger.n}}", operator: "equals", right: "" }))).toEqual([]);
  });

  it("refuses an HTTP step without a usable address", () => {
    const http = (url: string) => node("call", "step.http", { method: "GET", url });
    expect(problemsOf(http("   "))).toEqual([expect.objectContaining({ field: "url", message: expect.stringContaining("URL: It is empty.") })]);
    expect(problemsOf(http("api.example.com/items"))).toEqual([
      expect.objectContaining({ field: "url", message: expect.stringContaining("Start it with https://") }),
    ]);
    expect(problemsOf(http("ftp://files.example.com"))).toHaveLength(1);
    expect(problemsOf(http("see {{trigger.url}}"))).toHaveLength(1);
    expect(problemsOf(http("{{trigger.url}}"))).toEqual([]);
    expect(problemsOf(http("  {{trigger.url}}/items"))).toEqual([]);
    expect(problemsOf(http("https://api.example.com/{{steps.fetch.output.body.id}}"))).toEqual([]);
  });

  it("refuses empty, malformed and unclosed references, naming the field (a header row included)", () => {
    const call = (headers: { name: string; value: string }[]) => node("call", "step.http", { method: "GET", url: "https://api.example.com", headers });
    const [empty] = problemsOf(call([{ name: "X-Id", value: "{{ }}" }]));
    expect(empty).toMatchObject({
      field: "headers.0.value",
      message:
        'HTTP request "Step call", Headers, row 1 value: {{}} is an empty reference. Write what it reads, such as {{trigger.body.id}}, or remove the braces.',
    });
    const [unclosed] = problemsOf(
      call([
        { name: "A", value: "ok" },
        { name: "X-Id", value: "id-{{trigger.id" },
      ]),
    );
    expect(unclosed).toMatchObject({
      field: "headers.1.value",
      message: expect.stringContaining('"{{trigger.id" (character 4) opens a reference that is never closed'),
    });
    const [wrongRoot] = problemsOf(call([{ name: "X-Key", value: "{{env.SECRET}}" }]));
    expect(wrongRoot!.message).toContain('must start with "trigger." or "steps.');
    // A trigger's sample payload is example data, never rendered: "{{" in it is just text.
    const doc = flowWith(node("shape", "step.transform", { expression: "1" }));
    doc.nodes[0] = node("trigger", "trigger.manual", { samplePayload: { note: "use {{ for templates" } });
    expect(validateRunnable(doc)).toEqual([]);
  });

  it("refuses references to a step that does not exist or does not run before, with a fix", () => {
    const doc = flowWith(node("wait", "step.delay", { mode: "until", until: "{{steps.later.output.when}}" }));
    doc.nodes.push(
      node("later", "step.transform", { expression: "1" }),
      node("ghostly", "step.delay", { mode: "until", until: "{{steps.ghost.output.when}}" }),
    );
    doc.edges.push({ id: "e3", source: "wait", target: "later" }, { id: "e4", source: "later", target: "ghostly" });
    const problems = validateRunnable(doc);
    expect(problems).toContainEqual({
      nodeId: "wait",
      field: "until",
      message:
        'Delay "Step wait", Until: {{steps.later.output.when}} reads "Step later", which does not run before it. Connect "Step later" before this step, or read a step that runs earlier.',
      fieldMessage:
        '{{steps.later.output.when}} reads "Step later", which does not run before it. Connect "Step later" before this step, or read a step that runs earlier.',
    });
    expect(problems).toContainEqual(
      expect.objectContaining({
        nodeId: "ghostly",
        field: "until",
        message: expect.stringContaining('reads the step "ghost", which is not in this flow. Pick an existing step'),
      }),
    );
  });

  it("refuses a Delay until a text that is not a time, unless a reference gives it", () => {
    expect(problemsOf(node("wait", "step.delay", { mode: "until", until: "next tuesday" }))).toEqual([
      expect.objectContaining({ field: "until", message: expect.stringContaining("not a point in time") }),
    ]);
    expect(problemsOf(node("wait", "step.delay", { mode: "until", until: "2026-12-24T09:00:00Z" }))).toEqual([]);
  });

  it("says how to fix a JSON body that quotes a whole HTTP output: drop the quotes", () => {
    const call = node("call", "step.http", {
      method: "POST",
      url: "https://api.example.com",
      body: { kind: "json", json: '{"data": "{{steps.fetch.output}}"}' },
    });
    expect(problemsOf(call)).toEqual([
      expect.objectContaining({
        field: "body.json",
        message:
          'HTTP request "Step call", JSON body: "{{steps.fetch.output}}" puts the step\'s whole output (an object) inside quotes, which is not valid JSON after mapping. Drop the quotes to insert the object: {{steps.fetch.output}}.',
      }),
    ]);
  });

  it("refuses a JSON body that is not JSON whatever the references give, with the position", () => {
    const body = (json: string) => node("call", "step.http", { method: "POST", url: "https://api.example.com", body: { kind: "json", json } });
    const [broken] = problemsOf(body('{"name": "{{trigger.name}}",}'));
    expect(broken).toMatchObject({
      field: "body.json",
      message: expect.stringMatching(/JSON body: It is not valid JSON, at character 29\. Fix the JSON there/),
    });
    expect(problemsOf(body('{"name": "{{trigger.name}}"'))[0]!.message).toContain("not valid JSON");
    expect(problemsOf(body('{"n": {{trigger.count}}, "s": "a \\" {{trigger.x}}"}'))).toEqual([]);
  });

  it("names the step and field in every new problem, so the list reads on its own", () => {
    const doc = flowWith(node("shape", "step.transform", { expression: "(" }));
    doc.nodes.push(node("gate", "step.condition", { mode: "compare", left: "", operator: "equals", right: "" }));
    doc.edges.push({ id: "e3", source: "shape", target: "gate" });
    const problems = validateRunnable(doc);
    expect(problems.map((p) => [p.nodeId, p.field])).toEqual([
      ["shape", "expression"],
      ["gate", "left"],
    ]);
    for (const problem of problems) {
      expect(problem.field).toBeTruthy();
      expect(problem.message).toMatch(/^(Transform "Step shape", Expression|Condition "Step gate", Left value): /);
    }
  });
});

describe("validateRunnable on hostile expressions", () => {
  const time = (expression: string) => {
    const started = performance.now();
    const problems = problemsOf(node("shape", "step.transform", { expression }));
    return { problems, ms: performance.now() - started };
  };

  it("refuses a path of thousands of steps before parsing it (parsing one is quadratic)", () => {
    const { problems, ms } = time(`a${".b".repeat(4999)}`);
    expect(problems).toEqual([expect.objectContaining({ field: "expression", message: expect.stringContaining("A path in it has more than 200 steps") })]);
    expect(ms).toBeLessThan(100);
  });

  it("says in words when nesting is too deep to parse, instead of throwing", () => {
    const { problems, ms } = time("(".repeat(4999) + "1" + ")".repeat(4999));
    expect(problems).toEqual([expect.objectContaining({ field: "expression", message: expect.stringContaining("nests too deeply") })]);
    expect(ms).toBeLessThan(1000);
  });

  it("parses the longest expressions the schema allows in well under a second", () => {
    for (const expression of [
      `[${Array.from({ length: 1200 }, () => "a.b.c").join(",")}]`.slice(0, 10_000),
      Array.from({ length: 1600 }, () => "$x")
        .join(" and ")
        .slice(0, 10_000),
      `/${"(a+)+".repeat(1600)}/`,
    ]) {
      const { ms } = time(expression);
      expect(ms, expression.slice(0, 20)).toBeLessThan(500);
    }
  });

  it("does not parse anything longer than the schema allows", () => {
    const { problems } = time(`1${" ".repeat(10_000)}`);
    expect(problems.some((p) => p.message.includes("longer than 10,000 characters"))).toBe(true);
  });
});
