import "server-only";
// A GitHub webhook delivery to a flow whose trigger is `trigger.github`, from raw
// request to queued run. The flow's address machinery is the webhook trigger's (the
// token in the path finds the flow); what differs is the check: the delivery must carry
// X-Hub-Signature-256, GitHub's HMAC-SHA256 of the raw body under the trigger's generated
// secret, and it is verified (constant time) before anything is parsed, stored or
// started. Then: ping is answered without a run, an event the trigger did not select
// starts nothing, and a delivery id seen before (GitHub's redeliveries, a replay) finds
// the run it started instead of starting another.
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { TFlowNode } from "@/lib/flows/document";
import { ZGithubTriggerConfig } from "@/lib/webhooks/github/github-events";
import { githubEventKeyOf } from "@/lib/webhooks/github/github-events";
import { GITHUB_SIGNATURE_HEADER, isValidGithubSignature } from "@/lib/webhooks/github/github-signature";
import { getDb } from "../../db";
import { IDEMPOTENCY_WINDOW_MS } from "../../maintenance/prune-expired-records";
import { consumeWebhookAddressLimit } from "../../rate-limit/webhook-limits";
import { startRun } from "../../runs/start-run";
import type { TIncomingWebhook, TWebhookAnswer } from "../receive-webhook";
import { openWebhookSigningSecret } from "../webhook-signing-secret";

export const GITHUB_TRIGGER_TYPE = "trigger.github";

/** A delivery's id is kept in the webhook idempotency table under this prefix, apart from callers' Idempotency-Keys. */
export const GITHUB_DELIVERY_KEY_PREFIX = "github-delivery:";

export type TGithubWebhookTarget = {
  flowId: string;
  projectId: string;
  versionId: string;
  signingSecretSealed: string | null;
  trigger: TFlowNode;
};

function answer(status: number, body: Record<string, unknown>): TWebhookAnswer {
  return { status, body };
}

/** The GitHub trigger of a document's nodes, if its trigger is one. */
export function githubTriggerOf(nodes: readonly TFlowNode[] | undefined): TFlowNode | undefined {
  const trigger = nodes?.find((node) => node.type.startsWith("trigger."));
  return trigger?.type === GITHUB_TRIGGER_TYPE ? trigger : undefined;
}

/** GitHub's JSON payload: sent as application/json, or as the `payload` field of a form. */
function payloadOf(contentType: string | null, body: Buffer): { ok: true; value: unknown } | { ok: false } {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  let text: string | null = null;
  if (type === "application/json") text = body.toString("utf8");
  else if (type === "application/x-www-form-urlencoded") text = new URLSearchParams(body.toString("utf8")).get("payload");
  if (text === null) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

export async function receiveGithubDelivery(request: TIncomingWebhook, target: TGithubWebhookTarget, now: () => number): Promise<TWebhookAnswer> {
  if (request.method.toUpperCase() !== "POST") return { ...answer(405, { error: "GitHub deliveries are POST requests." }), headers: { allow: "POST" } };
  // No secret: nothing can be verified, so nothing is accepted (fail closed).
  if (!target.signingSecretSealed) return answer(401, { error: "This GitHub trigger has no webhook secret yet: set it up in the flow's GitHub trigger." });
  const secret = openWebhookSigningSecret(target.signingSecretSealed, target.projectId, target.flowId);
  if (!isValidGithubSignature(secret, request.body, request.headers.get(GITHUB_SIGNATURE_HEADER))) {
    return answer(401, { error: "The X-Hub-Signature-256 signature is missing or does not match the body." });
  }

  // Signed by someone holding the secret: now the address's budget is spent.
  const addressWait = await consumeWebhookAddressLimit(target.flowId);
  if (addressWait !== null)
    return {
      ...answer(429, { error: `Too many requests to this webhook address. Try again in ${addressWait} seconds.` }),
      headers: { "retry-after": String(addressWait) },
    };

  const event = request.headers.get("x-github-event")?.trim() ?? "";
  const deliveryId = request.headers.get("x-github-delivery")?.trim() ?? "";
  if (!/^[a-z_]{1,64}$/.test(event)) return answer(400, { error: "The X-GitHub-Event header is missing or not an event name." });
  if (!/^[A-Za-z0-9-]{1,100}$/.test(deliveryId)) return answer(400, { error: "The X-GitHub-Delivery header is missing or not a delivery id." });
  // GitHub's ping (sent when the webhook is made): the address and secret work; no run.
  if (event === "ping") return answer(200, { message: "pong" });

  const parsed = payloadOf(request.headers.get("content-type"), request.body);
  if (!parsed.ok) return answer(400, { error: "The body is not a GitHub JSON payload (application/json, or a form with a payload field)." });

  const config = ZGithubTriggerConfig.safeParse(target.trigger.config);
  const events = config.success ? config.data.events : [];
  const key = githubEventKeyOf(event, parsed.value);
  // Answered 200 so GitHub does not mark the delivery failed; nothing is stored or started.
  if (!events.includes(key as never)) return answer(200, { ignored: true, message: `The trigger does not start on ${key.slice(0, 80)}.` });

  const db = getDb();
  const idempotencyKey = `${GITHUB_DELIVERY_KEY_PREFIX}${deliveryId}`;
  let runId: string = randomUUID();
  await db.webhookRequest.deleteMany({ where: { flowId: target.flowId, idempotencyKey, createdAt: { lt: new Date(now() - IDEMPOTENCY_WINDOW_MS) } } });
  const reserved = await db.webhookRequest.createMany({ data: [{ flowId: target.flowId, idempotencyKey, runId }], skipDuplicates: true });
  if (reserved.count === 0) {
    const existing = await db.webhookRequest.findUnique({
      where: { flowId_idempotencyKey: { flowId: target.flowId, idempotencyKey } },
      select: { runId: true },
    });
    return answer(200, { runId: existing?.runId ?? null, duplicate: true });
  }
  const action =
    parsed.value && typeof parsed.value === "object" && typeof (parsed.value as { action?: unknown }).action === "string"
      ? (parsed.value as { action: string }).action
      : null;
  try {
    const started = await startRun({
      flowId: target.flowId,
      projectId: target.projectId,
      versionId: target.versionId,
      known: { webhookSecretSealed: target.signingSecretSealed },
      payload: { event, action, deliveryId, body: parsed.value },
      trigger: "webhook",
      userId: null,
      runId,
    });
    runId = started.runId;
    if (started.status === "HELD")
      return answer(202, { runId, held: true, message: "The run is accepted and held: the project reached its plan's monthly step executions." });
  } catch (error) {
    // Released, so GitHub's retry of this delivery is not taken for a duplicate.
    await db.webhookRequest.deleteMany({ where: { flowId: target.flowId, idempotencyKey } });
    // An expected refusal (a payload over the run's 1 MB) is said as it is, so GitHub's delivery log shows why.
    if (error instanceof AppError && error.code === "BAD_INPUT") return answer(413, { error: error.message });
    throw error;
  }
  return answer(202, { runId });
}
