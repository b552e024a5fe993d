import "server-only";
// "Test step" in the editor: runs one step of the saved draft on the server, with the
// run's executors (HTTP through the SSRF guard, credentials only from this project's
// connections), shows its output scrubbed exactly like the run log, and keeps that
// output as the step's sample data for the data-mapping picker.
import type { TExecutor } from "@/lib/flows/interpreter";
import { parseFlowDocument, ZNodeId, type TFlowDocument, type TFlowNode } from "@/lib/flows/document";
import { ZFlowId } from "@/lib/flows/flow-schemas";
import { isNodeType, isTriggerType, NODE_CONFIG_SCHEMAS, NODE_TYPE_LABELS } from "@/lib/flows/node-types";
import { schedulePayloadOf } from "@/lib/flows/schedule";
import type { TStepSample } from "@/lib/flows/step-sample";
import { upstreamNodeIds } from "@/lib/flows/upstream-nodes";
import { AppError } from "@/lib/errors";
import { createScrubber } from "@/lib/scrub";
import { z } from "@/lib/zod";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import { consumeRateLimits, LIMITS, RateLimitedError } from "../rate-limit/limiters";
import type { TRequestMeta } from "../request-meta";
import { createAppExecutors } from "../apps";
import { createExecutors } from "../runs/executors";
import { createHttpRequestExecutor } from "../runs/executors/http-request";
import { scrubRunError } from "../runs/run-log";
import { listRunSecrets } from "../runs/run-secrets";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";
import { connectionIdsOf } from "@/lib/flows/connection-uses";
import { isSampleTooLarge, MAX_SAMPLE_BYTES, readStepSamples } from "./read-step-samples";
import { runStepInIsolation, type TIsolatedOutcome } from "./run-step-in-isolation";
import { scrubStepValue, sealStepSample } from "./step-sample-seal";

export const MAX_TRIGGER_SAMPLE_BYTES = 256 * 1024;
const MAX_ERROR_LENGTH = 500;

/** Any JSON value, at most 256 KB as JSON; normalized through JSON so only plain data goes on. */
const ZTriggerSample = z.unknown().transform((value, ctx) => {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    text = undefined;
  }
  if (text === undefined) {
    ctx.addIssue({ code: "custom", message: "The sample payload must be JSON data." });
    return z.NEVER;
  }
  if (Buffer.byteLength(text) > MAX_TRIGGER_SAMPLE_BYTES) {
    ctx.addIssue({ code: "custom", message: `The sample payload is larger than ${MAX_TRIGGER_SAMPLE_BYTES / 1024} KB.` });
    return z.NEVER;
  }
  return JSON.parse(text) as unknown;
});

export const ZTestFlowStepInput = z.strictObject({
  flowId: ZFlowId,
  nodeId: ZNodeId,
  /**
   * The trigger's payload (for a webhook: `{ method, headers, query, body }`). Testing
   * the trigger stores it as the trigger's sample; testing a step uses it as `trigger`
   * instead of the trigger's stored sample.
   */
  triggerSample: ZTriggerSample.optional(),
});
export type TTestFlowStepInput = z.input<typeof ZTestFlowStepInput>;

export type TStepTestResult =
  | {
      status: "succeeded";
      /** The output as stored, scrubbed: exactly what a run's step outputs. */
      sample: TStepSample;
      /**
       * What the step would do beyond its output, scrubbed like it and stored nowhere: for
       * a Respond step, the answer `{ status, headers, body }` (its output is `{ status }`).
       */
      preview?: unknown;
      durationMs: number;
      /** Something to know about this result, e.g. that a Delay did not wait. */
      note: string | null;
    }
  | { status: "failed"; /** Scrubbed, short, safe to show. */ error: string; durationMs: number };

export type TTestFlowStepOptions = {
  /** Tests replace executors by step type (e.g. HTTP with their own outbound policy); the rest are the run's. */
  executors?: Partial<Record<string, TExecutor>>;
  /** Tests of the time cap set a shorter one than MAX_STEP_TEST_MS. */
  maxTestMs?: number;
};

async function consumeStepTestLimit(userId: string): Promise<void> {
  try {
    await consumeRateLimits([["stepTestUser", userId]]);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    const limit = LIMITS.stepTestUser.points;
    throw new AppError("RATE_LIMITED", `You can test steps ${limit} times a minute. Try again in ${error.retryAfterSeconds} seconds.`);
  }
}

/** A manual trigger's example payload (what "Run now" offers), if it has one. */
function manualSampleOf(node: TFlowNode | undefined): unknown {
  return node?.type === "trigger.manual" ? node.config.samplePayload : undefined;
}

/** What a trigger receives: the payload typed for the test, or what the trigger itself would send. */
function triggerPayloadFor(node: TFlowNode, typed: unknown): unknown {
  if (typed !== undefined) return typed;
  const manual = manualSampleOf(node);
  if (manual !== undefined) return manual;
  if (node.type === "trigger.schedule") {
    const now = new Date();
    return schedulePayloadOf(now, now);
  }
  const what = node.type === "trigger.webhook" ? "a sample request (method, headers, query and body)" : "a sample payload";
  throw new AppError("BAD_INPUT", `Enter ${what} to test the trigger with.`);
}

function checkStepConfig(node: TFlowNode): void {
  if (!isNodeType(node.type)) throw new AppError("BAD_INPUT", `Steps of type "${node.type}" cannot be tested.`);
  const parsed = NODE_CONFIG_SCHEMAS[node.type].safeParse(node.config);
  if (parsed.success) return;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? ` (${issue.path.join(".")})` : "";
  throw new AppError(
    "BAD_INPUT",
    `Fix this ${NODE_TYPE_LABELS[node.type]} step's settings before testing it: ${issue?.message ?? "they are not valid"}${field}`,
  );
}

/** The run's executors; a blocked request is audited as this person's step test. */
function executorsFor(userId: string, options: TTestFlowStepOptions): Partial<Record<string, TExecutor>> {
  return {
    ...createExecutors(),
    "step.http": createHttpRequestExecutor({ auditAs: { source: "step-test", userId } }),
    ...createAppExecutors({ auditAs: { source: "step-test", userId } }),
    ...options.executors,
  };
}

async function runNode(
  userId: string,
  flow: { id: string; projectId: string; draft: TFlowDocument },
  node: TFlowNode,
  typedTrigger: unknown,
  options: TTestFlowStepOptions,
): Promise<TIsolatedOutcome> {
  if (isTriggerType(node.type)) return { ok: true, output: triggerPayloadFor(node, typedTrigger), note: null };
  checkStepConfig(node);
  const triggerNode = flow.draft.nodes.find((other) => isTriggerType(other.type));
  // Only what the step can read: the trigger and the steps that run before it.
  const upstream = upstreamNodeIds(flow.draft, node.id);
  const samples = await readStepSamples(flow, [...(triggerNode ? [triggerNode.id] : []), ...upstream]);
  const triggerSample = typedTrigger ?? (triggerNode ? samples.get(triggerNode.id)?.output : undefined) ?? manualSampleOf(triggerNode);
  return runStepInIsolation({
    projectId: flow.projectId,
    draft: flow.draft,
    node,
    trigger: triggerSample ?? {},
    hasTriggerSample: triggerSample !== undefined,
    upstream,
    samples,
    executors: executorsFor(userId, options),
    maxTestMs: options.maxTestMs,
  });
}

async function storeSample(userId: string, meta: TRequestMeta, flow: { id: string; projectId: string }, node: TFlowNode, sealed: string): Promise<Date> {
  const at = new Date();
  await getDb().$transaction(async (tx) => {
    // Checked again as it is stored: a test may take a while, and a person removed
    // from the project meanwhile stores nothing.
    const still = await tx.flow.findFirst({ where: { id: flow.id, ...flowsVisibleTo(userId, "flows.write") }, select: { id: true } });
    if (!still) throw flowNotFound();
    await tx.flowStepSample.upsert({
      where: { flowId_nodeId: { flowId: flow.id, nodeId: node.id } },
      create: { flowId: flow.id, nodeId: node.id, nodeType: node.type, outputSealed: sealed, createdById: userId, createdAt: at },
      update: { nodeType: node.type, outputSealed: sealed, createdById: userId, createdAt: at },
    });
    await recordAuditEvent(
      { action: "flow.step_tested", userId, projectId: flow.projectId, meta, details: { flowId: flow.id, nodeId: node.id, type: node.type } },
      tx,
    );
  });
  return at;
}

/**
 * Tests one step of the saved draft (the editor saves before it tests). A trigger's
 * test stores the given payload as its sample; a step's test runs it with the samples
 * of the other steps as its input. Success replaces the step's sample; a failure
 * stores nothing and keeps the previous one. Secrets never leave: the output and the
 * error are scrubbed with every secret the flow can see before they are stored or
 * returned, and the audit event names only the step.
 */
export async function testFlowStep(userId: string, raw: TTestFlowStepInput, meta: TRequestMeta, options: TTestFlowStepOptions = {}): Promise<TStepTestResult> {
  const input = parseInput(ZTestFlowStepInput, raw);
  const row = await getDb().flow.findFirst({
    where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
    select: { id: true, projectId: true, draft: true },
  });
  if (!row) throw flowNotFound();
  const flow = { id: row.id, projectId: row.projectId, draft: parseFlowDocument(row.draft) };
  const node = flow.draft.nodes.find((candidate) => candidate.id === input.nodeId);
  if (!node) throw new AppError("BAD_INPUT", "This step is not in the saved draft yet. Wait until the editor has saved, then test again.");
  await consumeStepTestLimit(userId);

  const started = Date.now();
  const secrets = await listRunSecrets(
    flow.projectId,
    connectionIdsOf(flow.draft).map((use) => use.connectionId),
    flow.id,
  );
  const scrubber = createScrubber({ secrets });
  const outcome = await runNode(userId, flow, node, input.triggerSample, options);
  const durationMs = Date.now() - started;
  const fail = async (error: string): Promise<TStepTestResult> => {
    await recordAuditEvent({
      action: "flow.step_tested",
      outcome: "failure",
      userId,
      projectId: flow.projectId,
      meta,
      details: { flowId: flow.id, nodeId: node.id, type: node.type },
    });
    return { status: "failed", error: scrubRunError(error, scrubber).slice(0, MAX_ERROR_LENGTH), durationMs };
  };
  if (!outcome.ok) return fail(outcome.error);
  const { sealed, scrubbed } = sealStepSample(outcome.output, scrubber, { projectId: flow.projectId, flowId: flow.id, nodeId: node.id });
  if (isSampleTooLarge(scrubbed)) return fail(`The step's output is larger than ${MAX_SAMPLE_BYTES / 1024 / 1024} MB, too large to keep as sample data.`);
  const at = await storeSample(userId, meta, flow, node, sealed);
  const preview = outcome.preview === undefined ? undefined : scrubStepValue(outcome.preview, scrubber);
  const isPreviewShown = preview !== undefined && !isSampleTooLarge(preview);
  return {
    status: "succeeded",
    sample: { nodeId: node.id, source: "test", output: scrubbed, at: at.toISOString(), runId: null },
    ...(isPreviewShown ? { preview } : {}),
    durationMs,
    note: preview !== undefined && !isPreviewShown ? `The answer is larger than ${MAX_SAMPLE_BYTES / 1024 / 1024} MB, too large to show here.` : outcome.note,
  };
}
