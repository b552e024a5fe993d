// The interpreter: runs one published flow version step by step, written once against
// the part of Inngest's `step` API it needs. Each attempt of each node is its own
// durable step (memoized by the driver, so a completed attempt never runs again after
// a crash or a replay), and each backoff and delay is a durable sleep. The cancel check
// before a node starts happens inside its first attempt's step, so it costs no durable
// write of its own, and its answer is memoized with the attempt. Failures are
// caught inside the step and returned as data, so the driver's own retries never fire:
// the retry policy here is the only one.
import type { TFlowDocument, TFlowNode } from "./document";
import { branchLabelsOf, isTriggerType } from "./node-types";
import { renderValue, type TMappingScope } from "./references";
import { backoffMs, DEFAULT_RETRY_POLICY, StepFailure, type TRetryPolicy } from "./retry-policy";
import { topologicalOrder } from "./validate";

/** The subset of Inngest's `step` tools the interpreter uses; drivers supply it. */
export type TStepTools = {
  run<T>(id: string, fn: () => Promise<T>): Promise<T>;
  sleep(id: string, durationMs: number): Promise<void>;
  sleepUntil(id: string, at: Date): Promise<void>;
};

export type TExecutorContext = {
  node: TFlowNode;
  /** The node's config with every `{{...}}` rendered from the trigger and earlier outputs. */
  config: Record<string, unknown>;
  scope: TMappingScope;
  runId: string;
  projectId: string;
  attempt: number;
};

/** What a node does. Delay and condition routing are the interpreter's own. */
export type TExecutor = (context: TExecutorContext) => Promise<unknown>;

export type TNodeOutcome =
  | { status: "succeeded"; output: unknown; attempts: number; branch?: "true" | "false"; input?: unknown }
  | { status: "failed"; error: string; code?: string; attempts: number; input?: unknown }
  | { status: "skipped" };

export type TRunResult = { status: "succeeded" | "failed" | "cancelled"; nodes: Record<string, TNodeOutcome>; failedNodeId?: string };

export type TRunHooks = {
  /** Checked before each node starts: a cancelled run starts nothing further. */
  isCancelled?: () => Promise<boolean>;
  /** Told about each attempt and outcome, for the run log (the driver makes it durable). */
  onNodeEvent?: (event: { nodeId: string; outcome: TNodeOutcome | { status: "running"; attempt: number } }) => Promise<void>;
  /**
   * Set by a driver whose step memo and run log are written together (the embedded
   * one): a node's final outcome is then logged inside its last attempt's step, not in
   * a `log:` step of its own. Other drivers keep the separate step, so a failed log
   * write never repeats an attempt's side effect.
   */
  canLogInsideAttempt?: boolean;
};

export type TInterpretInput = {
  runId: string;
  projectId: string;
  document: TFlowDocument;
  triggerPayload: unknown;
  step: TStepTools;
  executors: Partial<Record<string, TExecutor>>;
  retryPolicy?: (node: TFlowNode) => TRetryPolicy;
  /** Outputs of nodes that already succeeded (retry from the failed step reuses them). */
  reuse?: Record<string, unknown>;
  hooks?: TRunHooks;
};

type TAttemptResult =
  | { ok: true; output: unknown; input?: unknown }
  | { ok: false; error: string; retryable: boolean; retryAfterMs?: number; code?: string; input?: unknown };

/** What a node's attempt step returns: its result, or that the run was cancelled before it started. */
type TAttemptStepResult = TAttemptResult | { ok: false; cancelled: true };

function describe(error: unknown): { error: string; retryable: boolean; retryAfterMs?: number; code?: string } {
  if (error instanceof StepFailure) {
    return { error: error.message, retryable: error.options.retryable, retryAfterMs: error.options.retryAfterMs, code: error.options.code };
  }
  // Mapping and validation errors carry safe messages; anything else is unexpected, so
  // it is reported by name only and not retried (a bug does not fix itself).
  if (error instanceof Error && (error.name === "FlowReferenceError" || error.name === "StepInputError")) {
    return { error: error.message, retryable: false, code: error.name };
  }
  return { error: `The step failed unexpectedly (${error instanceof Error ? error.name : "error"}).`, retryable: false, code: "INTERNAL" };
}

function evaluateCondition(output: unknown): "true" | "false" {
  return output === true ? "true" : "false";
}

export async function interpretFlow(input: TInterpretInput): Promise<TRunResult> {
  const { document, step } = input;
  const nodes = new Map(document.nodes.map((node) => [node.id, node]));
  const outcomes: Record<string, TNodeOutcome> = {};
  const scope: TMappingScope = { trigger: input.triggerPayload, steps: {} };
  const emit = async (nodeId: string, outcome: TNodeOutcome | { status: "running"; attempt: number }) => {
    await input.hooks?.onNodeEvent?.({ nodeId, outcome });
  };

  for (const nodeId of topologicalOrder(document)) {
    const node = nodes.get(nodeId)!;
    if (isTriggerType(node.type)) {
      outcomes[nodeId] = { status: "succeeded", output: input.triggerPayload, attempts: 1 };
      continue;
    }
    // A node runs when any path into it is live: its source succeeded and, for a
    // condition, the path's label matches the outcome.
    const live = document.edges.some((edge) => {
      if (edge.target !== nodeId) return false;
      const source = outcomes[edge.source];
      if (source?.status !== "succeeded") return false;
      return !edge.label || source.branch === edge.label;
    });
    if (!live) {
      outcomes[nodeId] = { status: "skipped" };
      await step.run(`log:${nodeId}`, async () => {
        await emit(nodeId, { status: "skipped" });
        return null;
      });
      continue;
    }
    if (input.reuse && Object.hasOwn(input.reuse, nodeId)) {
      const output = input.reuse[nodeId];
      outcomes[nodeId] = { status: "succeeded", output, attempts: 0, ...(branchLabelsOf(node.type) ? { branch: evaluateCondition(output) } : {}) };
      scope.steps[nodeId] = { output };
      continue;
    }

    let outcome: TNodeOutcome | "cancelled";
    if (node.type === "step.delay") {
      // Shown as running while the run sleeps.
      const isCancelled = await step.run(`start:${nodeId}`, () => startAttempt(input, nodeId, 1, true, emit));
      if (isCancelled) return { status: "cancelled", nodes: outcomes };
      outcome = await runDelay(input, node, scope);
    } else {
      outcome = await runWithRetries(input, node, scope, emit);
      if (outcome === "cancelled") return { status: "cancelled", nodes: outcomes };
    }
    outcomes[nodeId] = outcome;
    const isLogged = input.hooks?.canLogInsideAttempt === true && node.type !== "step.delay";
    if (!isLogged) {
      const final = outcome;
      await step.run(`log:${nodeId}`, async () => {
        await emit(nodeId, final);
        return null;
      });
    }
    if (outcome.status === "failed") return { status: "failed", nodes: outcomes, failedNodeId: nodeId };
    if (outcome.status === "succeeded") scope.steps[nodeId] = { output: outcome.output };
  }
  return { status: "succeeded", nodes: outcomes };
}

async function runDelay(input: TInterpretInput, node: TFlowNode, scope: TMappingScope): Promise<TNodeOutcome> {
  const config = node.config as { mode: "duration"; amount: number; unit: string } | { mode: "until"; until: string };
  if (config.mode === "duration") {
    const ms = config.amount * ({ seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as Record<string, number>)[config.unit]!;
    await input.step.sleep(`delay:${node.id}`, ms);
    return { status: "succeeded", output: { waitedMs: ms }, attempts: 1 };
  }
  // The target time may come from data: render it inside a step so it is memoized.
  const resolved = await input.step.run(`delay-until:${node.id}`, async (): Promise<TAttemptResult> => {
    try {
      const value = renderValue(config.until, scope);
      const at = typeof value === "string" || typeof value === "number" ? new Date(value) : new Date(Number.NaN);
      if (Number.isNaN(at.getTime())) return { ok: false, error: `"${String(value)}" is not a date and time.`, retryable: false };
      if (at.getTime() - Date.now() > 30 * 86_400_000) return { ok: false, error: "A delay can be at most 30 days.", retryable: false };
      return { ok: true, output: at.toISOString() };
    } catch (error) {
      return { ok: false, ...describe(error) };
    }
  });
  if (!resolved.ok) return { status: "failed", error: resolved.error, attempts: 1 };
  await input.step.sleepUntil(`delay:${node.id}`, new Date(resolved.output as string));
  return { status: "succeeded", output: { until: resolved.output }, attempts: 1 };
}

/** Before an attempt: true when the run is cancelled (checked before a node's first attempt); otherwise the attempt is logged as running. */
async function startAttempt(
  input: TInterpretInput,
  nodeId: string,
  attempt: number,
  checkCancel: boolean,
  emit: (nodeId: string, outcome: { status: "running"; attempt: number }) => Promise<void>,
): Promise<boolean> {
  if (checkCancel && (await input.hooks?.isCancelled?.())) return true;
  await emit(nodeId, { status: "running", attempt });
  return false;
}

async function runWithRetries(
  input: TInterpretInput,
  node: TFlowNode,
  scope: TMappingScope,
  emit: (nodeId: string, outcome: TNodeOutcome | { status: "running"; attempt: number }) => Promise<void>,
): Promise<TNodeOutcome | "cancelled"> {
  const policy = input.retryPolicy?.(node) ?? policyOf(node);
  const timeoutMs = stepTimeoutOf(node);
  const executor = input.executors[node.type];
  const canLogInsideAttempt = input.hooks?.canLogInsideAttempt === true;
  const outcomeOf = (result: TAttemptResult, attempt: number): TNodeOutcome =>
    result.ok
      ? {
          status: "succeeded",
          output: result.output,
          input: result.input,
          attempts: attempt,
          ...(branchLabelsOf(node.type) ? { branch: evaluateCondition(result.output) } : {}),
        }
      : { status: "failed", error: result.error, code: result.code, attempts: attempt, input: result.input };
  let last: Extract<TAttemptResult, { ok: false }> | undefined;
  let tried = 0;
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    tried = attempt;
    const result = await input.step.run(`node:${node.id}:attempt:${attempt}`, async (): Promise<TAttemptStepResult> => {
      if (await startAttempt(input, node.id, attempt, attempt === 1, emit)) return { ok: false, cancelled: true };
      let config: Record<string, unknown> | undefined;
      let attemptResult: TAttemptResult;
      try {
        if (!executor) throw new StepFailure(`No executor for step type "${node.type}".`, { retryable: false, code: "UNSUPPORTED" });
        config = renderValue(node.config, scope) as Record<string, unknown>;
        const run = executor({ node, config, scope, runId: input.runId, projectId: input.projectId, attempt });
        const output = timeoutMs === undefined ? await run : await withTimeout(run, timeoutMs);
        attemptResult = { ok: true, output: output ?? null, input: config };
      } catch (error) {
        attemptResult = { ok: false, ...describe(error), input: config };
      }
      const isFinal = attemptResult.ok || !attemptResult.retryable || attempt === policy.attempts;
      // The driver stores this log entry with the step's memo, in the same write.
      if (canLogInsideAttempt && isFinal) await emit(node.id, outcomeOf(JSON.parse(JSON.stringify(attemptResult)) as TAttemptResult, attempt));
      return attemptResult;
    });
    if ("cancelled" in result) return "cancelled";
    if (result.ok) return outcomeOf(result, attempt);
    last = result;
    if (!result.retryable || attempt === policy.attempts) break;
    // The wait is drawn inside a step, so a replay waits the same time it did first.
    const wait = await input.step.run(`node:${node.id}:backoff-ms:${attempt}`, async () => backoffMs(policy, attempt, result.retryAfterMs));
    await input.step.sleep(`node:${node.id}:backoff:${attempt}`, wait);
  }
  return { status: "failed", error: last?.error ?? "The step failed.", code: last?.code, attempts: tried, input: last?.input };
}

type TNodeRetry = { attempts?: number; timeoutMs?: number } | undefined;

/** The step's own retry settings over the defaults (validated at publish). */
function policyOf(node: TFlowNode): TRetryPolicy {
  const retry = node.config.retry as TNodeRetry;
  return typeof retry?.attempts === "number" ? { ...DEFAULT_RETRY_POLICY, attempts: retry.attempts } : DEFAULT_RETRY_POLICY;
}

/** The step's own timeout per attempt, when it sets one. */
export function stepTimeoutOf(node: TFlowNode): number | undefined {
  const retry = node.config.retry as TNodeRetry;
  return typeof retry?.timeoutMs === "number" ? retry.timeoutMs : undefined;
}

/** An attempt that takes longer than the step's timeout fails as a retryable timeout. */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepFailure(`The step took longer than ${Math.round(ms / 1000)} s.`, { retryable: true, code: "TIMEOUT" })), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
