// Shared set-up of the engine's integration tests: a user owning a project with a flow
// whose published version is `document` (written directly, so test-only step types can
// be used, or an old version from before today's rules), such a flow in a project the
// test already has, the same with a webhook address, and a run's outcome read back from
// its run log (as the run page reads it).
import type { TFlowDocument } from "@/lib/flows/document";
import type { TExecutor, TNodeOutcome, TRunResult } from "@/lib/flows/interpreter";
import { getDb } from "@/lib/server/db";
import type { TRequestMeta } from "@/lib/server/request-meta";
import { REUSE_STATE_KEY, saveRunState } from "@/lib/server/runs/run-state";
import { openRunLogValue } from "@/lib/server/runs/run-log";
import { startRun } from "@/lib/server/runs/start-run";
import { createWebhookAddress } from "@/lib/server/webhooks/create-webhook-address";

let seeded = 0;

export async function seedPublishedFlow(
  document: TFlowDocument,
  label = "flow",
  options: { isActive?: boolean } = {},
): Promise<{ userId: string; projectId: string; flowId: string }> {
  const db = getDb();
  seeded += 1;
  const tag = `${label}-${seeded}-${Date.now()}`;
  const user = await db.user.create({ data: { email: `${tag}@example.com` }, select: { id: true } });
  const project = await db.project.create({
    data: { name: `Project ${tag}`, memberships: { create: { userId: user.id, role: "OWNER" } } },
    select: { id: true },
  });
  const flowId = await seedFlowInProject(project.id, document, { name: `Flow ${tag}`, isActive: options.isActive ?? false });
  return { userId: user.id, projectId: project.id, flowId };
}

/** A flow of an existing project whose draft and published version 1 are `document` (written directly); returns its id. */
export async function seedFlowInProject(projectId: string, document: TFlowDocument, options: { name: string; isActive?: boolean }): Promise<string> {
  const db = getDb();
  const flow = await db.flow.create({
    data: { projectId, name: options.name, draft: document as never, isActive: options.isActive ?? false },
    select: { id: true },
  });
  const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as never }, select: { id: true } });
  await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
  return flow.id;
}

/** A flow with only a webhook trigger: enough for a call to be received and recorded. */
export const WEBHOOK_ONLY_DOCUMENT: TFlowDocument = {
  schemaVersion: 1,
  nodes: [{ id: "trigger", type: "trigger.webhook", name: "Hook", config: {}, ui: { x: 0, y: 0 } }],
  edges: [],
};

/**
 * A published webhook flow, active unless `isActive` is false, and its address made by
 * its owner (`token` is the address's last segment, what a caller puts in the path).
 */
export async function seedWebhookFlow(
  document: TFlowDocument = WEBHOOK_ONLY_DOCUMENT,
  options: { label?: string; isActive?: boolean; meta?: TRequestMeta } = {},
): Promise<{ userId: string; projectId: string; flowId: string; url: string; token: string }> {
  const flow = await seedPublishedFlow(document, options.label ?? "hook", { isActive: options.isActive ?? true });
  const { url } = await createWebhookAddress(flow.userId, { flowId: flow.flowId }, options.meta ?? { ip: "192.0.2.1", userAgent: "vitest" });
  return { ...flow, url, token: url.split("/").pop()! };
}

/** The run's status and each node's outcome, from the scrubbed, sealed run log. */
export async function runResultFromLog(runId: string): Promise<TRunResult> {
  const run = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { status: true, failedNodeId: true, projectId: true, steps: true } });
  const nodes: Record<string, TNodeOutcome> = {};
  for (const step of run.steps) {
    const record = step.recordSealed ? (openRunLogValue(step.recordSealed, run.projectId, runId, `step/${step.nodeId}`) as Record<string, unknown>) : {};
    nodes[step.nodeId] = (
      step.status === "skipped"
        ? { status: "skipped" }
        : step.status === "succeeded"
          ? { status: "succeeded", output: record.output, input: record.input, attempts: step.attempts, ...(record.branch ? { branch: record.branch } : {}) }
          : { status: step.status, error: record.error, input: record.input, attempts: step.attempts }
    ) as TNodeOutcome;
  }
  const status = run.status === "SUCCEEDED" ? "succeeded" : run.status === "FAILED" ? "failed" : "cancelled";
  return { status, nodes, ...(run.failedNodeId ? { failedNodeId: run.failedNodeId } : {}) };
}

/**
 * Queues one run of the semantics suite's flow: seeds it, starts the run, stores the
 * outputs to reuse, and wraps the executors so the suite's cancel callback becomes the
 * run's cancel flag in the database (what a person's Cancel does).
 */
export async function queueSuiteRun(input: {
  document: TFlowDocument;
  triggerPayload: unknown;
  executors: Record<string, TExecutor>;
  reuse?: Record<string, unknown>;
  isCancelled?: () => Promise<boolean>;
}): Promise<{ runId: string; projectId: string; executors: Record<string, TExecutor> }> {
  const db = getDb();
  const seededFlow = await seedPublishedFlow(input.document);
  const { runId } = await startRun({ flowId: seededFlow.flowId, payload: input.triggerPayload, trigger: "manual", userId: seededFlow.userId });
  if (input.reuse) await saveRunState(seededFlow.projectId, runId, REUSE_STATE_KEY, input.reuse);
  const executors = Object.fromEntries(
    Object.entries(input.executors).map(([type, executor]) => [
      type,
      (async (context) => {
        const output = await executor(context);
        if (await input.isCancelled?.()) await db.flowRun.update({ where: { id: runId }, data: { cancelRequestedAt: new Date() } });
        return output;
      }) satisfies TExecutor,
    ]),
  );
  return { runId, projectId: seededFlow.projectId, executors };
}
