// Completions for expression fields: after `trigger.`, `steps.` or `steps.<id>.output.`
// (and `loop.` inside a loop body), the names the samples hold at that path. Pure: the
// field gives the text, the caret and what the editor knows (samples of the trigger and
// of the steps that run before this one); this says what may follow and what to insert.
// Names a JSONata path cannot spell plainly go in backticks; in a template, in ["..."].
import { FORBIDDEN_SEGMENTS, type TPathSegment } from "@/lib/flows/references";
import type { TMappingKind } from "./mapping";
import { typeOfValue, type TValueType } from "./mapping";

export type TCompletionStep = { id: string; name: string; hasSample: boolean; output: unknown };

/** What the field's step may read, with the samples known for it. */
export type TCompletionScope = {
  /** The trigger's sample payload; undefined when there is none (then only `trigger` itself is offered). */
  trigger: unknown;
  hasTriggerSample: boolean;
  /** The steps that run before this one, in run order. */
  steps: readonly TCompletionStep[];
  /** Inside a loop body: `loop.item` (a sample item, when known) and `loop.index`. */
  loop?: { item: unknown; hasItemSample: boolean } | null;
};

export type TCompletion = {
  /** Shown in the list. */
  label: string;
  /** Replaces text[from, caret). */
  insert: string;
  from: number;
  type: TValueType | "step" | "unknown";
  /** A short word on what it is (a step's name, a value's look). */
  detail: string;
};

export type TCompletionResult = { from: number; items: TCompletion[] };

export const MAX_COMPLETIONS = 50;

const JSONATA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const JSONATA_WORDS = new Set(["and", "or", "in", "true", "false", "null", "function"]);
const TEMPLATE_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

type TTyped = {
  /** The path before the last separator, parsed. */
  parent: TPathSegment[];
  /** The name being typed after it. */
  partial: string;
  /** Where the partial name starts, and where its separator (".") starts. */
  partialStart: number;
  separatorStart: number;
  /** Where the whole typed path starts. */
  pathStart: number;
};

/** Whether `at` is inside a JSONata string, backtick name or comment. */
function isInsideJsonataLiteral(text: string, at: number): boolean {
  for (let i = 0; i < at; i += 1) {
    const char = text[i]!;
    if (char === '"' || char === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== char) j += text[j] === "\\" ? 2 : 1;
      if (j >= at) return true;
      i = j;
    } else if (char === "`") {
      const end = text.indexOf("`", i + 1);
      if (end < 0 || end >= at) return true;
      i = end;
    } else if (char === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0 || end + 2 > at) return true;
      i = end + 1;
    }
  }
  return false;
}

/**
 * The path typed just before the caret: dotted names (JSONata may quote one in
 * backticks) with optional `[n]` indexes. Null when the caret does not end a path.
 */
function typedPath(before: string, kind: TMappingKind): TTyped | null {
  const name = kind === "jsonata" ? "(?:[A-Za-z_][A-Za-z0-9_]*|`[^`]*`)" : "(?:[A-Za-z_$][A-Za-z0-9_$-]*)";
  const index = kind === "jsonata" ? "(?:\\[\\d{1,9}\\])*" : "(?:\\[(?:\\d{1,9}|\"[^\"\\]]*\"|'[^'\\]]*')\\])*";
  const pattern = new RegExp(`(?:${name}${index}\\.)*(?:[A-Za-z_][A-Za-z0-9_${kind === "template" ? "$-" : ""}]*)?$`);
  const tail = before.slice(-600);
  const match = pattern.exec(tail);
  if (!match) return null;
  const startInTail = match.index;
  const preceding = tail[startInTail - 1];
  // `$x.a` is a variable's path, `a.b` after a word character is not a whole path.
  if (preceding !== undefined && /[A-Za-z0-9_$`\]\)]/.test(preceding)) return null;
  const typed = match[0];
  const dot = typed.lastIndexOf(".");
  const offset = before.length - tail.length + startInTail;
  const parentText = dot < 0 ? "" : typed.slice(0, dot);
  const parent = parseTypedPath(parentText, kind);
  if (!parent) return null;
  return { parent, partial: typed.slice(dot + 1), partialStart: offset + dot + 1, separatorStart: offset + Math.max(dot, 0), pathStart: offset };
}

function parseTypedPath(text: string, kind: TMappingKind): TPathSegment[] | null {
  if (text === "") return [];
  const segments: TPathSegment[] = [];
  const pattern =
    kind === "jsonata"
      ? /`([^`]*)`|([A-Za-z_][A-Za-z0-9_]*)|\[(\d{1,9})\]|\./g
      : /([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d{1,9})\]|\["([^"\]]*)"\]|\['([^'\]]*)'\]|\./g;
  for (const match of text.matchAll(pattern)) {
    if (match[0] === ".") continue;
    if (kind === "jsonata") {
      if (match[3] !== undefined) segments.push(Number(match[3]));
      else segments.push((match[1] ?? match[2])!);
    } else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push((match[1] ?? match[3] ?? match[4])!);
  }
  return segments;
}

/** Where the caret stands in a template: inside an open `{{`, after what. Null outside a reference. */
function templateBefore(text: string, caret: number): string | null {
  const before = text.slice(0, caret);
  const open = before.lastIndexOf("{{");
  if (open < 0) return null;
  const inner = before.slice(open + 2);
  // Leading spaces inside the braces are allowed (`{{ trigger.x }}`): the path starts after them.
  return /[{}]/.test(inner) || inner.length > 500 ? null : before;
}

function valueAt(value: unknown, path: readonly TPathSegment[], kind: TMappingKind): unknown {
  let current = value;
  for (const segment of path) {
    if (typeof segment === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
      continue;
    }
    // JSONata maps a name over an array: `items.id` reads each item's id.
    if (Array.isArray(current) && kind === "jsonata") current = current[0];
    if (!current || typeof current !== "object" || Array.isArray(current) || FORBIDDEN_SEGMENTS.has(segment) || !Object.hasOwn(current, segment))
      return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function previewOf(value: unknown): string {
  const type = typeOfValue(value);
  let text: string;
  if (type === "array") text = `${(value as unknown[]).length} items`;
  else if (type === "object")
    text = `{ ${Object.keys(value as object)
      .slice(0, 6)
      .join(", ")} }`;
  else text = JSON.stringify(value ?? null);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function nameInsert(name: string, kind: TMappingKind, typed: TTyped): { insert: string; from: number } | null {
  if (kind === "jsonata") {
    if (JSONATA_NAME.test(name) && !JSONATA_WORDS.has(name)) return { insert: name, from: typed.partialStart };
    if (name.includes("`")) return null;
    return { insert: `\`${name}\``, from: typed.partialStart };
  }
  if (TEMPLATE_NAME.test(name)) return { insert: name, from: typed.partialStart };
  if (/[{}\]\\]/.test(name)) return null;
  const quoted = !name.includes('"') ? `["${name}"]` : !name.includes("'") ? `['${name}']` : null;
  // A quoted name replaces the dot before it: `a["b c"]`, not `a.["b c"]`.
  return quoted && typed.parent.length > 0 ? { insert: quoted, from: typed.separatorStart } : null;
}

/** The names (or, in a template, indexes) one level below a sample value. */
function childrenOf(value: unknown, kind: TMappingKind, typed: TTyped): TCompletion[] {
  let container = value;
  if (Array.isArray(container)) {
    if (kind === "template") {
      // A template reads one item: `items[0]`, replacing the dot.
      return container
        .slice(0, 3)
        .map((item, index) => ({ label: `[${index}]`, insert: `[${index}]`, from: typed.separatorStart, type: typeOfValue(item), detail: previewOf(item) }));
    }
    container = container[0];
  }
  if (!container || typeof container !== "object" || Array.isArray(container)) return [];
  const out: TCompletion[] = [];
  for (const [name, child] of Object.entries(container as Record<string, unknown>)) {
    if (FORBIDDEN_SEGMENTS.has(name)) continue;
    const spelled = nameInsert(name, kind, typed);
    if (spelled) out.push({ label: name, ...spelled, type: typeOfValue(child), detail: previewOf(child) });
  }
  return out;
}

function candidatesFor(typed: TTyped, scope: TCompletionScope, kind: TMappingKind): TCompletion[] {
  const [root, ...rest] = typed.parent;
  const at = (insert: string, type: TCompletion["type"], detail: string, label = insert): TCompletion => ({
    label,
    insert,
    from: typed.partialStart,
    type,
    detail,
  });
  if (root === undefined) {
    return [
      at("trigger", scope.hasTriggerSample ? typeOfValue(scope.trigger) : "unknown", "The trigger's data"),
      at("steps", "object", "The output of earlier steps"),
      ...(scope.loop ? [at("loop", "object", "This loop's item and index")] : []),
    ];
  }
  if (root === "trigger") return scope.hasTriggerSample ? childrenOf(valueAt(scope.trigger, rest, kind), kind, typed) : [];
  if (root === "loop") {
    if (!scope.loop) return [];
    if (rest.length === 0)
      return [
        at("item", scope.loop.hasItemSample ? typeOfValue(scope.loop.item) : "unknown", "The current item"),
        at("index", "number", "Its position, from 0"),
      ];
    if (rest[0] === "item" && scope.loop.hasItemSample) return childrenOf(valueAt(scope.loop.item, rest.slice(1), kind), kind, typed);
    return [];
  }
  if (root !== "steps") return [];
  if (rest.length === 0) {
    return scope.steps.flatMap((step) => {
      const spelled = nameInsert(step.id, kind, typed);
      return spelled ? [{ label: step.id, ...spelled, type: "step" as const, detail: step.name }] : [];
    });
  }
  const step = scope.steps.find((s) => s.id === rest[0]);
  if (!step) return [];
  if (rest.length === 1)
    return [at("output", step.hasSample ? typeOfValue(step.output) : "unknown", step.hasSample ? previewOf(step.output) : "No sample yet")];
  if (rest[1] !== "output" || !step.hasSample) return [];
  return childrenOf(valueAt(step.output, rest.slice(2), kind), kind, typed);
}

/**
 * What may be typed at `caret`: candidates for the name being typed, filtered by what is
 * typed of it (prefix matches first). Null when the caret is not at a path the samples
 * speak of: in a string, outside `{{...}}` in a template, a bare word with nothing typed.
 */
export function completionsAt(text: string, caret: number, kind: TMappingKind, scope: TCompletionScope): TCompletionResult | null {
  const before = kind === "template" ? templateBefore(text, caret) : text.slice(0, caret);
  if (before === null) return null;
  if (kind === "jsonata" && isInsideJsonataLiteral(text, caret)) return null;
  const typed = typedPath(before, kind);
  if (!typed) return null;
  // At the top level, a list opens once a name is begun (JSONata) or right after `{{`.
  if (typed.parent.length === 0 && typed.partial === "" && kind === "jsonata") return null;
  // In a template, a path starts right after the braces (and spaces), nowhere else.
  if (kind === "template" && !/\{\{\s*$/.test(before.slice(0, typed.pathStart))) return null;
  const partial = typed.partial.replace(/^`/, "").toLowerCase();
  const all = candidatesFor(typed, scope, kind);
  const starts = all.filter((c) => c.label.toLowerCase().startsWith(partial));
  const contains = partial === "" ? [] : all.filter((c) => !c.label.toLowerCase().startsWith(partial) && c.label.toLowerCase().includes(partial));
  const items = [...starts, ...contains].filter((c) => !(c.label === typed.partial && c.insert === typed.partial)).slice(0, MAX_COMPLETIONS);
  if (items.length === 0) return null;
  return { from: typed.partialStart, items };
}

/** The text after accepting `item`, and the caret after it. */
export function applyCompletion(text: string, caret: number, item: TCompletion): { value: string; caret: number } {
  const value = text.slice(0, item.from) + item.insert + text.slice(caret);
  return { value, caret: item.from + item.insert.length };
}
