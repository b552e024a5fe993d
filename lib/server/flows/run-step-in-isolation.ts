import "server-only";
// Runs one step of a draft the way a run would, for "Test step": through the
// interpreter itself, so the mapping scope, the rendering of `{{...}}`, the step's
// timeout and the description of failures are exactly a run's. The interpreter gets a
// small document: the trigger, the steps that run before the tested one and have sample
// data (handed in as already completed, the way "retry from the failed step" reuses
// outputs), and the tested step. In-memory step tools make a Delay return at once
// instead of waiting.
import { FLOW_SCHEMA_VERSION, type TFlowDocument, type TFlowNode } from "@/lib/flows/document";
import { findExpressionReads } from "@/lib/flows/expression-references";
import { interpretFlow, stepTimeoutOf, type TExecutor } from "@/lib/flows/interpreter";
import { createMemoryStepTools } from "@/lib/flows/memory-step-tools";
import { HTTP_MAX_RESPONSE_BYTES_DEFAULT, HTTP_TIMEOUT_DEFAULT_MS, isTriggerType } from "@/lib/flows/node-types";
import { ownValue } from "@/lib/flows/own-value";
import { collectReferences, FlowReferenceError, type TReference } from "@/lib/flows/references";
import { DEFAULT_RETRY_POLICY } from "@/lib/flows/retry-policy";
import type { TStepSample } from "@/lib/flows/step-sample";
import { MAX_SAMPLE_BYTES } from "./read-step-samples";
import { createRespondPreview } from "./respond-preview-executor";

/** No test runs longer than this, whatever the step's own timeout says. */
export const MAX_STEP_TEST_MS = 60_000;
/** A test's HTTP response is cut off here: a larger output could never be kept as a sample. */
export const MAX_TEST_RESPONSE_BYTES = 2 * MAX_SAMPLE_BYTES;
/** The interpreter's deadline comes after the step's own, so the step's own timeout is the one that speaks. */
const DEADLINE_GRACE_MS = 1000;
/** Stands in for a run id in what executors record (the audit of a blocked request). */
export const STEP_TEST_RUN_ID = "step-test";

export type TIsolatedOutcome =
  | { ok: true; output: unknown; note: string | null; /** A Respond step's full answer, which its output (like a run's) leaves out. */ preview?: unknown }
  | { ok: false; error: string };

export type TRunStepInput = {
  projectId: string;
  draft: TFlowDocument;
  node: TFlowNode;
  /** The trigger payload for the scope: the one typed for this test, or the trigger's sample. */
  trigger: unknown;
  hasTriggerSample: boolean;
  /** The steps that run before `node` (upstreamNodeIds), computed once by the caller. */
  upstream: readonly string[];
  /** Sample outputs by node id; only those of steps that run before `node` are used. */
  samples: ReadonlyMap<string, TStepSample>;
  executors: Partial<Record<string, TExecutor>>;
  /** A cap below MAX_STEP_TEST_MS, for tests of the cap itself. */
  maxTestMs?: number;
};

function timeoutOf(node: TFlowNode, cap: number): number {
  return Math.min(stepTimeoutOf(node) ?? cap, cap);
}

function durationText(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/**
 * The executors a test may use: a Respond step answers nobody (its preview stores
 * nothing), and an HTTP request's own deadline is cut to the test's and its response
 * to what a sample can hold, so the request itself stops instead of running on (or
 * downloading on) after the test could no longer use it.
 */
function testExecutors(executors: Partial<Record<string, TExecutor>>, limitMs: number, respond: TExecutor): Partial<Record<string, TExecutor>> {
  const http = executors["step.http"];
  const numberOr = (value: unknown, fallback: number) => (typeof value === "number" ? value : fallback);
  return {
    ...executors,
    "step.respond": respond,
    ...(http
      ? {
          "step.http": (context) => {
            const timeoutMs = Math.min(numberOr(context.config.timeoutMs, HTTP_TIMEOUT_DEFAULT_MS), limitMs);
            const maxResponseBytes = Math.min(numberOr(context.config.maxResponseBytes, HTTP_MAX_RESPONSE_BYTES_DEFAULT), MAX_TEST_RESPONSE_BYTES);
            return http({ ...context, config: { ...context.config, timeoutMs, maxResponseBytes } });
          },
        }
      : {}),
  };
}

type TScope = { input: TRunStepInput; upstream: ReadonlySet<string>; nameOf: (id: string) => string | undefined };

/** Why a step the node reads cannot give it data in this test, or null. */
function stepProblem(scope: TScope, stepId: string, uses: string, isExpression: boolean): string | null {
  const name = scope.nameOf(stepId);
  if (name === undefined) return isExpression ? null : `${uses}, but the flow has no step "${stepId}".`;
  if (!scope.upstream.has(stepId)) return `${uses}, but "${name}" does not run before it.`;
  if (!scope.input.samples.has(stepId)) return `${uses}, and "${name}" has no sample data yet: test that step first.`;
  return null;
}

function triggerProblem(scope: TScope, uses: string): string | null {
  return scope.input.hasTriggerSample ? null : `${uses}, and the trigger has no sample data yet: test the trigger first, or enter a sample payload.`;
}

/** The JSONata expression a Transform or a Condition in expression mode evaluates, read unrendered by its executor. */
function expressionOf(node: TFlowNode): string | null {
  const { expression, mode } = node.config as { expression?: unknown; mode?: unknown };
  if (typeof expression !== "string") return null;
  if (node.type === "step.transform" || (node.type === "step.condition" && mode === "expression")) return expression;
  return null;
}

/**
 * Data the test cannot give the step, said plainly: a run would say "nothing at ...",
 * and a JSONata expression would quietly read null. Expressions are scanned, never
 * evaluated (lib/flows/expression-references.ts); a name there that is no step of the
 * flow may be a field of the data, so only the flow's steps are checked.
 */
function missingSampleProblem(scope: TScope): string | null {
  const { node } = scope.input;
  let references: TReference[];
  try {
    references = collectReferences(node.config);
  } catch (error) {
    if (error instanceof FlowReferenceError) return error.message;
    throw error;
  }
  for (const reference of references) {
    const uses = `This step uses {{${reference.source}}}`;
    const problem = reference.root === "trigger" ? triggerProblem(scope, uses) : reference.stepId ? stepProblem(scope, reference.stepId, uses, false) : null;
    if (problem) return problem;
  }
  const expression = expressionOf(node);
  if (expression === null) return null;
  const reads = findExpressionReads(expression);
  if (reads.readsTrigger) {
    const problem = triggerProblem(scope, "This step's expression reads trigger");
    if (problem) return problem;
  }
  for (const stepId of reads.stepIds) {
    const problem = stepProblem(scope, stepId, `This step's expression reads steps.${stepId}`, true);
    if (problem) return problem;
  }
  return null;
}

function triggerNodeOf(input: TRunStepInput): TFlowNode {
  const trigger = input.draft.nodes.find((node) => isTriggerType(node.type));
  if (trigger) return trigger;
  // A draft may have no trigger yet; the interpreter only needs something to start from.
  let id = "trigger";
  while (input.draft.nodes.some((node) => node.id === id)) id += "_";
  return { id, type: "trigger.manual", name: "Trigger", config: {}, ui: { x: 0, y: 0 } };
}

function delayNote(node: TFlowNode, output: unknown): string | null {
  if (node.type !== "step.delay") return null;
  const until = (output as { until?: unknown } | null)?.until;
  if (typeof until === "string") return `A test does not wait: in a run, this step waits until ${until}.`;
  const { amount, unit } = node.config as { amount?: unknown; unit?: unknown };
  if (typeof amount === "number" && typeof unit === "string") {
    return `A test does not wait: in a run, this step waits ${amount} ${amount === 1 ? unit.replace(/s$/, "") : unit}.`;
  }
  return "A test does not wait.";
}

export async function runStepInIsolation(input: TRunStepInput): Promise<TIsolatedOutcome> {
  const { node, draft } = input;
  const names = new Map<string, string>();
  for (const other of draft.nodes) if (!names.has(other.id)) names.set(other.id, other.name);
  const scope: TScope = { input, upstream: new Set(input.upstream), nameOf: (id) => names.get(id) };
  const problem = missingSampleProblem(scope);
  if (problem) return { ok: false, error: problem };
  const trigger = triggerNodeOf(input);
  // Only steps that run before this one, as in a run: nothing else is in its scope.
  const upstream = draft.nodes.filter(
    (other) => other.id !== node.id && other.id !== trigger.id && scope.upstream.has(other.id) && input.samples.has(other.id),
  );
  const document: TFlowDocument = {
    schemaVersion: FLOW_SCHEMA_VERSION,
    nodes: [trigger, ...upstream, node],
    edges: [...upstream, node].map((target) => ({ id: `test_${target.id}`, source: trigger.id, target: target.id })),
  };
  const limitMs = timeoutOf(node, input.maxTestMs ?? MAX_STEP_TEST_MS);
  const respond = createRespondPreview();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), limitMs + DEADLINE_GRACE_MS);
  });
  try {
    const run = interpretFlow({
      runId: STEP_TEST_RUN_ID,
      projectId: input.projectId,
      document,
      triggerPayload: input.trigger,
      reuse: Object.fromEntries(upstream.map((other) => [other.id, input.samples.get(other.id)!.output])),
      step: createMemoryStepTools(),
      executors: testExecutors(input.executors, limitMs, respond.executor),
      // One attempt: a test shows what happens, it does not wait out backoffs.
      retryPolicy: () => ({ ...DEFAULT_RETRY_POLICY, attempts: 1 }),
    });
    const result = await Promise.race([run, deadline]);
    if (result === "timeout") {
      // Abandoned, not stopped: whatever it ends with later is nobody's to handle.
      run.catch(() => undefined);
      return { ok: false, error: `The test took longer than ${durationText(limitMs)} and was stopped.` };
    }
    const outcome = ownValue(result.nodes, node.id);
    if (outcome?.status === "succeeded") {
      const preview = node.type === "step.respond" ? (respond.preview() ?? undefined) : undefined;
      return { ok: true, output: outcome.output, note: delayNote(node, outcome.output), ...(preview ? { preview } : {}) };
    }
    if (outcome?.status === "failed") return { ok: false, error: outcome.error };
    return { ok: false, error: "The step did not run." };
  } finally {
    clearTimeout(timer);
  }
}
