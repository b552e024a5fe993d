import "server-only";
// JSONata for Transform and Condition: an interpreter over data (no JavaScript runs),
// with a time limit, a recursion limit and a cap on sequence size, and a cap on the
// size of what it returns. Its input is plain JSON: `{ trigger, steps: { <id>: { output } } }`.
import jsonata from "jsonata";
import type { TMappingScope } from "@/lib/flows/references";
import { StepFailure } from "@/lib/flows/retry-policy";

export const JSONATA_LIMITS = { timeoutMs: 2000, stackDepth: 200, maxSequence: 100_000, maxOutputBytes: 1024 * 1024 };

type TJsonataError = { code?: string; position?: number; message?: string };

function describeJsonataError(error: unknown): string {
  const e = (error ?? {}) as TJsonataError;
  if (e.code === "D1012") return `The expression took longer than ${JSONATA_LIMITS.timeoutMs} ms and was stopped.`;
  if (e.code === "U1001") return "The expression nests too deeply and was stopped.";
  const where = typeof e.position === "number" ? ` (at character ${e.position})` : "";
  return `The expression failed${where}: ${String(e.message ?? "error").slice(0, 300)}`;
}

export async function evaluateJsonata(expression: string, scope: TMappingScope): Promise<unknown> {
  let compiled: ReturnType<typeof jsonata>;
  try {
    compiled = jsonata(expression, {
      timeout: JSONATA_LIMITS.timeoutMs,
      stack: JSONATA_LIMITS.stackDepth,
      sequence: JSONATA_LIMITS.maxSequence,
    });
  } catch (error) {
    throw new StepFailure(describeJsonataError(error), { retryable: false, code: "EXPRESSION" });
  }
  let result: unknown;
  try {
    // Plain JSON in: nothing with a prototype or a function reaches the expression.
    const input = JSON.parse(JSON.stringify({ trigger: scope.trigger ?? null, steps: scope.steps }));
    result = await compiled.evaluate(input, undefined);
  } catch (error) {
    throw new StepFailure(describeJsonataError(error), { retryable: false, code: "EXPRESSION" });
  }
  if (typeof result === "function") throw new StepFailure("The expression gives a function, not data.", { retryable: false, code: "EXPRESSION" });
  const text = result === undefined ? "null" : JSON.stringify(result);
  if (Buffer.byteLength(text) > JSONATA_LIMITS.maxOutputBytes) {
    throw new StepFailure(`The expression's result is larger than ${JSONATA_LIMITS.maxOutputBytes / 1024} KB.`, { retryable: false, code: "OUTPUT_TOO_LARGE" });
  }
  return JSON.parse(text);
}
