import "server-only";
// JSONata for Transform and Condition: an interpreter over data (no JavaScript runs),
// evaluated in a worker thread of the expression pool (lib/server/expressions), never on
// the web process's event loop: flow authors are untrusted, and one expression that
// never yields would otherwise stop every tenant's requests and runs. Limits: a hard
// time limit that ends the worker, a recursion limit, a cap on sequence size, a heap
// limit, and a cap on the size of what it returns. Its input is plain JSON:
// `{ trigger, steps: { <id>: { output } } }`, and inside a loop's body `loop: { item, index }`.
import type { TMappingScope } from "@/lib/flows/references";
import { StepFailure } from "@/lib/flows/retry-policy";
import { getExpressionLimits, runExpressionTask, type TExpressionOutcome } from "@/lib/server/expressions/expression-pool";

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

// Every failure is the expression's own doing: retrying would fail the same way.
function describeFailure(outcome: Exclude<TExpressionOutcome, { ok: true }>, limits: ReturnType<typeof getExpressionLimits>): StepFailure {
  const fail = (message: string, code = "EXPRESSION") => new StepFailure(message, { retryable: false, code });
  switch (outcome.reason) {
    case "timeout":
      return fail(`The expression took longer than ${seconds(limits.timeoutMs)} and was stopped.`, "EXPRESSION_TIMEOUT");
    case "depth":
      return fail("The expression nests too deeply and was stopped.");
    case "function":
      return fail("The expression gives a function, not data.");
    case "output-too-large":
    case "too-large":
      return fail(`The expression's result is larger than ${limits.maxOutputBytes / 1024} KB.`, "OUTPUT_TOO_LARGE");
    case "memory":
      return fail("The expression used more memory than allowed and was stopped.", "EXPRESSION_MEMORY");
    case "crashed":
      // The worker thread ended for a reason of its own (shutdown, a bug): worth another try.
      return new StepFailure("The expression could not be evaluated.", { retryable: true, code: "EXPRESSION_WORKER" });
    case "failed": {
      const where = typeof outcome.position === "number" ? ` (at character ${outcome.position})` : "";
      return fail(`The expression failed${where}: ${outcome.message.slice(0, 300)}`);
    }
  }
}

export async function evaluateJsonata(expression: string, scope: TMappingScope): Promise<unknown> {
  const limits = getExpressionLimits();
  // Plain JSON in: nothing with a prototype or a function reaches the expression.
  const inputJson = JSON.stringify({ trigger: scope.trigger ?? null, steps: scope.steps, ...(scope.loop ? { loop: scope.loop } : {}) });
  const outcome = await runExpressionTask({ expression, inputJson }, limits);
  if (!outcome.ok) throw describeFailure(outcome, limits);
  return JSON.parse(outcome.json);
}
