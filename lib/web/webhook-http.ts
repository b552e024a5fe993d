// A webhook call over HTTP, from the request to the written answer: one definition for
// both ways a call arrives. The route (app/api/webhooks/[token]/route.ts) serves it
// through Next.js (`next dev`, and whenever the direct path is not registered); in
// production server.ts hands /api/webhooks/<token> straight to `serveWebhookRequest`,
// after its own per-request work (request id, access record, metrics, access log line,
// security headers, the webhook-host rule and the https redirect), skipping Next.js's
// routing and its Request/Headers wrapping. What a call is answered (413 past the body
// cap, the receiver's answer, 500 when it throws) and how the answer is served
// (lib/webhooks/webhook-response-policy.ts) are the same either way.
// No "server-only" and no Prisma here: the receiver is handed in by the caller (the
// route imports it; the direct path is registered by the Next.js side, see
// lib/web/direct-webhooks.ts).
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { getLogger } from "../log";
import { webhookAnswerParts, type TServedWebhookAnswer, type TWebhookAnswerParts } from "../webhooks/webhook-response-policy";

/** What the receiver reads of the request's headers (a Fetch API Headers fits). */
export type TWebhookHeaders = {
  get(name: string): string | null;
  /** Lower-case names, in name order, as Headers does. */
  forEach(fn: (value: string, name: string) => void): void;
};

export type TWebhookCall = {
  token: string;
  method: string;
  headers: TWebhookHeaders;
  body: Buffer;
  query: URLSearchParams;
  /** The caller's address as server.ts resolved it (TRUST_PROXY), for the per-client limit. */
  clientIp?: string;
};

export type TWebhookReceiver = (call: TWebhookCall) => Promise<TServedWebhookAnswer>;

/**
 * The answer to one call. `body` is null when it was larger than `maxBytes`. A receiver
 * that throws is logged by the error's name only (its message may hold request data)
 * and answered 500: nothing was queued, the caller should try again.
 */
export async function answerWebhookCall(
  call: Omit<TWebhookCall, "body"> & { body: Buffer | null },
  maxBytes: number,
  receive: TWebhookReceiver,
): Promise<TWebhookAnswerParts> {
  if (call.body === null) return webhookAnswerParts({ status: 413, body: { error: `The body is larger than ${Math.round(maxBytes / 1024)} KB.` } });
  try {
    return webhookAnswerParts(await receive({ ...call, body: call.body }));
  } catch (error) {
    getLogger().error({ err: { name: (error as Error)?.name } }, "webhook failed");
    return webhookAnswerParts({ status: 500, body: { error: "The webhook could not be queued. Try again." } });
  }
}

/** A Node request's headers, read the way the receiver reads a Fetch API Headers. */
export function nodeWebhookHeaders(raw: IncomingHttpHeaders): TWebhookHeaders {
  const valueOf = (value: string | string[] | undefined): string | null => (value === undefined ? null : Array.isArray(value) ? value.join(", ") : value);
  return {
    get: (name) => valueOf(raw[name.toLowerCase()]),
    forEach: (fn) => {
      for (const name of Object.keys(raw).sort()) {
        const value = valueOf(raw[name]);
        if (value !== null) fn(value, name);
      }
    },
  };
}

/**
 * The body's exact bytes, null when larger than `maxBytes` (a declared Content-Length
 * over it is refused before reading; a stream that runs past it stops being kept at the
 * first byte over, and the rest is discarded unread), or undefined when the client went
 * away first.
 */
export function readCappedRequestBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null | undefined> {
  if (Number(req.headers["content-length"] ?? "0") > maxBytes) return Promise.resolve(null);
  if (req.complete) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: Buffer | null | undefined) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return done(null);
      chunks.push(chunk);
    };
    const onEnd = () => done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    const onClose = () => done(undefined);
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("close", onClose);
  });
}

/**
 * Serves one call on a Node response. Headers server.ts already set (the security
 * headers, X-Request-Id, Cache-Control) are kept over the answer's, as Next.js keeps
 * them over a route's.
 */
export async function serveWebhookRequest(
  req: IncomingMessage,
  res: ServerResponse,
  input: { token: string; query: URLSearchParams; clientIp: string; maxBytes: number; receive: TWebhookReceiver },
): Promise<void> {
  const body = await readCappedRequestBody(req, input.maxBytes);
  if (body === undefined) {
    res.destroy();
    return;
  }
  const parts = await answerWebhookCall(
    { token: input.token, method: req.method ?? "GET", headers: nodeWebhookHeaders(req.headers), body, query: input.query, clientIp: input.clientIp },
    input.maxBytes,
    input.receive,
  );
  if (res.headersSent || res.destroyed) return;
  for (const name in parts.headers) if (!res.hasHeader(name)) res.setHeader(name, parts.headers[name]!);
  res.statusCode = parts.status;
  res.end(parts.body ?? undefined);
}
