import "server-only";
// A webhook call, from raw request to queued run. Unknown address, wrong token,
// inactive flow or a flow whose trigger is not a webhook all answer the same 404. The
// body is parsed strictly by its declared Content-Type only (a JSON body that names
// "files" or "filepath" is plain data: nothing here reads files). With HMAC on, the
// signature over the raw bytes (and timestamp) is checked before anything is queued.
// While the flow page listens for a test event (listen-for-test-event.ts), the next call
// also becomes the trigger's sample; on a flow that is off it starts no run and is
// answered 202 "test event received", checked like a live call (method, signature,
// limits, body).
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { parseFlowDocument, type TFlowNode } from "@/lib/flows/document";
import { NODE_CONFIG_SCHEMAS } from "@/lib/flows/node-types";
import { getEnv } from "@/lib/env";
import { noteAccessProject } from "@/lib/web/access-record-context";
import { registerDirectWebhookServer } from "@/lib/web/direct-webhooks";
import { serveWebhookRequest, type TWebhookCall, type TWebhookHeaders } from "@/lib/web/webhook-http";
import { triggerHeadersOf } from "@/lib/webhooks/trigger-headers";
import { getDb, hotQuery } from "../db";
import { storeListenedSample, type TListenTarget } from "../flows/store-listened-sample";
import { IDEMPOTENCY_WINDOW_MS } from "../maintenance/prune-expired-records";
import { consumeWebhookAddressLimit, consumeWebhookClientLimit, takeWebhookWaiterSlot } from "../rate-limit/webhook-limits";
import { openRunState, RESPONSE_STATE_KEY } from "../runs/run-state";
import type { TWebhookResponse } from "../runs/executors/respond";
import { subscribeRunEvents, type TRunEventSubscription } from "../runs/run-events";
import { startRun } from "../runs/start-run";
import { getVersionDocument } from "../runs/version-document";
import { githubTriggerOf, receiveGithubDelivery } from "./github/receive-github-delivery";
import { openWebhookSigningSecret } from "./webhook-signing-secret";
import { hashWebhookToken, isWellFormedWebhookToken } from "./webhook-token";

export type TIncomingWebhook = TWebhookCall;

type TWebhookLookup = {
  signingSecretSealed: string | null;
  signatureHeader: string;
  signatureAlgorithm: string;
  timestampHeader: string | null;
  toleranceSeconds: number;
  flowId: string;
  projectId: string;
  isActive: boolean;
  activeVersionId: string | null;
  listeningUntil: Date | null;
  listeningById: string | null;
};

export type TWebhookAnswer = { status: number; body: unknown; headers?: Record<string, string>; raw?: string };

const NOT_FOUND: TWebhookAnswer = { status: 404, body: { error: "Not found." } };

function answer(status: number, message: string): TWebhookAnswer {
  return { status, body: { error: message } };
}

/** 429 with Retry-After; nothing was queued. */
function tooMany(retryAfterSeconds: number, message: string): TWebhookAnswer {
  const wait = `${retryAfterSeconds} second${retryAfterSeconds === 1 ? "" : "s"}`;
  return { status: 429, body: { error: `${message} Try again in ${wait}.` }, headers: { "retry-after": String(retryAfterSeconds) } };
}

/** How long a caller refused for want of a waiting slot is told to wait. */
const WAITER_RETRY_SECONDS = 5;
/** The slow re-read behind the run-event wake-up (a lost notification only delays an answer). */
const FALLBACK_POLL_MS = 1000;

function parseBody(contentType: string | null, body: Buffer): { ok: true; value: unknown } | { ok: false; answer: TWebhookAnswer } {
  if (body.length === 0 && !contentType) return { ok: true, value: null };
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const text = body.toString("utf8");
  if (type === "application/json" || /^application\/[a-z0-9.+-]+\+json$/.test(type)) {
    try {
      return { ok: true, value: text.trim() === "" ? null : JSON.parse(text) };
    } catch (error) {
      return { ok: false, answer: answer(400, `The body is not valid JSON: ${(error as Error).message.slice(0, 120)}`) };
    }
  }
  if (type === "application/x-www-form-urlencoded") {
    const fields: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(text)) {
      const existing = fields[key];
      fields[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    return { ok: true, value: fields };
  }
  if (type === "text/plain") return { ok: true, value: text };
  return { ok: false, answer: answer(415, "Send the body as application/json, application/x-www-form-urlencoded or text/plain.") };
}

function verifySignature(
  settings: { secret: string; header: string; algorithm: string; timestampHeader: string | null; toleranceSeconds: number },
  headers: TWebhookHeaders,
  body: Buffer,
  now: number,
): TWebhookAnswer | null {
  const provided = headers.get(settings.header)?.trim() ?? "";
  if (!provided) return answer(401, `The ${settings.header} signature header is missing.`);
  let signed: Buffer = body;
  if (settings.timestampHeader) {
    const stamp = headers.get(settings.timestampHeader)?.trim() ?? "";
    if (!/^\d{9,13}$/.test(stamp)) return answer(401, `The ${settings.timestampHeader} timestamp header is missing or not a Unix time.`);
    const seconds = stamp.length > 11 ? Number(stamp) / 1000 : Number(stamp);
    if (Math.abs(now / 1000 - seconds) > settings.toleranceSeconds) return answer(401, "The request's timestamp is too old or in the future.");
    signed = Buffer.concat([Buffer.from(`${stamp}.`), body]);
  }
  const digest = createHmac(settings.algorithm, settings.secret).update(signed).digest();
  const value = provided.replace(/^(sha1|sha256|sha512)=/i, "");
  const candidates = [/^[0-9a-f]+$/i.test(value) ? Buffer.from(value, "hex") : null, Buffer.from(value, "base64")];
  const matches = candidates.some((candidate) => candidate !== null && candidate.length === digest.length && timingSafeEqual(candidate, digest));
  return matches ? null : answer(401, "The signature does not match the body.");
}

/**
 * Lets server.ts serve webhook calls with this receiver directly (lib/web/direct-webhooks.ts).
 * Called once at start-up from instrumentation.ts, inside the Next.js bundle.
 */
export function serveWebhooksDirectly(): void {
  registerDirectWebhookServer((req, res, target) =>
    serveWebhookRequest(req, res, { ...target, maxBytes: getEnv().WEBHOOK_MAX_BODY_BYTES, receive: (call) => receiveWebhook(call) }),
  );
}

export async function receiveWebhook(request: TIncomingWebhook, options: { now?: () => number; pollMs?: number } = {}): Promise<TWebhookAnswer> {
  const now = options.now ?? Date.now;
  // Every call counts against its client, unknown tokens included, before any database
  // read: probing for addresses is bounded, and a client past its limit costs nothing.
  const clientWait = await consumeWebhookClientLimit(request.clientIp ?? "unknown");
  if (clientWait !== null) return tooMany(clientWait, "Too many webhook requests from your address.");
  if (!isWellFormedWebhookToken(request.token)) return NOT_FOUND;
  // The address, its flow and the flow's state in one round trip (a prepared statement);
  // the version's document comes from a cache (versions never change once published).
  const rows = await hotQuery<TWebhookLookup>(
    "vf_webhook_lookup",
    `SELECT w."signingSecretSealed", w."signatureHeader", w."signatureAlgorithm", w."timestampHeader", w."toleranceSeconds",
      f.id::text AS "flowId", f."projectId"::text AS "projectId", f."isActive", f."activeVersionId"::text AS "activeVersionId",
      w."listeningUntil" AT TIME ZONE 'UTC' AS "listeningUntil", w."listeningById"::text AS "listeningById"
    FROM flow_webhooks w JOIN flows f ON f.id = w."flowId"
    WHERE w."tokenHash" = $1`,
    [hashWebhookToken(request.token)],
  );
  const webhook = rows[0];
  // The path holds a token, not the project: tell the access record whose address this
  // is, so the project's owners see every call to it (refused ones included).
  if (webhook) noteAccessProject(webhook.projectId);
  if (!webhook) return NOT_FOUND;
  const flow = { id: webhook.flowId, projectId: webhook.projectId };
  const liveNodes = webhook.isActive && webhook.activeVersionId ? (await getVersionDocument(webhook.activeVersionId))?.nodes : undefined;
  // A live GitHub trigger checks GitHub's own signature, events and delivery ids (github/receive-github-delivery.ts).
  const githubTrigger = githubTriggerOf(liveNodes);
  if (githubTrigger && webhook.activeVersionId) {
    return receiveGithubDelivery(
      request,
      {
        flowId: flow.id,
        projectId: flow.projectId,
        versionId: webhook.activeVersionId,
        signingSecretSealed: webhook.signingSecretSealed,
        trigger: githubTrigger,
      },
      now,
    );
  }
  const liveTrigger = webhookTriggerOf(liveNodes);
  const listening = webhook.listeningUntil && webhook.listeningUntil.getTime() > now() ? await listenTargetOf(webhook) : undefined;
  // Off (or not a webhook flow any more) and not listening: the same 404 as an unknown address.
  const trigger = liveTrigger ?? listening?.trigger;
  if (!trigger) return NOT_FOUND;
  const triggerConfig = webhookTriggerConfigOf(trigger);
  // Only the method the author chose (POST unless they chose otherwise): a link a
  // signed-in person follows is a GET, and must not start a POST webhook's flow.
  if (request.method.toUpperCase() !== triggerConfig.method) {
    return { ...answer(405, `This webhook accepts ${triggerConfig.method} only.`), headers: { allow: triggerConfig.method } };
  }

  if (webhook.signingSecretSealed) {
    const refused = verifySignature(
      {
        secret: openWebhookSigningSecret(webhook.signingSecretSealed, flow.projectId, flow.id),
        header: webhook.signatureHeader,
        algorithm: webhook.signatureAlgorithm,
        timestampHeader: webhook.timestampHeader,
        toleranceSeconds: webhook.toleranceSeconds,
      },
      request.headers,
      request.body,
      now(),
    );
    if (refused) return refused;
  }

  // Per address, once the caller has shown it may start a run (a sender without the
  // signing secret cannot spend a signed address's budget), and before the body is parsed.
  const addressWait = await consumeWebhookAddressLimit(flow.id);
  if (addressWait !== null) return tooMany(addressWait, "Too many requests to this webhook address.");

  const parsed = parseBody(request.headers.get("content-type"), request.body);
  if (!parsed.ok) return parsed.answer;
  const payload = { method: request.method, headers: triggerHeadersOf(request.headers), query: Object.fromEntries(request.query), body: parsed.value };

  if (listening) {
    // A flow that is off starts no run: the call was only the test event.
    if (!liveTrigger) {
      const isStored = await storeListenedSample(listening.target, payload, new Date(now()));
      return isStored ? { status: 202, body: { message: "Test event received." } } : NOT_FOUND;
    }
    // A live flow's call runs whatever happens to its copy as a sample.
    await storeListenedSample(listening.target, payload, new Date(now())).catch(() => false);
  }
  const versionId = webhook.activeVersionId;
  if (!liveTrigger || !versionId) return NOT_FOUND;

  // An Idempotency-Key reserves the run id first, so a repeat (even a concurrent one)
  // finds the same run instead of starting another.
  const key = request.headers.get("idempotency-key")?.trim();
  const runId: string = randomUUID();
  const db = getDb();
  if (key) {
    if (key.length > 200 || /[^\x21-\x7e]/.test(key)) return answer(400, "The Idempotency-Key must be 1 to 200 visible ASCII characters.");
    await db.webhookRequest.deleteMany({ where: { flowId: flow.id, idempotencyKey: key, createdAt: { lt: new Date(now() - IDEMPOTENCY_WINDOW_MS) } } });
    const reserved = await db.webhookRequest.createMany({ data: [{ flowId: flow.id, idempotencyKey: key, runId }], skipDuplicates: true });
    if (reserved.count === 0) {
      const existing = await db.webhookRequest.findUnique({
        where: { flowId_idempotencyKey: { flowId: flow.id, idempotencyKey: key } },
        select: { runId: true },
      });
      return { status: 200, body: { runId: existing?.runId ?? null, duplicate: true } };
    }
  }
  // A call that waits for the Respond step holds a slot of its project while it waits;
  // past the cap it is refused before its run starts (its Idempotency-Key released), so
  // a retry loses nothing.
  const slot = triggerConfig.respondMode === "respond_step" ? takeWebhookWaiterSlot(flow.projectId) : undefined;
  if (slot === null) {
    if (key) await db.webhookRequest.deleteMany({ where: { flowId: flow.id, idempotencyKey: key } });
    return tooMany(WAITER_RETRY_SECONDS, "Too many requests are waiting for this project's flows to respond.");
  }
  // A waiting call listens for its run's events before the run exists, so nothing it
  // needs can come before it listens: it reads the database only once woken.
  const events = slot ? subscribeRunEvents(runId) : undefined;
  let isHeld = false;
  try {
    await events?.ready;
    const started = await startRun({
      flowId: flow.id,
      projectId: flow.projectId,
      versionId,
      known: { webhookSecretSealed: webhook.signingSecretSealed },
      payload,
      trigger: "webhook",
      userId: null,
      runId,
    });
    isHeld = started.status === "HELD";
  } catch (error) {
    events?.close();
    slot?.release();
    if (key) await db.webhookRequest.deleteMany({ where: { flowId: flow.id, idempotencyKey: key } });
    throw error;
  }

  // Held (the project is over its plan's monthly step executions): accepted and kept,
  // it starts when the plan allows. A caller waiting for a Respond step is told so now
  // instead of waiting out its timeout.
  if (isHeld) {
    events?.close();
    slot?.release();
    return {
      status: 202,
      body: {
        runId,
        held: true,
        message: "The run is accepted and held: the project reached its plan's monthly step executions. It starts when the plan allows.",
      },
    };
  }
  if (!events) return { status: 202, body: { runId } };
  try {
    return await waitForResponse(events, flow.projectId, runId, triggerConfig.responseTimeoutMs, options.pollMs ?? FALLBACK_POLL_MS);
  } finally {
    events.close();
    slot?.release();
  }
}

type TWebhookTriggerConfig = ReturnType<(typeof NODE_CONFIG_SCHEMAS)["trigger.webhook"]["parse"]>;
/**
 * A trigger's parsed config, by node: a published version's document is cached and
 * never changes (version-document.ts), so its trigger is parsed once, not per call. A
 * draft's node (while listening) is a new object per call and is parsed each time.
 */
const triggerConfigs = new WeakMap<TFlowNode, TWebhookTriggerConfig>();

function webhookTriggerConfigOf(trigger: TFlowNode): TWebhookTriggerConfig {
  let config = triggerConfigs.get(trigger);
  if (!config) {
    config = NODE_CONFIG_SCHEMAS["trigger.webhook"].parse(trigger.config);
    triggerConfigs.set(trigger, config);
  }
  return config;
}

/** The Respond step's answer as the caller gets it, with the run's id. */
function respondAnswerOf(response: TWebhookResponse, runId: string): TWebhookAnswer {
  return { status: response.status, body: null, raw: response.body, headers: { ...response.headers, "x-vaultflow-run-id": runId } };
}

function webhookTriggerOf(nodes: readonly TFlowNode[] | undefined): TFlowNode | undefined {
  const trigger = nodes?.find((node) => node.type.startsWith("trigger."));
  return trigger?.type === "trigger.webhook" ? trigger : undefined;
}

/** While listening: the draft's webhook trigger (what the editor maps from) and where its sample goes. */
async function listenTargetOf(webhook: TWebhookLookup): Promise<{ trigger: TFlowNode; target: TListenTarget } | undefined> {
  const row = await getDb().flow.findUnique({ where: { id: webhook.flowId }, select: { draft: true } });
  if (!row) return undefined;
  const draft = parseFlowDocument(row.draft);
  const trigger = webhookTriggerOf(draft.nodes);
  if (!trigger) return undefined;
  return {
    trigger,
    target: {
      flowId: webhook.flowId,
      projectId: webhook.projectId,
      draft,
      nodeId: trigger.id,
      listenerId: webhook.listeningById,
      signingSecretSealed: webhook.signingSecretSealed,
    },
  };
}

/**
 * Waits for the run's Respond step, its end, or the timeout, whichever comes first. It
 * sleeps on the run's event (lib/server/runs/run-events.ts, subscribed before the run
 * was queued). A run executing in this process hands the answer over in memory (nothing
 * is stored then); otherwise each wake-up reads the database once, in one statement that
 * also takes the stored answer. The fallback poll only covers an event this instance did
 * not hear (a LISTEN connection being re-made).
 */
async function waitForResponse(
  events: TRunEventSubscription,
  projectId: string,
  runId: string,
  timeoutMs: number,
  fallbackPollMs: number,
): Promise<TWebhookAnswer> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await events.next(Math.max(1, Math.min(fallbackPollMs, deadline - Date.now())));
    const handed = events.answer() as TWebhookResponse | undefined;
    if (handed) return respondAnswerOf(handed, runId);
    const rows = await hotQuery<{ status: string; valueSealed: string | null }>(
      "vf_webhook_take_answer",
      `WITH answer AS (
        DELETE FROM run_state WHERE "runId" = $1::uuid AND "stepKey" = $2 RETURNING "valueSealed"
      )
      SELECT r.status::text AS status, (SELECT "valueSealed" FROM answer) AS "valueSealed" FROM flow_runs r WHERE r.id = $1::uuid`,
      [runId, RESPONSE_STATE_KEY],
    );
    const row = rows[0];
    if (row?.valueSealed) return respondAnswerOf(openRunState(row.valueSealed, projectId, runId, RESPONSE_STATE_KEY) as TWebhookResponse, runId);
    // An answer handed over while the statement ran still wins over the run's end.
    const late = events.answer() as TWebhookResponse | undefined;
    if (late) return respondAnswerOf(late, runId);
    if (row && (row.status === "SUCCEEDED" || row.status === "FAILED" || row.status === "CANCELLED")) {
      return {
        status: row.status === "SUCCEEDED" ? 204 : 502,
        body: row.status === "SUCCEEDED" ? null : { error: "The flow ended without responding.", runId },
      };
    }
  }
  return { status: 202, body: { runId, message: "The flow did not respond in time; it goes on running." } };
}
