// The interpreter: runs one published flow version step by step, written once against
// the part of Inngest's `step` API it needs. Each attempt of each node is its own
// durable step (memoized by the driver, so a completed attempt never runs again after
// a crash or a replay), and each backoff and delay is a durable sleep. The cancel check
// before a node starts happens inside its first attempt's step, so it costs no durable
// write of its own, and its answer is memoized with the attempt. Failures are
// caught inside the step and returned as data, so the driver's own retries never fire:
// the retry policy here is the only one.
import type { TEdgeLabel, TFlowDocument, TFlowEdge, TFlowNode } from "./document";
import { loopStructureOf, type TLoopStructure } from "./loops";
import { isTriggerType, onErrorOf, timeoutMsOf, WAITING_NODE_TYPES, type TStepTimeout } from "./node-types";
import { renderString, renderValue, type TMappingScope } from "./references";
import { backoffMs, DEFAULT_RETRY_POLICY, StepFailure, type TRetryPolicy } from "./retry-policy";
import { topologicalOrder } from "./validate";

/** The subset of Inngest's `step` tools the interpreter uses; drivers supply it. */
export type TStepTools = {
  run<T>(id: string, fn: () => Promise<T>): Promise<T>;
  sleep(id: string, durationMs: number): Promise<void>;
  sleepUntil(id: string, at: Date): Promise<void>;
  /**
   * Parks the run until a signal named `key` is sent to it (its payload), or `until`
   * passes (null). Memoized like every step: a replay gets the first answer. Optional
   * so a driver without it still runs flows with no waiting step.
   */
  waitForSignal?(id: string, options: { key: string; until: Date }): Promise<{ payload: unknown } | null>;
  /**
   * Set by step tools that keep every step once when several run at the same time (a
   * loop's concurrency). Without it a loop runs one item at a time, whatever it asks.
   */
  canRunInParallel?: boolean;
};

export type TExecutorContext = {
  node: TFlowNode;
  /** The node's config with every `{{...}}` rendered from the trigger and earlier outputs. */
  config: Record<string, unknown>;
  scope: TMappingScope;
  runId: string;
  projectId: string;
  attempt: number;
  /**
   * The signal key the interpreter waits on after this node's executor returns (sub-flow,
   * approval): `approval:<node id>`, with the loop iteration inside a loop (`approval:ask@3`).
   * Executors store it with what they create; other nodes get a key nobody waits on.
   */
  waitKey: string;
  /**
   * Every secret the run can see (the run log's scrubber holds the same list), for an
   * executor whose output leaves the run: a Respond step's reply, an approval's message.
   * Unset (a caller that did not read them), such an executor reads them itself.
   */
  runSecrets?: readonly string[];
};

/** What a node does. Delay, loop, merge and condition routing are the interpreter's own. */
export type TExecutor = (context: TExecutorContext) => Promise<unknown>;

/** A failure a step's onError turned into a result ("continue" or "branch"): the run goes on. */
export type THandledFailure = { error: string; code?: string };

export type TNodeOutcome =
  | { status: "succeeded"; output: unknown; attempts: number; branch?: TEdgeLabel; input?: unknown; handled?: THandledFailure }
  | { status: "failed"; error: string; code?: string; attempts: number; input?: unknown }
  | { status: "skipped" };

/**
 * `nodes` holds each node's outcome by id; a loop's body steps also once per item, as
 * `<node id>@<index>` (`@<outer>.<inner>` in a nested loop). `output` is the run's result:
 * the body a Respond step answered with, else the output of the last step that succeeded.
 */
export type TRunResult = {
  status: "succeeded" | "failed" | "cancelled";
  nodes: Record<string, TNodeOutcome>;
  failedNodeId?: string;
  output?: unknown;
};

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
  /** Every secret the run can see, handed to executors (TExecutorContext.runSecrets). */
  runSecrets?: readonly string[];
};

type TAttemptResult =
  { ok: true; output: unknown; input?: unknown } | { ok: false; error: string; retryable: boolean; retryAfterMs?: number; code?: string; input?: unknown };

/** What a node's attempt step returns: its result, or that the run was cancelled before it started. */
type TAttemptStepResult = TAttemptResult | { ok: false; cancelled: true };

type TEmit = (nodeId: string, outcome: TNodeOutcome | { status: "running"; attempt: number }) => Promise<void>;

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

/** Which labelled paths a succeeded node's output follows (none: its plain paths). */
function branchOf(node: TFlowNode, output: unknown): TEdgeLabel | undefined {
  if (node.type === "step.condition") return evaluateCondition(output);
  if (node.type === "step.loop") return "done";
  if (node.type === "step.approval") return (output as { decision?: unknown } | null)?.decision === "approved" ? "approved" : "rejected";
  return undefined;
}

/** A failure, unless the node's onError turns it into a result that lets the run go on. */
function handleFailure(node: TFlowNode, outcome: Extract<TNodeOutcome, { status: "failed" }>): TNodeOutcome {
  const mode = onErrorOf(node);
  if (mode === "stop") return outcome;
  return {
    status: "succeeded",
    output: { error: { message: outcome.error, code: outcome.code ?? null } },
    attempts: outcome.attempts,
    input: outcome.input,
    handled: { error: outcome.error, ...(outcome.code ? { code: outcome.code } : {}) },
    ...(mode === "branch" ? { branch: "error" as const } : {}),
  };
}

/** Whether a path carries the run on: its source succeeded and took this path's outcome (a plain path: any outcome but an error). */
function isLive(edge: TFlowEdge, source: TNodeOutcome | undefined): boolean {
  if (source?.status !== "succeeded") return false;
  return edge.label ? source.branch === edge.label : source.branch !== "error";
}

/** Failures of a loop's iterations per body step, for the one row each gets under its own id when the loop ends. */
type TBodyStats = { ran: number; handled: number; failed?: { index: string; error: string; code?: string } };

type TRun = {
  input: TInterpretInput;
  nodes: Map<string, TFlowNode>;
  incoming: Map<string, TFlowEdge[]>;
  loops: TLoopStructure;
  /** The nodes each level runs, in run order: "" is the top level, else the loop's id. */
  members: Map<string, string[]>;
  outcomes: Record<string, TNodeOutcome>;
  bodyStats: Map<string, TBodyStats>;
  emit: TEmit;
};

type TLevelResult =
  | { status: "succeeded"; last?: unknown; hasLast: boolean }
  | { status: "failed"; nodeId: string; outcome: Extract<TNodeOutcome, { status: "failed" }> }
  | { status: "cancelled" };

export async function interpretFlow(input: TInterpretInput): Promise<TRunResult> {
  const { document } = input;
  const nodes = new Map<string, TFlowNode>();
  for (const node of document.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
  const incoming = new Map<string, TFlowEdge[]>();
  for (const edge of document.edges) {
    const list = incoming.get(edge.target);
    if (list) list.push(edge);
    else incoming.set(edge.target, [edge]);
  }
  const loops = loopStructureOf(document);
  const members = new Map<string, string[]>([["", []]]);
  for (const loopId of loops.bodyOf.keys()) members.set(loopId, []);
  for (const nodeId of topologicalOrder(document)) members.get(loops.loopOf.get(nodeId) ?? "")!.push(nodeId);
  const outcomes: Record<string, TNodeOutcome> = {};
  const run: TRun = {
    input,
    nodes,
    incoming,
    loops,
    members,
    outcomes,
    bodyStats: new Map(),
    emit: async (nodeId, outcome) => {
      await input.hooks?.onNodeEvent?.({ nodeId, outcome });
    },
  };
  const scope: TMappingScope = { trigger: input.triggerPayload, steps: {} };
  const result = await runLevel(run, "", scope, "", outcomes);
  if (result.status === "cancelled") return { status: "cancelled", nodes: outcomes };
  if (result.status === "failed") return { status: "failed", nodes: outcomes, failedNodeId: result.nodeId };
  return { status: "succeeded", nodes: outcomes, output: runOutputOf(run, result) };
}

/** The run's result: what a Respond step answered with, else the last succeeded step's output. */
function runOutputOf(run: TRun, result: Extract<TLevelResult, { status: "succeeded" }>): unknown {
  for (const nodeId of run.members.get("")!) {
    const node = run.nodes.get(nodeId)!;
    const outcome = run.outcomes[nodeId];
    if (node.type !== "step.respond" || outcome?.status !== "succeeded" || outcome.handled) continue;
    const body = (outcome.input as { body?: unknown } | undefined)?.body;
    if (typeof body !== "string") return body ?? null;
    try {
      return JSON.parse(body) as unknown;
    } catch {
      return body;
    }
  }
  return result.hasLast ? result.last : null;
}

/**
 * Runs the nodes of one level (the top, or one iteration of a loop's body) in order.
 * `suffix` marks an iteration (`@2`, `@2.0`) in step keys and log ids; `local` holds the
 * level's outcomes by plain node id (the loop's own "each" outcome seeded in a body).
 */
async function runLevel(run: TRun, level: string, scope: TMappingScope, suffix: string, local: Record<string, TNodeOutcome>): Promise<TLevelResult> {
  const { input } = run;
  const step = input.step;
  let last: unknown;
  let hasLast = false;
  for (const nodeId of run.members.get(level)!) {
    const node = run.nodes.get(nodeId)!;
    const displayId = nodeId + suffix;
    if (isTriggerType(node.type)) {
      local[nodeId] = { status: "succeeded", output: input.triggerPayload, attempts: 1 };
      continue;
    }
    // A node runs when any path into it is live (a merge too: by then every path into
    // it is settled, as every node before it in run order has run or been skipped).
    const live = (run.incoming.get(nodeId) ?? []).some((edge) => isLive(edge, local[edge.source]));
    if (!live) {
      const skipped: TNodeOutcome = { status: "skipped" };
      record(run, local, nodeId, suffix, skipped);
      const body = node.type === "step.loop" ? [...run.loops.bodyOf.get(nodeId)!] : [];
      for (const id of body) record(run, local, id, suffix, skipped, true);
      await step.run(`log:${displayId}`, async () => {
        await run.emit(displayId, skipped);
        for (const id of body) await run.emit(id + suffix, skipped);
        return null;
      });
      continue;
    }
    if (suffix === "" && input.reuse && Object.hasOwn(input.reuse, nodeId)) {
      const output = input.reuse[nodeId];
      const branch = branchOf(node, output);
      local[nodeId] = { status: "succeeded", output, attempts: 0, ...(branch ? { branch } : {}) };
      scope.steps[nodeId] = { output };
      last = output;
      hasLast = true;
      continue;
    }

    let outcome: TNodeOutcome | "cancelled";
    let isLogged = false;
    if (node.type === "step.delay") {
      // Shown as running while the run sleeps.
      const isCancelled = await step.run(`start:${displayId}`, () => startAttempt(input, displayId, 1, true, run.emit));
      if (isCancelled) return { status: "cancelled" };
      outcome = await runDelay(input, node, scope, displayId);
    } else if (node.type === "step.merge") {
      outcome = mergeOf(run, node, local);
    } else if (node.type === "step.loop") {
      outcome = await runLoop(run, node, scope, suffix);
      isLogged = true;
    } else if (WAITING_NODE_TYPES.has(node.type)) {
      outcome = await runWaiting(run, node, scope, suffix);
    } else {
      outcome = await runWithRetries(input, node, scope, run.emit, { displayId, keyKind: "attempt", logInside: true, waitKey: `node:${displayId}` });
      isLogged = input.hooks?.canLogInsideAttempt === true;
    }
    if (outcome === "cancelled") return { status: "cancelled" };
    record(run, local, nodeId, suffix, outcome);
    if (!isLogged) {
      const final = outcome;
      await step.run(`log:${displayId}`, async () => {
        await run.emit(displayId, final);
        return null;
      });
    }
    if (outcome.status === "failed") return { status: "failed", nodeId, outcome };
    if (outcome.status === "succeeded") {
      scope.steps[nodeId] = { output: outcome.output };
      last = outcome.output;
      hasLast = true;
    }
  }
  return { status: "succeeded", last, hasLast };
}

/** Keeps a node's outcome: in its level, in the run's result (under its iteration's id), and in its body's tally. */
function record(run: TRun, local: Record<string, TNodeOutcome>, nodeId: string, suffix: string, outcome: TNodeOutcome, isBodyOfSkipped = false) {
  if (!isBodyOfSkipped) local[nodeId] = outcome;
  run.outcomes[nodeId + suffix] = outcome;
  if (suffix === "" || isBodyOfSkipped) return;
  const stats = run.bodyStats.get(nodeId) ?? { ran: 0, handled: 0 };
  if (outcome.status !== "skipped") stats.ran += 1;
  if (outcome.status === "succeeded" && outcome.handled) stats.handled += 1;
  if (outcome.status === "failed" && !stats.failed) stats.failed = { index: suffix.slice(1), error: outcome.error, code: outcome.code };
  run.bodyStats.set(nodeId, stats);
}

/** A merge's output: the outputs of the live paths into it, by source id ("object") or in path order ("list"). */
function mergeOf(run: TRun, node: TFlowNode, local: Record<string, TNodeOutcome>): TNodeOutcome {
  const sources: string[] = [];
  for (const edge of run.incoming.get(node.id) ?? []) {
    if (isLive(edge, local[edge.source]) && !sources.includes(edge.source)) sources.push(edge.source);
  }
  const outputOf = (id: string) => (local[id] as Extract<TNodeOutcome, { status: "succeeded" }>).output ?? null;
  const output = node.config.mode === "list" ? sources.map(outputOf) : Object.fromEntries(sources.map((id) => [id, outputOf(id)] as const));
  return { status: "succeeded", output, attempts: 1, input: { sources } };
}

/** Thrown for a loop whose list cannot be gone through; a clear, non-retryable failure. */
function loopItemsOf(node: TFlowNode, scope: TMappingScope): unknown[] {
  const config = node.config as { items?: unknown; maxItems?: unknown };
  const maxItems = typeof config.maxItems === "number" ? config.maxItems : 100;
  const value = typeof config.items === "string" ? renderString(config.items, scope) : config.items;
  if (!Array.isArray(value)) {
    const kind = value === null ? "null" : typeof value === "object" ? "an object" : `a ${typeof value}`;
    throw new StepFailure(`The loop's list is ${kind}, not a list: point "List" at one, such as {{steps.fetch.output.body.items}}.`, {
      retryable: false,
      code: "LOOP_NOT_A_LIST",
    });
  }
  // Refused whole, before any item runs: a cut list would look like a complete result.
  if (value.length > maxItems) {
    throw new StepFailure(
      `The list has ${value.length} items, more than this loop's limit of ${maxItems}; no item was run. Raise "Max items" (up to 1000) or pass a shorter list.`,
      { retryable: false, code: "LOOP_TOO_MANY_ITEMS" },
    );
  }
  return value;
}

/**
 * Runs up to `concurrency` of `count` tasks at once, in index order; a task answering
 * false starts no further ones. Every task started is waited for, even after one throws
 * (a driver's suspension included): nothing of the run is left going behind its back.
 * Then the first error, if any, is thrown.
 */
async function pool(count: number, concurrency: number, task: (index: number) => Promise<boolean>): Promise<void> {
  let next = 0;
  let isStopped = false;
  const errors: unknown[] = [];
  const worker = async () => {
    while (!isStopped && next < count) {
      const index = next;
      next += 1;
      try {
        if (!(await task(index))) isStopped = true;
      } catch (error) {
        errors.push(error);
        isStopped = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  if (errors.length > 0) throw firstToRaise(errors);
}

/**
 * Of the errors parallel iterations threw: a real failure (a crash, a lost lease) first;
 * if all are a driver parking the run (an error with a `wakeAt`, as the embedded driver
 * throws), the earliest, so no iteration's sleep or wait overshoots (the rest wait again on resume).
 */
function firstToRaise(errors: unknown[]): unknown {
  const wakeAtOf = (error: unknown) => ((error as { wakeAt?: unknown } | null)?.wakeAt instanceof Date ? (error as { wakeAt: Date }).wakeAt.getTime() : null);
  const real = errors.find((error) => wakeAtOf(error) === null);
  if (real !== undefined) return real;
  return errors.reduce((earliest, error) => (wakeAtOf(error)! < wakeAtOf(earliest)! ? error : earliest));
}

/**
 * A loop: checks its list (memoized with the cancel check), runs its body once per item
 * (up to `concurrency` at once, each iteration's steps keyed by its index, so a replay
 * runs no finished iteration again), then settles with `{ count, items }` on "done", or
 * fails naming the first item that failed. Its outcome is memoized as the node's attempt.
 */
async function runLoop(run: TRun, node: TFlowNode, scope: TMappingScope, suffix: string): Promise<TNodeOutcome | "cancelled"> {
  const { input } = run;
  const displayId = node.id + suffix;
  const concurrency = input.step.canRunInParallel === true && typeof node.config.concurrency === "number" ? node.config.concurrency : 1;
  const body = [...run.loops.bodyOf.get(node.id)!];
  const start = await input.step.run(`node:${displayId}:items`, async (): Promise<TAttemptStepResult> => {
    if (await startAttempt(input, displayId, 1, true, run.emit)) return { ok: false, cancelled: true };
    try {
      return { ok: true, output: loopItemsOf(node, scope).length };
    } catch (error) {
      return { ok: false, ...describe(error) };
    }
  });
  if ("cancelled" in start) return "cancelled";

  let failure: { index: number; nodeId: string; outcome: Extract<TNodeOutcome, { status: "failed" }> } | undefined;
  let isCancelled = false;
  const results: unknown[] = [];
  let count = 0;
  if (start.ok) {
    // The same list again: the scope is made of memoized outputs, so a replay reads what the check read.
    const items = loopItemsOf(node, scope);
    count = items.length;
    results.length = count;
    results.fill(null);
    await pool(count, concurrency, async (index) => {
      const iterationSuffix = suffix ? `${suffix}.${index}` : `@${index}`;
      const iterationScope: TMappingScope = { trigger: scope.trigger, steps: { ...scope.steps }, loop: { item: items[index], index } };
      const local: Record<string, TNodeOutcome> = { [node.id]: { status: "succeeded", output: null, attempts: 1, branch: "each" } };
      const result = await runLevel(run, node.id, iterationScope, iterationSuffix, local);
      if (result.status === "cancelled") {
        isCancelled = true;
        return false;
      }
      if (result.status === "failed") {
        if (!failure || index < failure.index) failure = { index, nodeId: result.nodeId, outcome: result.outcome };
        return false;
      }
      results[index] = result.hasLast ? (result.last ?? null) : null;
      return true;
    });
    if (isCancelled) return "cancelled";
  }

  const settled = await input.step.run(`node:${displayId}:attempt:1`, async (): Promise<TAttemptResult> => {
    if (!start.ok) return start;
    if (failure) {
      const name = run.nodes.get(failure.nodeId)?.name ?? failure.nodeId;
      return {
        ok: false,
        error: `Item ${failure.index + 1} of ${count} failed at "${name}": ${failure.outcome.error}`,
        code: failure.outcome.code,
        retryable: false,
      };
    }
    return { ok: true, output: { count, items: results } };
  });
  const outcome: TNodeOutcome = settled.ok
    ? { status: "succeeded", output: settled.output, attempts: 1, branch: "done" }
    : handleFailure(node, { status: "failed", error: settled.error, code: settled.code, attempts: 1 });

  // The loop's row, and (for a loop at the top) one row per body step under its own id.
  const summaries = suffix === "" ? body.map((id) => [id, bodySummaryOf(run.bodyStats.get(id))] as const) : [];
  for (const [id, summary] of summaries) run.outcomes[id] = summary;
  await input.step.run(`log:${displayId}`, async () => {
    await run.emit(displayId, outcome);
    for (const [id, summary] of summaries) await run.emit(id, summary);
    return null;
  });
  return outcome;
}

/** A body step's row for the whole loop: how many items it ran for, and the first unhandled failure. */
function bodySummaryOf(stats: TBodyStats | undefined): TNodeOutcome {
  if (!stats || stats.ran === 0) return { status: "skipped" };
  if (stats.failed)
    return {
      status: "failed",
      error: `Item ${Number(stats.failed.index.split(".")[0]) + 1}: ${stats.failed.error}`,
      code: stats.failed.code,
      attempts: stats.ran,
    };
  return { status: "succeeded", output: { iterations: stats.ran, failed: stats.handled }, attempts: stats.ran };
}

const DEFAULT_TIMEOUTS: Record<string, TStepTimeout> = { "step.subflow": { amount: 1, unit: "hours" }, "step.approval": { amount: 3, unit: "days" } };

function describeTimeout(timeout: TStepTimeout): string {
  return `${timeout.amount} ${timeout.amount === 1 ? timeout.unit.replace(/s$/, "") : timeout.unit}`;
}

/**
 * A sub-flow or approval: the executor starts the child run or the request (with the key
 * to answer on), then the run waits for that signal until the timeout, fixed the first
 * time (memoized, so a replay waits for the same moment). The answer decides the outcome.
 */
async function runWaiting(run: TRun, node: TFlowNode, scope: TMappingScope, suffix: string): Promise<TNodeOutcome | "cancelled"> {
  const { input } = run;
  const displayId = node.id + suffix;
  const isApproval = node.type === "step.approval";
  const waitKey = `${isApproval ? "approval" : "subflow"}:${displayId}`;
  // The executor's attempts are `:send:` steps: a retry from the failed step must not take `{ approvalId }` for the node's result.
  const sent = await runWithRetries(input, node, scope, run.emit, { displayId, keyKind: "send", logInside: false, waitKey });
  if (sent === "cancelled") return "cancelled";
  if (sent.status !== "succeeded" || sent.handled) return sent;
  const timeout = (node.config.timeout as TStepTimeout | undefined) ?? DEFAULT_TIMEOUTS[node.type]!;
  let signal: { payload: unknown } | null = null;
  let unsupported = false;
  if (input.step.waitForSignal) {
    const deadline = await input.step.run(`node:${displayId}:deadline`, async () => new Date(Date.now() + timeoutMsOf(timeout)).toISOString());
    signal = await input.step.waitForSignal(`node:${displayId}:wait`, { key: waitKey, until: new Date(deadline) });
  } else {
    unsupported = true;
  }
  const settled = await input.step.run(`node:${displayId}:attempt:1`, async (): Promise<TAttemptResult> => {
    if (unsupported) return { ok: false, error: "This run's driver cannot wait for an answer.", code: "UNSUPPORTED", retryable: false };
    return isApproval ? approvalResultOf(signal, timeout) : subflowResultOf(signal, timeout);
  });
  if (!settled.ok) return handleFailure(node, { status: "failed", error: settled.error, code: settled.code, attempts: sent.attempts, input: sent.input });
  const branch = branchOf(node, settled.output);
  return { status: "succeeded", output: settled.output, attempts: sent.attempts, input: sent.input, ...(branch ? { branch } : {}) };
}

function approvalResultOf(signal: { payload: unknown } | null, timeout: TStepTimeout): TAttemptResult {
  if (!signal) return { ok: true, output: { decision: "timed_out", after: describeTimeout(timeout) } };
  const payload = signal.payload as { decision?: unknown; by?: unknown; at?: unknown } | null;
  if (payload?.decision !== "approved" && payload?.decision !== "rejected") {
    return { ok: false, error: "The answer to the approval could not be read.", code: "APPROVAL_ANSWER", retryable: false };
  }
  return {
    ok: true,
    output: { decision: payload.decision, by: typeof payload.by === "string" ? payload.by : null, at: typeof payload.at === "string" ? payload.at : null },
  };
}

function subflowResultOf(signal: { payload: unknown } | null, timeout: TStepTimeout): TAttemptResult {
  if (!signal) return { ok: false, error: `The flow it ran did not finish within ${describeTimeout(timeout)}.`, code: "TIMEOUT", retryable: false };
  const payload = signal.payload as { status?: unknown; output?: unknown; error?: unknown } | null;
  if (payload?.status === "succeeded") return { ok: true, output: payload.output ?? null };
  const error = payload?.error;
  const message =
    typeof error === "string"
      ? error
      : typeof (error as { message?: unknown } | null)?.message === "string"
        ? (error as { message: string }).message
        : "it failed";
  return { ok: false, error: `The flow it ran failed: ${message}`, code: "SUBFLOW_FAILED", retryable: false };
}

async function runDelay(input: TInterpretInput, node: TFlowNode, scope: TMappingScope, displayId: string): Promise<TNodeOutcome> {
  const config = node.config as { mode: "duration"; amount: number; unit: string } | { mode: "until"; until: string };
  if (config.mode === "duration") {
    const ms = config.amount * ({ seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as Record<string, number>)[config.unit]!;
    await input.step.sleep(`delay:${displayId}`, ms);
    return { status: "succeeded", output: { waitedMs: ms }, attempts: 1 };
  }
  // The target time may come from data: render it inside a step so it is memoized.
  const resolved = await input.step.run(`delay-until:${displayId}`, async (): Promise<TAttemptResult> => {
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
  await input.step.sleepUntil(`delay:${displayId}`, new Date(resolved.output as string));
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

type TAttemptOptions = {
  /** The node's id in step keys and the run log: with the loop iteration inside a loop (`notify@3`). */
  displayId: string;
  /** "attempt" for a node whose result is its executor's; "send" for a waiting node, whose result comes later. */
  keyKind: "attempt" | "send";
  /** Whether the final outcome may be logged inside the last attempt's step (when the driver can). */
  logInside: boolean;
  waitKey: string;
};

async function runWithRetries(
  input: TInterpretInput,
  node: TFlowNode,
  scope: TMappingScope,
  emit: TEmit,
  options: TAttemptOptions,
): Promise<TNodeOutcome | "cancelled"> {
  const { displayId, keyKind, waitKey } = options;
  const policy = input.retryPolicy?.(node) ?? policyOf(node);
  const timeoutMs = stepTimeoutOf(node);
  const executor = input.executors[node.type];
  const canLogInsideAttempt = input.hooks?.canLogInsideAttempt === true && options.logInside;
  const outcomeOf = (result: TAttemptResult, attempt: number): TNodeOutcome => {
    if (!result.ok) return handleFailure(node, { status: "failed", error: result.error, code: result.code, attempts: attempt, input: result.input });
    const branch = keyKind === "attempt" ? branchOf(node, result.output) : undefined;
    return { status: "succeeded", output: result.output, input: result.input, attempts: attempt, ...(branch ? { branch } : {}) };
  };
  let last: Extract<TAttemptResult, { ok: false }> | undefined;
  let tried = 0;
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    tried = attempt;
    const result = await input.step.run(`node:${displayId}:${keyKind}:${attempt}`, async (): Promise<TAttemptStepResult> => {
      if (await startAttempt(input, displayId, attempt, attempt === 1, emit)) return { ok: false, cancelled: true };
      let config: Record<string, unknown> | undefined;
      let attemptResult: TAttemptResult;
      try {
        if (!executor) throw new StepFailure(`No executor for step type "${node.type}".`, { retryable: false, code: "UNSUPPORTED" });
        config = renderValue(node.config, scope) as Record<string, unknown>;
        const run = executor({ node, config, scope, runId: input.runId, projectId: input.projectId, attempt, waitKey, runSecrets: input.runSecrets });
        const output = timeoutMs === undefined ? await run : await withTimeout(run, timeoutMs);
        attemptResult = { ok: true, output: output ?? null, input: config };
      } catch (error) {
        attemptResult = { ok: false, ...describe(error), input: config };
      }
      const isFinal = attemptResult.ok || !attemptResult.retryable || attempt === policy.attempts;
      // The driver stores this log entry with the step's memo, in the same write.
      if (canLogInsideAttempt && isFinal) await emit(displayId, outcomeOf(JSON.parse(JSON.stringify(attemptResult)) as TAttemptResult, attempt));
      return attemptResult;
    });
    if ("cancelled" in result) return "cancelled";
    if (result.ok) return outcomeOf(result, attempt);
    last = result;
    if (!result.retryable || attempt === policy.attempts) break;
    // The wait is drawn inside a step, so a replay waits the same time it did first.
    const wait = await input.step.run(`node:${displayId}:backoff-ms:${attempt}`, async () => backoffMs(policy, attempt, result.retryAfterMs));
    await input.step.sleep(`node:${displayId}:backoff:${attempt}`, wait);
  }
  return handleFailure(node, { status: "failed", error: last?.error ?? "The step failed.", code: last?.code, attempts: tried, input: last?.input });
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
