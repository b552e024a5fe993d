import "server-only";
// Runs one step of a draft the way a run would, for "Test step": through the
// interpreter itself, so the mapping scope, the rendering of `{{...}}`, the step's
// timeout and the description of failures are exactly a run's. The interpreter gets a
// small document: the trigger, every other node that has sample data (handed in as
// already completed, the way "retry from the failed step" reuses outputs), and the
// tested step. In-memory step tools make a Delay return at once instead of waiting.
import { FLOW_SCHEMA_VERSION, type TFlowDocument, type TFlowNode } from "@/lib/flows/document";
import { interpretFlow, type TExecutor } from "@/lib/flows/interpreter";
import { createMemoryStepTools } from "@/lib/flows/memory-step-tools";
import { isTriggerType } from "@/lib/flows/node-types";
import { collectReferences, FlowReferenceError, type TReference } from "@/lib/flows/references";
import { DEFAULT_RETRY_POLICY } from "@/lib/flows/retry-policy";
import type { TStepSample } from "@/lib/flows/step-sample";
import { respondPreviewExecutor } from "./respond-preview-executor";

/** No test runs longer than this, whatever the step's own timeout says. */
export const MAX_STEP_TEST_MS = 60_000;
/** The HTTP step's own default request timeout (lib/flows/node-types.ts). */
const HTTP_DEFAULT_TIMEOUT_MS = 30_000;
/** Stands in for a run id in what executors record (the audit of a blocked request). */
export const STEP_TEST_RUN_ID = "step-test";

export type TIsolatedOutcome = { ok: true; output: unknown; note: string | null } | { ok: false; error: string };

export type TRunStepInput = {
  projectId: string;
  draft: TFlowDocument;
  node: TFlowNode;
  /** The trigger payload for the scope: the one typed for this test, or the trigger's sample. */
  trigger: unknown;
  hasTriggerSample: boolean;
  /** Sample outputs of the other nodes, by node id. */
  samples: Readonly<Record<string, TStepSample>>;
  executors: Partial<Record<string, TExecutor>>;
};

function timeoutOf(node: TFlowNode): number {
  const retry = node.config.retry as { timeoutMs?: unknown } | undefined;
  return typeof retry?.timeoutMs === "number" ? Math.min(retry.timeoutMs, MAX_STEP_TEST_MS) : MAX_STEP_TEST_MS;
}

/**
 * The executors a test may use: a Respond step answers nobody (its preview stores
 * nothing), and an HTTP request's own deadline is cut to the test's, so the request
 * itself stops instead of running on after the test gave up.
 */
function testExecutors(executors: Partial<Record<string, TExecutor>>, limitMs: number): Partial<Record<string, TExecutor>> {
  const http = executors["step.http"];
  return {
    ...executors,
    "step.respond": respondPreviewExecutor,
    ...(http
      ? {
          "step.http": (context) => {
            const asked = typeof context.config.timeoutMs === "number" ? context.config.timeoutMs : HTTP_DEFAULT_TIMEOUT_MS;
            return http({ ...context, config: { ...context.config, timeoutMs: Math.min(asked, limitMs) } });
          },
        }
      : {}),
  };
}

/** A reference the test cannot resolve for want of sample data, said plainly (the run would say "nothing at ..."). */
function missingSampleProblem(input: TRunStepInput): string | null {
  let references: TReference[];
  try {
    references = collectReferences(input.node.config);
  } catch (error) {
    if (error instanceof FlowReferenceError) return error.message;
    throw error;
  }
  for (const reference of references) {
    if (reference.root === "trigger" && !input.hasTriggerSample) {
      return `This step uses {{${reference.source}}}, and the trigger has no sample data yet: test the trigger first, or enter a sample payload.`;
    }
    if (reference.root === "steps" && reference.stepId && !input.samples[reference.stepId]) {
      const source = input.draft.nodes.find((node) => node.id === reference.stepId);
      return source
        ? `This step uses {{${reference.source}}}, and "${source.name}" has no sample data yet: test that step first.`
        : `This step uses {{${reference.source}}}, but the flow has no step "${reference.stepId}".`;
    }
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
  const problem = missingSampleProblem(input);
  if (problem) return { ok: false, error: problem };
  const { node } = input;
  const trigger = triggerNodeOf(input);
  const upstream = input.draft.nodes.filter((other) => other.id !== node.id && other.id !== trigger.id && input.samples[other.id]);
  const document: TFlowDocument = {
    schemaVersion: FLOW_SCHEMA_VERSION,
    nodes: [trigger, ...upstream, node],
    edges: [...upstream, node].map((target) => ({ id: `test_${target.id}`, source: trigger.id, target: target.id })),
  };
  const limitMs = timeoutOf(node);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), limitMs + 1000);
  });
  try {
    const run = interpretFlow({
      runId: STEP_TEST_RUN_ID,
      projectId: input.projectId,
      document,
      triggerPayload: input.trigger,
      reuse: Object.fromEntries(upstream.map((other) => [other.id, input.samples[other.id]!.output])),
      step: createMemoryStepTools(),
      executors: testExecutors(input.executors, limitMs),
      // One attempt: a test shows what happens, it does not wait out backoffs.
      retryPolicy: () => ({ ...DEFAULT_RETRY_POLICY, attempts: 1 }),
    });
    const result = await Promise.race([run, deadline]);
    if (result === "timeout") return { ok: false, error: `The test took longer than ${Math.round(limitMs / 1000)} s and was stopped.` };
    const outcome = result.nodes[node.id];
    if (outcome?.status === "succeeded") return { ok: true, output: outcome.output, note: delayNote(node, outcome.output) };
    if (outcome?.status === "failed") return { ok: false, error: outcome.error };
    return { ok: false, error: "The step did not run." };
  } finally {
    clearTimeout(timer);
  }
}
