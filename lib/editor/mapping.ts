// Data mapping in the editor: which steps a node may read from, the fields their last
// sample offers, the `{{...}}` text that reads one, and what is wrong with the
// references a field already holds. Pure; the paths are checked with the engine's own
// parser (lib/flows/references.ts), so the picker never offers a reference that the
// run would refuse.
import { appStepOf } from "@/lib/apps/registry";
import type { TFlowDocument } from "@/lib/flows/document";
import { isTriggerType } from "@/lib/flows/node-types";
import { findReferences, FlowReferenceError, FORBIDDEN_SEGMENTS, lookupPath, parsePath, type TPathSegment } from "@/lib/flows/references";
import { ownValue } from "@/lib/flows/own-value";
import type { TStepSample, TStepSamples } from "@/lib/flows/step-sample";
import { downstreamNodeIds, upstreamNodeIds } from "@/lib/flows/upstream-nodes";

/** How a field reads data: `{{...}}` templates, or a JSONata expression over `{ trigger, steps }`. */
export type TMappingKind = "template" | "jsonata";

// ---------------------------------------------------------------------------------------
// Samples (which steps run before which: lib/flows/upstream-nodes.ts, the engine's rule)

/** A node's sample, or undefined (ids such as `toString` find nothing built in). */
export function sampleOf(samples: TStepSamples, nodeId: string): TStepSample | undefined {
  return ownValue(samples, nodeId);
}

// ---------------------------------------------------------------------------------------
// Fields of a sample

export type TValueType = "string" | "number" | "boolean" | "null" | "object" | "array";

export type TSampleField = {
  /** The path below the node's output (empty: the whole output). */
  path: TPathSegment[];
  type: TValueType;
  /** A short, one-line look at the value. */
  preview: string;
};

export type TFlattenLimits = { maxDepth: number; maxFields: number; maxArrayItems: number; maxPreview: number };

export const FLATTEN_LIMITS: TFlattenLimits = { maxDepth: 6, maxFields: 200, maxArrayItems: 3, maxPreview: 60 };

export function typeOfValue(value: unknown): TValueType {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "object";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return typeof value as TValueType;
  return "null";
}

function previewOf(value: unknown, max: number): string {
  const type = typeOfValue(value);
  let text: string;
  if (type === "array") text = `${(value as unknown[]).length} item${(value as unknown[]).length === 1 ? "" : "s"}`;
  else if (type === "object") {
    const keys = Object.keys(value as object);
    text = keys.length === 0 ? "{}" : `{ ${keys.join(", ")} }`;
  } else text = value === undefined ? "null" : JSON.stringify(value);
  text = text.replace(/\s+/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The fields a sample offers, breadth-first (shallow fields first), bounded in depth,
 * count and array items, so a huge output still gives a short list.
 */
export function flattenSample(value: unknown, limits: Partial<TFlattenLimits> = {}): { fields: TSampleField[]; isTruncated: boolean } {
  const { maxDepth, maxFields, maxArrayItems, maxPreview } = { ...FLATTEN_LIMITS, ...limits };
  const fields: TSampleField[] = [{ path: [], type: typeOfValue(value), preview: previewOf(value, maxPreview) }];
  let isTruncated = false;
  const queue: { path: TPathSegment[]; value: unknown }[] = [{ path: [], value }];
  while (queue.length > 0) {
    const { path, value: current } = queue.shift()!;
    const type = typeOfValue(current);
    if (type !== "object" && type !== "array") continue;
    if (path.length >= maxDepth) {
      isTruncated = true;
      continue;
    }
    const children: [TPathSegment, unknown][] =
      type === "array"
        ? (current as unknown[]).slice(0, maxArrayItems).map((item, index) => [index, item])
        : Object.entries(current as Record<string, unknown>);
    if (type === "array" && (current as unknown[]).length > maxArrayItems) isTruncated = true;
    for (const [segment, child] of children) {
      if (fields.length >= maxFields) return { fields, isTruncated: true };
      const childPath = [...path, segment];
      fields.push({ path: childPath, type: typeOfValue(child), preview: previewOf(child, maxPreview) });
      queue.push({ path: childPath, value: child });
    }
  }
  return { fields, isTruncated };
}

// ---------------------------------------------------------------------------------------
// Reference text

export type TMappingSource = { kind: "trigger" } | { kind: "step"; stepId: string };

/** The full path from the scope's root: `trigger...` or `steps.<id>.output...`. */
export function rootPathOf(source: TMappingSource, path: readonly TPathSegment[]): TPathSegment[] {
  return source.kind === "trigger" ? ["trigger", ...path] : ["steps", source.stepId, "output", ...path];
}

const TEMPLATE_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * A path in the template language: `a.b[0]["c d"]`, or null when a name cannot be
 * spelled (it holds both quote kinds, a backslash, a bracket or a brace) or the parser
 * refuses the result (too long, a forbidden name).
 */
export function formatTemplatePath(path: readonly TPathSegment[]): string | null {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (TEMPLATE_NAME.test(segment)) text += text === "" ? segment : `.${segment}`;
    else if (/[{}\]\\]/.test(segment)) return null;
    else if (!segment.includes('"')) text += `["${segment}"]`;
    else if (!segment.includes("'")) text += `['${segment}']`;
    else return null;
  }
  if (text.length > 500) return null;
  try {
    const parsed = parsePath(text);
    return parsed.length === path.length && parsed.every((segment, i) => segment === path[i]) ? text : null;
  } catch (error) {
    if (error instanceof FlowReferenceError) return null;
    throw error;
  }
}

const JSONATA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const JSONATA_WORDS = new Set(["and", "or", "in", "true", "false", "null", "function"]);

/**
 * A path in JSONata: names that are not plain identifiers go in backticks. Null for a
 * name with a backtick (JSONata has no escape for it) or one the engine forbids.
 */
export function formatJsonataPath(path: readonly TPathSegment[]): string | null {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") {
      text += `[${segment}]`;
      continue;
    }
    if (FORBIDDEN_SEGMENTS.has(segment)) return null;
    let name: string;
    if (JSONATA_NAME.test(segment) && !JSONATA_WORDS.has(segment)) name = segment;
    else if (segment.includes("`")) return null;
    else name = `\`${segment}\``;
    text += text === "" ? name : `.${name}`;
  }
  return text;
}

/** The text the picker inserts: `{{steps.fetch.output.items[0].id}}`, or a JSONata path. */
export function referenceText(kind: TMappingKind, source: TMappingSource, path: readonly TPathSegment[]): string | null {
  const full = rootPathOf(source, path);
  if (kind === "jsonata") return formatJsonataPath(full);
  const text = formatTemplatePath(full);
  return text === null ? null : `{{${text}}}`;
}

/** `value` with `insert` replacing the selection (or at the caret), and where the caret goes after it. */
export function insertAtCaret(value: string, selectionStart: number | null, selectionEnd: number | null, insert: string): { value: string; caret: number } {
  const clamp = (n: number | null, fallback: number) => Math.min(Math.max(n ?? fallback, 0), value.length);
  const start = clamp(selectionStart, value.length);
  const end = Math.max(start, clamp(selectionEnd, start));
  return { value: value.slice(0, start) + insert + value.slice(end), caret: start + insert.length };
}

/** Whether `at` lies inside a JSON string of `text` (a quote opened before it and not closed). */
function isInsideJsonString(text: string, at: number): boolean {
  let isInString = false;
  for (let i = 0; i < at; i += 1) {
    if (isInString && text[i] === "\\") i += 1;
    else if (text[i] === '"') isInString = !isInString;
  }
  return isInString;
}

/**
 * A reference inserted into a JSON body, in the form that gives JSON after mapping. The
 * run pastes a reference's value in as text (objects as JSON), so text belongs inside
 * quotes (`"{{trigger.name}}"`) and an object, a list, a number or a boolean outside
 * (`{{steps.fetch.output}}`): picked between empty quotes, those quotes go. What the
 * value is comes from the last sample; without one, a whole output counts as an object
 * and a field as text.
 */
export function insertIntoJson(
  value: string,
  selectionStart: number | null,
  selectionEnd: number | null,
  option: Pick<TPickerOption, "text" | "type" | "label">,
): { value: string; caret: number } {
  const clamp = (n: number | null, fallback: number) => Math.min(Math.max(n ?? fallback, 0), value.length);
  const start = clamp(selectionStart, value.length);
  const end = Math.max(start, clamp(selectionEnd, start));
  const isText = option.type === "string" || (option.type === "unknown" && option.label !== "");
  if (isInsideJsonString(value, start)) {
    const isEmptyString = value[start - 1] === '"' && value[end] === '"' && !isInsideJsonString(value, start - 1);
    if (isText || !isEmptyString) return insertAtCaret(value, start, end, option.text);
    // Between empty quotes: the quotes go, the value is inserted as JSON.
    return insertAtCaret(value, start - 1, end + 1, option.text);
  }
  return insertAtCaret(value, start, end, isText ? `"${option.text}"` : option.text);
}

// ---------------------------------------------------------------------------------------
// The picker's list

export type TPickerOption = {
  /** Unique in the picker: node id and path. */
  id: string;
  /** What is inserted. */
  text: string;
  /** The path below the node's data, as shown ("items[0].id"); "" for the whole output. */
  label: string;
  /** "unknown": the node has no sample yet, so nothing says what its output holds. */
  type: TValueType | "unknown";
  preview: string;
};

export type TPickerGroup = {
  nodeId: string;
  name: string;
  isTrigger: boolean;
  /** False: no sample yet, so only the whole output is offered. */
  hasSample: boolean;
  options: TPickerOption[];
  /** Some fields were left out (depth, count, array items, or names a reference cannot spell). */
  isTruncated: boolean;
};

/**
 * What a field of `nodeId` may read: the trigger (always there, so always offered),
 * then each upstream step in run order, each with the fields of its last sample.
 */
export function buildPickerGroups(document: TFlowDocument, nodeId: string, samples: TStepSamples, kind: TMappingKind): TPickerGroup[] {
  const node = document.nodes.find((n) => n.id === nodeId);
  if (!node || isTriggerType(node.type)) return [];
  const trigger = document.nodes.find((n) => isTriggerType(n.type));
  const ids = [...(trigger ? [trigger.id] : []), ...upstreamNodeIds(document, nodeId).filter((id) => id !== trigger?.id)];
  const names = new Map(document.nodes.map((n) => [n.id, n.name]));
  return ids.map((id) => {
    const source: TMappingSource = id === trigger?.id ? { kind: "trigger" } : { kind: "step", stepId: id };
    const sample = sampleOf(samples, id);
    // Without a test or run yet, an app step's typed example output (lib/apps) offers its fields.
    const declared = sample ? undefined : appStepOf(document.nodes.find((n) => n.id === id)?.type ?? "")?.outputSample;
    const { fields, isTruncated } = sample
      ? flattenSample(sample.output)
      : declared !== undefined
        ? flattenSample(declared)
        : { fields: [{ path: [], type: "unknown" as const, preview: "" }], isTruncated: false };
    const options: TPickerOption[] = [];
    for (const field of fields) {
      const text = referenceText(kind, source, field.path);
      if (text === null) continue;
      const label = field.path.length === 0 ? "" : (formatTemplatePath(field.path) ?? field.path.join("."));
      options.push({ id: `${id}:${label}`, text, label, type: field.type, preview: field.preview });
    }
    return {
      nodeId: id,
      name: names.get(id) ?? id,
      isTrigger: source.kind === "trigger",
      hasSample: Boolean(sample),
      options,
      isTruncated: isTruncated || options.length < fields.length,
    };
  });
}

/** Groups whose name matches every word keep all options; others keep the options that match. */
export function filterPickerGroups(groups: readonly TPickerGroup[], query: string): TPickerGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...groups];
  const matches = (text: string) => words.every((word) => text.toLowerCase().includes(word));
  return groups
    .map((group) =>
      matches(`${group.name} ${group.nodeId}`)
        ? group
        : { ...group, options: group.options.filter((o) => matches(`${group.name} ${group.nodeId} ${o.label} ${o.text}`)) },
    )
    .filter((group) => group.options.length > 0);
}

// ---------------------------------------------------------------------------------------
// Checking the references in a field

export type TReferenceStatus = "ok" | "unknown_step" | "not_upstream" | "malformed" | "unclosed" | "not_in_sample";

export type TReferenceCheck = {
  /** The text between the braces (trimmed), or the unclosed `{{...` text. */
  source: string;
  start: number;
  end: number;
  status: TReferenceStatus;
  /** "error": the run check refuses it; "hint": it may still work (the sample is only an example). */
  severity: "ok" | "error" | "hint";
  /** Why it is flagged, in words; for "ok", what it reads. */
  message: string;
  /** The node it reads, when it names one of this flow. */
  nodeId: string | null;
};

// The engine's template pattern (references.ts); each match is then parsed by findReferences.
const TEMPLATE = /\{\{([^{}]{0,500})\}\}/g;

type TCheckContext = {
  document: TFlowDocument;
  nodeId: string;
  samples: TStepSamples;
  /** upstreamNodeIds(document, nodeId), when the caller already has it (computed here otherwise). */
  upstream?: ReadonlySet<string>;
};
type TCheckScope = Omit<TCheckContext, "upstream"> & { upstream: () => ReadonlySet<string> };

/** Every `{{...}}` in `text`, each with what the run check and the samples say about it. */
export function checkReferences(text: string, context: TCheckContext): TReferenceCheck[] {
  let upstream = context.upstream;
  const scope: TCheckScope = { ...context, upstream: () => (upstream ??= new Set(upstreamNodeIds(context.document, context.nodeId))) };
  const checks: TReferenceCheck[] = [];
  let covered = 0;
  for (const match of text.matchAll(TEMPLATE)) {
    const start = match.index;
    const end = start + match[0].length;
    checks.push(...unclosedBetween(text, covered, start));
    covered = end;
    const source = match[1]!.trim();
    try {
      const [reference] = findReferences(match[0]);
      checks.push({ ...checkOne(reference!.path, source, scope), source, start, end });
    } catch (error) {
      if (!(error instanceof FlowReferenceError)) throw error;
      checks.push({ source, start, end, status: "malformed", severity: "error", message: error.message, nodeId: null });
    }
  }
  checks.push(...unclosedBetween(text, covered, text.length));
  return checks;
}

/**
 * A `{{` with no matching `}}` would be sent as plain text at run time: almost always a
 * reference typed halfway, so the run check refuses it (field-problems.ts) and so does this.
 */
function unclosedBetween(text: string, from: number, to: number): TReferenceCheck[] {
  const at = text.indexOf("{{", from);
  if (at < 0 || at + 2 > to) return [];
  const source = text.slice(at, Math.min(to, at + 40));
  return [
    {
      source,
      start: at,
      end: to,
      status: "unclosed",
      severity: "error",
      message: `"${source}" is not closed with }}: close it or remove the {{.`,
      nodeId: null,
    },
  ];
}

type TCheckResult = Omit<TReferenceCheck, "source" | "start" | "end">;

function checkOne(path: TPathSegment[], source: string, { document, nodeId, samples, upstream }: TCheckScope): TCheckResult {
  const node = document.nodes.find((n) => n.id === nodeId);
  // Inside a loop's body: the current item and its index (the runnable check refuses them elsewhere).
  if (path[0] === "loop")
    return {
      status: "ok",
      severity: "ok",
      message: path[1] === "index" ? "Reads the current item's index (from 0)." : "Reads the loop's current item.",
      nodeId: null,
    };
  if (path[0] === "trigger") {
    if (node && isTriggerType(node.type))
      return { status: "not_upstream", severity: "error", message: "The trigger cannot read data: it is where the data comes from.", nodeId: null };
    const trigger = document.nodes.find((n) => isTriggerType(n.type));
    return checkSample(trigger?.id ?? null, path.slice(1), source, samples, `Reads the trigger's data${trigger ? ` (${trigger.name})` : ""}.`);
  }
  const stepId = String(path[1]);
  const step = document.nodes.find((n) => n.id === stepId);
  if (!step) return { status: "unknown_step", severity: "error", message: `There is no step "${stepId}" in this flow.`, nodeId: null };
  if (stepId === nodeId) return { status: "not_upstream", severity: "error", message: `A step cannot read its own output.`, nodeId: stepId };
  if (!upstream().has(stepId)) {
    const isAfter = downstreamNodeIds(document, nodeId).has(stepId);
    const why = isAfter ? "runs after this step" : "is not on a path before this step (it runs in parallel or not at all)";
    return { status: "not_upstream", severity: "error", message: `"${step.name}" ${why}, so its output is not there yet.`, nodeId: stepId };
  }
  if (path[2] !== "output") {
    return { status: "malformed", severity: "error", message: `A reference reads a step's output: steps.${stepId}.output...`, nodeId: stepId };
  }
  return checkSample(stepId, path.slice(3), source, samples, `Reads the output of "${step.name}".`);
}

function checkSample(nodeId: string | null, path: TPathSegment[], source: string, samples: TStepSamples, okMessage: string): TCheckResult {
  const sample = nodeId ? sampleOf(samples, nodeId) : undefined;
  if (!sample || path.length === 0) return { status: "ok", severity: "ok", message: okMessage, nodeId };
  try {
    lookupPath(sample.output, path, source);
    return { status: "ok", severity: "ok", message: okMessage, nodeId };
  } catch (error) {
    if (!(error instanceof FlowReferenceError)) throw error;
    const where = formatTemplatePath(path) ?? path.join(".");
    return {
      status: "not_in_sample",
      severity: "hint",
      message: `The last sample has nothing at ${where}; check the name (a sample is only an example).`,
      nodeId,
    };
  }
}
