import "server-only";
// "Listen for a test event" on the flow page: the next call to the flow's webhook address
// becomes the trigger's sample (lib/server/flows/store-listened-sample.ts). The marker is
// a row's expiry, not process memory, so the call may reach any app instance. The page
// asks again every few seconds ("check"); a sample stored since it started listening
// is the answer. Everything here takes flows.write: listening changes what the next
// webhook call does, and the sample is the caller's request.
import { parseFlowDocument } from "@/lib/flows/document";
import type { TStepSample } from "@/lib/flows/step-sample";
import { trimSample } from "@/lib/flows/trim-sample";
import { AppError } from "@/lib/errors";
import { ZListenForTestEventInput, type TListenForTestEventInput } from "@/lib/webhooks/webhook-schemas";
import { getDb } from "../db";
import { flowsVisibleTo } from "../flows/flow-access";
import { flowNotFound } from "../flows/flow-not-found";
import { openStepSample } from "../flows/step-sample-seal";
import { parseInput } from "../parse-input";

/** How long one "Listen" waits for a call. */
export const LISTEN_WINDOW_MS = 2 * 60 * 1000;

export type TListenAnswer = { status: "listening"; since: string; until: string } | { status: "received"; sample: TStepSample } | { status: "stopped" };

export async function listenForTestEvent(userId: string, raw: TListenForTestEventInput, options: { now?: () => number } = {}): Promise<TListenAnswer> {
  const input = parseInput(ZListenForTestEventInput, raw);
  const now = new Date((options.now ?? Date.now)());
  const db = getDb();
  const flow = await db.flow.findFirst({
    where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
    select: { id: true, projectId: true, draft: true, webhook: { select: { listeningUntil: true } } },
  });
  if (!flow) throw flowNotFound();
  if (!flow.webhook) throw new AppError("BAD_INPUT", "Make the webhook address first.");
  const trigger = parseFlowDocument(flow.draft).nodes.find((node) => node.type.startsWith("trigger."));
  if (trigger?.type !== "trigger.webhook") throw new AppError("BAD_INPUT", "This flow's trigger is not a webhook.");

  if (input.mode === "start") {
    const until = new Date(now.getTime() + LISTEN_WINDOW_MS);
    await db.flowWebhook.update({ where: { flowId: flow.id }, data: { listeningUntil: until, listeningById: userId } });
    return { status: "listening", since: now.toISOString(), until: until.toISOString() };
  }
  if (input.mode === "stop") {
    await db.flowWebhook.update({ where: { flowId: flow.id }, data: { listeningUntil: null } });
    return { status: "stopped" };
  }
  const since = new Date(input.since);
  const row = await db.flowStepSample.findUnique({
    where: { flowId_nodeId: { flowId: flow.id, nodeId: trigger.id } },
    select: { nodeType: true, outputSealed: true, createdAt: true },
  });
  if (row && row.nodeType === trigger.type && row.createdAt >= since) {
    const output = openStepSample(row.outputSealed, flow.projectId, flow.id, trigger.id);
    return { status: "received", sample: { nodeId: trigger.id, source: "test", output: trimSample(output), at: row.createdAt.toISOString(), runId: null } };
  }
  const until = flow.webhook.listeningUntil;
  return until && until > now ? { status: "listening", since: input.since, until: until.toISOString() } : { status: "stopped" };
}
