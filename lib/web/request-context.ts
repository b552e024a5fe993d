// Per-request decisions made before Next.js sees a request. Pure, so unit-tested.
import { randomUUID } from "node:crypto";

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** A proxy's X-Request-Id is kept when the proxy is trusted and the id is sane. */
export function requestIdFor(incoming: string | string[] | undefined, trustProxy: boolean): string {
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return trustProxy && value && REQUEST_ID.test(value) ? value : randomUUID();
}

/**
 * HTTPS only in production: a request that a trusted proxy marks as plain http is
 * sent to the same URL on https. Without a trusted proxy the header could be forged,
 * so it is ignored (terminate TLS in front of Vaultflow, see README).
 */
export function httpsRedirectLocation(input: {
  isProduction: boolean;
  trustProxy: boolean;
  forwardedProto: string | string[] | undefined;
  host: string | undefined;
  url: string | undefined;
}): string | null {
  if (!input.isProduction || !input.trustProxy) return null;
  const raw = Array.isArray(input.forwardedProto) ? input.forwardedProto[0] : input.forwardedProto;
  // With several proxies the first value is the client's own scheme.
  const proto = raw?.split(",")[0]?.trim().toLowerCase();
  if (proto !== "http") return null;
  const host = input.host ?? "";
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/.test(host)) return null;
  const url = input.url?.startsWith("/") && !input.url.startsWith("//") ? input.url : "/";
  return `https://${host}${url}`;
}

/** The path for the access log: no query string (it may carry tokens). */
export function pathForLog(url: string | undefined): string {
  // Webhook addresses carry their secret token in the path: keep only its last 4 characters.
  const path = ((url ?? "/").split("?")[0] ?? "/").replace(/^(\/api\/webhooks\/)[^/]*?([^/]{0,4})(?=\/|$)/, "$1…$2");
  return path.length > 512 ? `${path.slice(0, 512)}…` : path;
}

/**
 * The client's address for rate limits and audit events. Behind a trusted proxy, the
 * right-most X-Forwarded-For entry is the one that proxy saw (entries to its left are
 * client-supplied and forgeable); otherwise the socket's peer.
 */
export function clientIpFor(input: { trustProxy: boolean; forwardedFor: string | string[] | undefined; remoteAddress: string | undefined }): string {
  const socketIp = (input.remoteAddress ?? "").replace(/^::ffff:/, "") || "unknown";
  if (!input.trustProxy) return socketIp;
  const header = Array.isArray(input.forwardedFor) ? input.forwardedFor.join(",") : input.forwardedFor;
  const last = header
    ?.split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .at(-1);
  return last && /^[0-9A-Fa-f:.]{2,45}$/.test(last) ? last.replace(/^::ffff:/, "") : socketIp;
}

/** A Host header's name and port, lower case, the scheme's default port left out. */
function normalHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/:(80|443)$/, "");
}

/**
 * Whether a request came to the webhook host (WEBHOOK_URL). That host serves webhooks
 * and nothing else (server.ts answers 404 to the rest): no page, no action and no
 * sign-in, so the app's session is never set or read there.
 */
export function isOnWebhookHost(host: string | undefined, webhookHost: string | null): boolean {
  return webhookHost !== null && normalHost(host ?? "") === normalHost(webhookHost);
}
