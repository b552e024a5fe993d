// Data mapping: `{{trigger.body.items[0].id}}`, `{{steps.fetch.output.status}}` and,
// inside a loop's body, `{{loop.item.id}}` and `{{loop.index}}` in any string field are
// pure path lookups: no expressions, no calls, no eval. A path
// may only walk own, plain data properties, so `__proto__`, `constructor` and
// `prototype` never resolve to anything the runtime owns.

export type TPathSegment = string | number;

export type TReference = {
  /** The text between the braces, trimmed, as the user wrote it. */
  source: string;
  /** "trigger", "steps", or "loop" (the current item of the loop whose body this is). */
  root: "trigger" | "steps" | "loop";
  /** For `steps.<id>...`: the referenced node id. */
  stepId: string | null;
  /** The full path from the root, e.g. ["steps", "fetch", "output", "items", 0, "id"]. */
  path: TPathSegment[];
  /** Position of the whole `{{...}}` in the string. */
  start: number;
  end: number;
};

export class FlowReferenceError extends Error {
  override name = "FlowReferenceError";
}

/** Names no path may walk (here, or in the editor's JSONata paths): they reach the runtime's own objects. */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;
const MAX_PATH_SEGMENTS = 32;

/** Parses `a.b[0].c` or `a["b c"]`; throws with a message naming what is wrong. */
export function parsePath(text: string): TPathSegment[] {
  const segments: TPathSegment[] = [];
  let at = 0;
  const fail = (why: string): never => {
    throw new FlowReferenceError(`"${text}" is not a valid reference: ${why}.`);
  };
  while (at < text.length) {
    if (segments.length > 0) {
      if (text[at] === ".") at += 1;
      else if (text[at] !== "[") fail(`expected "." or "[" at position ${at + 1}`);
    }
    if (text[at] === "[") {
      const close = text.indexOf("]", at);
      if (close < 0) fail("a [ is not closed");
      const inner = text.slice(at + 1, close).trim();
      if (/^\d{1,9}$/.test(inner)) segments.push(Number(inner));
      else if (/^"[^"\\]*"$/.test(inner) || /^'[^'\\]*'$/.test(inner)) segments.push(inner.slice(1, -1));
      else fail(`[${inner}] must be a number or a quoted name`);
      at = close + 1;
      continue;
    }
    let end = at;
    while (end < text.length && text[end] !== "." && text[end] !== "[") end += 1;
    const name = text.slice(at, end);
    if (!IDENTIFIER.test(name)) fail(name ? `"${name}" is not a field name` : "a field name is missing");
    segments.push(name);
    at = end;
  }
  if (segments.length === 0) fail("it is empty");
  if (segments.length > MAX_PATH_SEGMENTS) fail(`it has more than ${MAX_PATH_SEGMENTS} parts`);
  for (const segment of segments) {
    if (typeof segment === "string" && FORBIDDEN_SEGMENTS.has(segment)) fail(`"${segment}" cannot be used in a reference`);
  }
  return segments;
}

const TEMPLATE = /\{\{([^{}]{0,500})\}\}/g;

/** Every `{{...}}` in a string, parsed. Throws on the first malformed one. */
export function findReferences(text: string): TReference[] {
  const found: TReference[] = [];
  for (const match of text.matchAll(TEMPLATE)) {
    const source = match[1]!.trim();
    const path = parsePath(source);
    const root = path[0];
    if (root !== "trigger" && root !== "steps" && root !== "loop") {
      throw new FlowReferenceError(`"${source}" must start with "trigger." or "steps.<step id>.".`);
    }
    if (root === "loop" && (path[1] === undefined ? true : path[1] === "index" ? path.length > 2 : path[1] !== "item")) {
      throw new FlowReferenceError(
        `"${source}" is not a loop value: inside a loop, write {{loop.item}} (or a field of it, {{loop.item.id}}) or {{loop.index}}.`,
      );
    }
    let stepId: string | null = null;
    if (root === "steps") {
      if (typeof path[1] !== "string") throw new FlowReferenceError(`"${source}" must name a step: steps.<step id>.output...`);
      stepId = path[1];
    }
    found.push({ source, root, stepId, path, start: match.index!, end: match.index! + match[0].length });
  }
  return found;
}

/** Every reference inside any string of a config value (deep). */
export function collectReferences(value: unknown): TReference[] {
  const out: TReference[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    if (typeof item === "string") out.push(...findReferences(item));
    else if (Array.isArray(item)) stack.push(...item);
    else if (item && typeof item === "object") stack.push(...Object.values(item));
  }
  return out;
}

function isPlainContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (!value || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Looks a path up in plain data; only own properties of plain objects and arrays. */
export function lookupPath(scope: unknown, path: readonly TPathSegment[], source = path.join(".")): unknown {
  let current: unknown = scope;
  for (let i = 0; i < path.length; i += 1) {
    const segment = path[i]!;
    const missing = () => new FlowReferenceError(`{{${source}}}: nothing at "${path.slice(0, i + 1).join(".")}".`);
    if (!isPlainContainer(current)) throw missing();
    if (Array.isArray(current)) {
      if (typeof segment !== "number" || segment >= current.length) throw missing();
      current = current[segment];
    } else {
      const key = String(segment);
      if (FORBIDDEN_SEGMENTS.has(key) || !Object.hasOwn(current, key)) throw missing();
      current = current[key];
    }
  }
  return current;
}

/** What a reference reads: the trigger's payload, earlier steps' outputs and, inside a loop's body, the current item and its index (from 0). */
export type TMappingScope = { trigger: unknown; steps: Record<string, { output: unknown }>; loop?: { item: unknown; index: number } };

/**
 * Renders a string. A string that is exactly one reference keeps the value's type
 * (`"{{steps.a.output.count}}"` gives the number); otherwise values are interpolated
 * as text (objects as JSON).
 */
export function renderString(text: string, scope: TMappingScope): unknown {
  const references = findReferences(text);
  if (references.length === 0) return text;
  const resolve = (reference: TReference) => lookupPath(scope, reference.path, reference.source);
  const only = references[0]!;
  if (references.length === 1 && only.start === 0 && only.end === text.length) return resolve(only);
  let out = "";
  let at = 0;
  for (const reference of references) {
    out += text.slice(at, reference.start);
    const value = resolve(reference);
    out += typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
    at = reference.end;
  }
  return out + text.slice(at);
}

/** Renders every string inside a config value (deep), leaving other values as they are. */
export function renderValue(value: unknown, scope: TMappingScope): unknown {
  if (typeof value === "string") return renderString(value, scope);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, scope));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = Object.create(null);
    for (const [key, item] of Object.entries(value)) out[key] = renderValue(item, scope);
    return { ...out };
  }
  return value;
}
