// Whether a JSONata expression (Transform, Condition in expression mode) parses, with
// the parser's own message and position, so a typo is refused at publish instead of
// failing the run. `jsonata(text)` only parses: nothing is evaluated and no data is
// read (evaluation happens in the server's expression pool, never here), and it runs
// in the editor on every edit as well as on the server at publish.
//
// Parsing is cheap and linear for ordinary text (about 2 ms per 1,000 characters),
// with one exception measured on jsonata 2.2: a single path of n steps
// (`a.b.c.d…`) costs O(n²), about 0.5 s for 5,000 steps. Such a path is refused
// before parsing; deep nesting ends in a RangeError (stack), which is caught and said
// in words. Results are kept per text, so re-validating an unchanged flow parses nothing.
import jsonata from "jsonata";

/** The schema's cap (node-types.ts); checked again here so nothing longer is ever parsed. */
export const MAX_JSONATA_LENGTH = 10_000;
/** Far above any real path (they have a handful of steps); below where parsing slows. */
export const MAX_JSONATA_PATH_STEPS = 200;
const CACHE_SIZE = 500;

export type TJsonataSyntaxProblem = { message: string; position?: number };

const cache = new Map<string, TJsonataSyntaxProblem | null>();

type TJsonataError = { code?: unknown; position?: unknown; message?: unknown; token?: unknown };

/**
 * The longest run of `.` steps in one path, outside strings and comments. A run ends at
 * anything that separates expressions (operators, commas, blocks), so many short paths
 * do not add up.
 */
export function longestPathSteps(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === '"' || char === "'") {
      while (i + 1 < text.length && text[i + 1] !== char) i += text[i + 1] === "\\" ? 2 : 1;
      i += 1;
    } else if (char === "`") {
      const end = text.indexOf("`", i + 1);
      i = end < 0 ? text.length : end;
    } else if (char === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (char === ".") {
      if (text[i + 1] === ".") i += 1;
      else longest = Math.max(longest, (run += 1));
    } else if (",;:?{}+-*/%&|=<>!~^".includes(char)) run = 0;
  }
  return longest;
}

function describe(error: unknown): TJsonataSyntaxProblem {
  if (error instanceof RangeError) return { message: "It nests too deeply to read; split it into smaller parts." };
  const { message, position } = (error ?? {}) as TJsonataError;
  const text = typeof message === "string" && message ? message.replace(/\s+/g, " ").slice(0, 200) : "It is not valid JSONata.";
  return { message: text, ...(typeof position === "number" && Number.isFinite(position) ? { position } : {}) };
}

function check(expression: string): TJsonataSyntaxProblem | null {
  if (expression.length > MAX_JSONATA_LENGTH) return { message: `It is longer than ${MAX_JSONATA_LENGTH.toLocaleString("en")} characters.` };
  if (longestPathSteps(expression) > MAX_JSONATA_PATH_STEPS) return { message: `A path in it has more than ${MAX_JSONATA_PATH_STEPS} steps.` };
  try {
    jsonata(expression);
    return null;
  } catch (error) {
    return describe(error);
  }
}

/** Null when the expression parses; otherwise the parser's message and (when it gives one) the character it stopped at. */
export function jsonataSyntaxProblem(expression: string): TJsonataSyntaxProblem | null {
  if (cache.has(expression)) return cache.get(expression)!;
  const result = check(expression);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(expression, result);
  return result;
}
