// The runnable check of each step's values, field by field: every `{{...}}` reference
// (well formed, closed, reading a step that exists and runs before), every JSONata
// expression (it parses), a JSON body (it can give JSON) and the values a step cannot
// run without (a Condition's left value, an HTTP step's address). Each problem names
// the step, the field and a fix; `fieldMessage` is the same without the step and field,
// for showing under the field itself. Linear in the size of the step's config.
import { isNodeType, isTriggerType, NODE_TYPE_LABELS } from "./node-types";
import { findExpressionReads } from "./expression-references";
import { jsonataSyntaxProblem } from "./jsonata-syntax";
import { findReferences, FlowReferenceError, type TReference } from "./references";
import { jsonTemplateProblem, unclosedTemplate } from "./template-syntax";
import type { TFlowNode } from "./document";

export type TFieldProblem = { nodeId: string; field: string; message: string; fieldMessage: string };
/** Whether `before` always or sometimes runs before `nodeId`; null when the flow has a loop (nothing can be said). */
export type TRunsBefore = ((before: string, nodeId: string) => boolean) | null;

type TPath = (string | number)[];

const FIELD_LABELS: Record<string, string> = {
  expression: "Expression",
  left: "Left value",
  right: "Right value",
  until: "Until",
  url: "URL",
  query: "Query parameters",
  headers: "Headers",
  "body.json": "JSON body",
  "body.text": "Body text",
  "body.fields": "Form fields",
  body: "Body",
  cron: "Cron expression",
  samplePayload: "Sample payload",
  items: "List",
  input: "Input",
  message: "Message",
  flowId: "Flow",
  onError: "On error",
};

/** "URL", "Headers, row 2 value", …: how the inspector names the field. */
export function fieldLabelOf(path: TPath): string {
  const rowAt = path.findIndex((segment) => typeof segment === "number");
  if (rowAt > 0) {
    const list = FIELD_LABELS[path.slice(0, rowAt).join(".")] ?? path.slice(0, rowAt).join(".");
    return `${list}, row ${(path[rowAt] as number) + 1}${path.length > rowAt + 1 ? ` ${path.slice(rowAt + 1).join(".")}` : ""}`;
  }
  const key = path.join(".");
  return FIELD_LABELS[key] ?? (path[0] === "samplePayload" ? "Sample payload" : key);
}

function stringsOf(value: unknown, path: TPath, out: [TPath, string][]): [TPath, string][] {
  if (typeof value === "string") out.push([path, value]);
  else if (Array.isArray(value)) value.forEach((item, index) => stringsOf(item, [...path, index], out));
  else if (value && typeof value === "object") for (const [key, item] of Object.entries(value)) stringsOf(item, [...path, key], out);
  return out;
}

/** The JSONata fields of a step: read by the expression pool as written, never rendered. */
function isJsonataField(node: TFlowNode, path: TPath): boolean {
  if (path.length !== 1 || path[0] !== "expression") return false;
  return node.type === "step.transform" || (node.type === "step.condition" && node.config.mode === "expression");
}

const ORDERING_OPERATORS = new Set(["greater_than", "greater_or_equal", "less_than", "less_or_equal", "contains", "not_contains"]);
// The whole output of these step types is always an object (status, headers, body).
const OBJECT_OUTPUT_TYPES = new Set(["step.http"]);

function at(position: number | undefined): string {
  return position === undefined ? "" : `, at character ${position}`;
}

class NodeProblems {
  readonly list: TFieldProblem[] = [];
  private readonly label: string;
  constructor(private readonly node: TFlowNode) {
    this.label = isNodeType(node.type) ? NODE_TYPE_LABELS[node.type] : "Step";
  }
  add(path: TPath, what: string, fix: string) {
    const fieldMessage = `${what}${fix ? ` ${fix}` : ""}`;
    this.list.push({
      nodeId: this.node.id,
      field: path.join("."),
      message: `${this.label} "${this.node.name}", ${fieldLabelOf(path)}: ${fieldMessage}`,
      fieldMessage,
    });
  }
}

function checkReference(
  reference: TReference,
  path: TPath,
  node: TFlowNode,
  nodes: ReadonlyMap<string, TFlowNode>,
  runsBefore: TRunsBefore,
  loops: ReadonlySet<string>,
  problems: NodeProblems,
) {
  const text = `{{${reference.source}}}`;
  if (reference.root === "loop") {
    if (loops.size === 0) {
      problems.add(
        path,
        `${text} reads the current item of a loop, but this step does not run inside a loop.`,
        "Connect it on a loop's each path, or read the data another way.",
      );
    }
    return;
  }
  if (reference.stepId && loops.has(reference.stepId)) {
    const loop = nodes.get(reference.stepId)!;
    problems.add(
      path,
      `${text} reads the loop "${loop.name}", whose output is there only once every item has run.`,
      "Inside the loop, read the current item: {{loop.item}} or {{loop.index}}.",
    );
    return;
  }
  if (reference.root === "trigger") {
    if (isTriggerType(node.type)) problems.add(path, `A trigger cannot read ${text}: it is where the data comes from.`, "Remove the reference.");
    return;
  }
  const stepId = reference.stepId!;
  const step = nodes.get(stepId);
  if (!step) {
    problems.add(path, `${text} reads the step "${stepId}", which is not in this flow.`, "Pick an existing step with Insert reference, or fix the step id.");
  } else if (runsBefore && !runsBefore(stepId, node.id)) {
    problems.add(
      path,
      `${text} reads "${step.name}", which does not run before it.`,
      `Connect "${step.name}" before this step, or read a step that runs earlier.`,
    );
  } else if (reference.path[2] !== "output") {
    problems.add(path, `${text} must read the step's output.`, `Write {{steps.${stepId}.output...}}.`);
  }
}

function checkTemplates(
  text: string,
  path: TPath,
  node: TFlowNode,
  nodes: ReadonlyMap<string, TFlowNode>,
  runsBefore: TRunsBefore,
  loops: ReadonlySet<string>,
  problems: NodeProblems,
  isJsonata: boolean,
) {
  let references: TReference[];
  try {
    references = findReferences(text);
  } catch (error) {
    if (!(error instanceof FlowReferenceError)) throw error;
    const isEmpty = /\{\{\s*\}\}/.test(text);
    problems.add(
      path,
      isEmpty ? "{{}} is an empty reference." : error.message,
      isEmpty
        ? "Write what it reads, such as {{trigger.body.id}}, or remove the braces."
        : "Write a path such as {{steps.<step id>.output.field}}, or pick one with Insert reference.",
    );
    return;
  }
  for (const reference of references) checkReference(reference, path, node, nodes, runsBefore, loops, problems);
  // Inside JSONata, `{{` is the expression's own text (its parser judges it); a trigger's
  // settings (a sample payload) are never rendered.
  const unclosed = isJsonata || isTriggerType(node.type) ? null : unclosedTemplate(text);
  if (unclosed) {
    problems.add(
      path,
      `"${unclosed.excerpt}" (character ${unclosed.position}) opens a reference that is never closed, so it would be sent as plain text.`,
      "Close it with }} or remove the {{.",
    );
  }
}

/** `"{{steps.fetch.output}}"` in a JSON body puts an object's JSON inside quotes: never valid JSON. */
function quotedObjectReference(text: string, nodes: ReadonlyMap<string, TFlowNode>): string | null {
  for (const match of text.matchAll(/"\{\{([^{}]{0,500})\}\}"/g)) {
    let reference: TReference | undefined;
    try {
      [reference] = findReferences(match[0].slice(1, -1));
    } catch {
      continue;
    }
    const step = reference?.stepId ? nodes.get(reference.stepId) : undefined;
    if (reference && step && OBJECT_OUTPUT_TYPES.has(step.type) && reference.path.length === 3 && reference.path[2] === "output") return reference.source;
  }
  return null;
}

function checkJsonBody(text: string, path: TPath, nodes: ReadonlyMap<string, TFlowNode>, problems: NodeProblems) {
  const quoted = quotedObjectReference(text, nodes);
  if (quoted) {
    problems.add(
      path,
      `"{{${quoted}}}" puts the step's whole output (an object) inside quotes, which is not valid JSON after mapping.`,
      `Drop the quotes to insert the object: {{${quoted}}}.`,
    );
    return;
  }
  const problem = jsonTemplateProblem(text);
  if (problem) {
    problems.add(
      path,
      `${problem.message.replace(/\.$/, "")}${at(problem.position)}.`,
      'Fix the JSON there. A reference to text goes inside quotes ("{{trigger.name}}"); one to an object, a list or a number goes without ({{steps.fetch.output.body}}).',
    );
  }
}

function isHttpAddress(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function checkRequiredValues(node: TFlowNode, problems: NodeProblems) {
  const config = node.config;
  const text = (key: string) => (typeof config[key] === "string" ? (config[key] as string) : null);
  if (node.type === "step.condition" && config.mode === "compare") {
    if (text("left")?.trim() === "")
      problems.add(["left"], "It is empty, so there is nothing to compare.", "Enter the value to check, such as {{steps.fetch.output.status}}.");
    if (text("right")?.trim() === "" && ORDERING_OPERATORS.has(String(config.operator))) {
      problems.add(["right"], `It is empty, so "${String(config.operator).replace(/_/g, " ")}" cannot decide.`, "Enter the value to compare with.");
    }
  }
  if (node.type === "step.http") {
    const url = text("url");
    if (url !== null && url !== "") {
      // The run's URL parser ignores spaces around the address, so these checks do too.
      const address = url.trim();
      const firstReference = address.indexOf("{{");
      if (address === "") problems.add(["url"], "It is empty.", "Enter the address to call, such as https://api.example.com/items.");
      else if (firstReference < 0 ? !isHttpAddress(address) : firstReference > 0 && !/^https?:\/\//i.test(address)) {
        problems.add(["url"], "It is not a full web address.", "Start it with https:// (or http://), such as https://api.example.com/items.");
      }
    }
  }
  if (node.type === "step.delay" && config.mode === "until") {
    const until = text("until");
    // The same reading as the run's (interpreter.ts: `new Date(value)`).
    if (until && !until.includes("{{") && Number.isNaN(new Date(until).getTime())) {
      problems.add(["until"], "It is not a point in time.", "Write an ISO time such as 2026-12-24T09:00:00Z, or insert a reference that gives one.");
    }
  }
}

const NO_LOOPS: ReadonlySet<string> = new Set();

/**
 * Every problem in one step's values; `nodes` are the flow's steps by id, `loops` the
 * loops whose body holds the step (lib/flows/loops.ts): only there can it read `{{loop.*}}`.
 */
export function nodeFieldProblems(
  node: TFlowNode,
  nodes: ReadonlyMap<string, TFlowNode>,
  runsBefore: TRunsBefore,
  loops: ReadonlySet<string> = NO_LOOPS,
): TFieldProblem[] {
  const problems = new NodeProblems(node);
  for (const [path, text] of stringsOf(node.config, [], [])) {
    const isJsonata = isJsonataField(node, path);
    checkTemplates(text, path, node, nodes, runsBefore, loops, problems, isJsonata);
    if (isJsonata && text.trim() !== "") {
      if (loops.size === 0 && text.includes("loop") && findExpressionReads(text).readsLoop) {
        problems.add(
          path,
          "It reads loop.item or loop.index, but this step does not run inside a loop.",
          "Connect it on a loop's each path, or read the data another way.",
        );
      }
      const syntax = jsonataSyntaxProblem(text);
      if (syntax) problems.add(path, `${syntax.message.replace(/\.$/, "")}${at(syntax.position)}.`, "Fix the expression there; Test step shows what it gives.");
    }
  }
  checkRequiredValues(node, problems);
  const body = node.config.body as { kind?: unknown; json?: unknown } | undefined;
  if (node.type === "step.http" && body?.kind === "json" && typeof body.json === "string") checkJsonBody(body.json, ["body", "json"], nodes, problems);
  return problems.list;
}
