// One preview of an expression field against the sample data, as a run would evaluate
// it: JSONata with the run's limits (time, recursion depth, sequence size, result size:
// lib/server/expressions), or a template rendered by the engine's own renderer. Pure
// and synchronous apart from JSONata's promise; it runs inside a Web Worker
// (components/editor/expression-preview.worker.ts), never on the page's thread, so an
// expression that never returns costs the worker, which the page ends and restarts.
import jsonata from "jsonata";
import { FlowReferenceError, renderString, type TMappingScope } from "@/lib/flows/references";
import { longestPathSteps, MAX_JSONATA_LENGTH, MAX_JSONATA_PATH_STEPS } from "@/lib/flows/jsonata-syntax";
import type { TMappingKind } from "./mapping";

/**
 * The run's limits (lib/server/expressions/expression-pool.ts: EXPRESSION_TIMEOUT_MS's
 * default, JSONATA_STACK_DEPTH, JSONATA_MAX_SEQUENCE, MAX_OUTPUT_BYTES; a unit test keeps
 * them equal). A server configured with another time limit runs with that one.
 */
export const PREVIEW_LIMITS = { timeoutMs: 2000, stackDepth: 200, maxSequence: 100_000, maxOutputBytes: 1024 * 1024 } as const;
/** The page ends a worker this long after the worker's own time limit should have fired. */
export const PREVIEW_HARD_DEADLINE_MS = PREVIEW_LIMITS.timeoutMs + 1000;
/** How much of a result is sent back to be shown. */
export const MAX_SHOWN_CHARS = 4000;

export type TPreviewRequest = { id: number; kind: TMappingKind; text: string; scopeJson: string };

export type TPreviewOutcome =
  | { ok: true; shown: string; isCut: boolean; isNothing: boolean }
  | { ok: false; reason: "syntax" | "failed"; message: string; position?: number }
  | { ok: false; reason: "timeout" | "depth" | "function" | "too-large" };

export type TPreviewResponse = { id: number; outcome: TPreviewOutcome };

function shown(value: unknown, limits: typeof PREVIEW_LIMITS): TPreviewOutcome {
  // JSONata gives its own functions as objects marked `_jsonata_lambda` / `_jsonata_function`.
  const isJsonataFunction = Boolean(value && typeof value === "object" && ("_jsonata_lambda" in value || "_jsonata_function" in value));
  if (typeof value === "function" || isJsonataFunction) return { ok: false, reason: "function" };
  if (typeof value === "string" && value.length > limits.maxOutputBytes) return { ok: false, reason: "too-large" };
  if (value === undefined) return { ok: true, shown: "", isCut: false, isNothing: true };
  let json: string;
  try {
    json = JSON.stringify(value, null, 2);
  } catch (error) {
    return error instanceof RangeError ? { ok: false, reason: "too-large" } : { ok: false, reason: "failed", message: "The result is not data." };
  }
  if (json.length > limits.maxOutputBytes * 2) return { ok: false, reason: "too-large" };
  return { ok: true, shown: json.slice(0, MAX_SHOWN_CHARS), isCut: json.length > MAX_SHOWN_CHARS, isNothing: false };
}

type TJsonataError = { code?: unknown; position?: unknown; message?: unknown };

function jsonataFailure(error: unknown, phase: "syntax" | "failed"): TPreviewOutcome {
  const { code, position, message } = (error ?? {}) as TJsonataError;
  if (code === "D1012") return { ok: false, reason: "timeout" };
  if (code === "D1011" || code === "U1001") return { ok: false, reason: "depth" };
  if (error instanceof RangeError) return /call stack/i.test(error.message) ? { ok: false, reason: "depth" } : { ok: false, reason: "too-large" };
  const text = typeof message === "string" && message ? message.replace(/\s+/g, " ").slice(0, 300) : "It is not valid JSONata.";
  return { ok: false, reason: phase, message: text, ...(typeof position === "number" && Number.isFinite(position) ? { position } : {}) };
}

async function previewJsonata(text: string, input: TMappingScope, limits: typeof PREVIEW_LIMITS): Promise<TPreviewOutcome> {
  if (text.length > MAX_JSONATA_LENGTH)
    return { ok: false, reason: "syntax", message: `It is longer than ${MAX_JSONATA_LENGTH.toLocaleString("en")} characters.` };
  if (longestPathSteps(text) > MAX_JSONATA_PATH_STEPS)
    return { ok: false, reason: "syntax", message: `A path in it has more than ${MAX_JSONATA_PATH_STEPS} steps.` };
  let expression: ReturnType<typeof jsonata>;
  try {
    expression = jsonata(text, { timeout: limits.timeoutMs, stack: limits.stackDepth, sequence: limits.maxSequence } as never);
  } catch (error) {
    return jsonataFailure(error, "syntax");
  }
  try {
    return shown(await expression.evaluate(input), limits);
  } catch (error) {
    return jsonataFailure(error, "failed");
  }
}

function previewTemplate(text: string, input: TMappingScope, limits: typeof PREVIEW_LIMITS): TPreviewOutcome {
  try {
    return shown(renderString(text, input), limits);
  } catch (error) {
    if (error instanceof FlowReferenceError) return { ok: false, reason: "failed", message: error.message };
    throw error;
  }
}

/** Evaluates one request. Never throws for anything the expression does. */
export async function evaluatePreview(request: Omit<TPreviewRequest, "id">, limits: typeof PREVIEW_LIMITS = PREVIEW_LIMITS): Promise<TPreviewOutcome> {
  let input: TMappingScope;
  try {
    // Parsed from text: plain JSON, nothing with a prototype or a function.
    input = JSON.parse(request.scopeJson) as TMappingScope;
  } catch {
    return { ok: false, reason: "failed", message: "The sample data could not be read." };
  }
  return request.kind === "jsonata" ? previewJsonata(request.text, input, limits) : previewTemplate(request.text, input, limits);
}

/** The words a preview's failure is shown with. */
export function describePreviewFailure(outcome: Exclude<TPreviewOutcome, { ok: true }>): string {
  const seconds = `${PREVIEW_LIMITS.timeoutMs / 1000} s`;
  switch (outcome.reason) {
    case "timeout":
      return `The expression took too long (over ${seconds}) and was stopped. A run would stop it too.`;
    case "depth":
      return "The expression nests or recurses too deeply and was stopped. A run would stop it too.";
    case "function":
      return "The expression gives a function, not data.";
    case "too-large":
      return `The result is larger than ${PREVIEW_LIMITS.maxOutputBytes / 1024} KB, more than a run allows.`;
    case "syntax":
      return `${typeof outcome.position === "number" ? `Syntax error at character ${outcome.position}` : "Syntax error"}: ${outcome.message}`;
    case "failed":
      return `${typeof outcome.position === "number" ? `Error at character ${outcome.position}` : "Error"}: ${outcome.message}`;
  }
}
