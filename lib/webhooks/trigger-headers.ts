// Which request headers a webhook trigger's payload keeps. The flow's author reads the
// payload (`{{trigger.headers.*}}`) and can send it anywhere, while the caller may be
// anyone who follows a link, a signed-in Vaultflow user included. So the payload keeps
// what a caller meant to send and never what a browser, a proxy or Vaultflow itself
// adds on the caller's behalf. A deny rule, not an allow list: integrations send their
// own headers (x-github-event, x-shopify-topic...) and flows rely on them.
// Pure: the webhook receiver and anything that builds a trigger payload from a request
// (step samples included) use this one rule.

/** Dropped by exact name. */
const DROPPED_NAMES: ReadonlySet<string> = new Set([
  // The app's session and any credential the visitor's browser or client attaches.
  // No trigger setting consumes Authorization today (the signature check reads its own
  // header); one that does would still keep it out of the payload.
  "cookie",
  "authorization",
  "proxy-authorization",
  // Set by server.ts on every request before Next.js sees it (lib/web/request-context.ts).
  "x-request-id",
  "x-vaultflow-client-ip",
  "x-vaultflow-socket-ip",
  "x-nonce",
  "content-security-policy",
  // The proxy chain's view of the visitor: their address and how they reached us.
  "forwarded",
  "x-real-ip",
  "via",
  "true-client-ip",
  "cf-connecting-ip",
  "x-client-ip",
  "x-cluster-client-ip",
  "fastly-client-ip",
  // Hop-by-hop (RFC 9110 7.6.1): about one connection, never part of the message.
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Dropped by prefix: forwarding chains, and Next.js's internal request headers. */
const DROPPED_PREFIXES: readonly string[] = ["x-forwarded-", "x-middleware-", "x-invoke-", "x-nextjs-", "next-router-"];

/** Whether a (lower-case) header name may appear in a trigger payload. */
export function isTriggerHeaderKept(name: string, hopByHop: ReadonlySet<string> = new Set()): boolean {
  const key = name.toLowerCase();
  return !DROPPED_NAMES.has(key) && !hopByHop.has(key) && !DROPPED_PREFIXES.some((prefix) => key.startsWith(prefix));
}

/** Headers the Connection header names are hop-by-hop too (RFC 9110 7.6.1). */
function connectionOptions(value: string | null): Set<string> {
  return new Set(
    (value ?? "")
      .split(",")
      .map((part) => part.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** What triggerHeadersOf reads of a request's headers (a Fetch API Headers fits). */
export type TRequestHeaders = { get(name: string): string | null; forEach(fn: (value: string, name: string) => void): void };

/** The headers a trigger payload holds: lower-case names, the dropped ones left out. */
export function triggerHeadersOf(headers: TRequestHeaders): Record<string, string> {
  const hopByHop = connectionOptions(headers.get("connection"));
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (isTriggerHeaderKept(key, hopByHop)) out[key] = value;
  });
  return out;
}
