// How server.ts serves /api/webhooks/<token> without Next.js's request handler.
// server.ts and the Next.js bundle load separate copies of every module, and only the
// bundle's copy of the receiver shares the app's state (the database pool, the rate
// limits, the waiting calls, the in-process run driver). So the bundle registers its
// server here at start-up (instrumentation.ts → lib/server/webhooks/receive-webhook.ts,
// which serves through lib/web/webhook-http.ts) and server.ts looks it up per call; the
// slot lives on globalThis. Until it is registered (and always under `next dev`), calls
// go through Next.js to the route, which serves the same answers. Kept tiny: server.ts
// imports this and nothing of the webhook code.
import type { IncomingMessage, ServerResponse } from "node:http";

export type TDirectWebhookServer = (
  req: IncomingMessage,
  res: ServerResponse,
  target: { token: string; query: URLSearchParams; clientIp: string },
) => Promise<void>;

const KEY = Symbol.for("vaultflow.directWebhookServer");
type THolder = { [KEY]?: TDirectWebhookServer };

export function registerDirectWebhookServer(serve: TDirectWebhookServer): void {
  (globalThis as THolder)[KEY] = serve;
}

export function directWebhookServer(): TDirectWebhookServer | undefined {
  return (globalThis as THolder)[KEY];
}

/** The methods the route exports; others (HEAD, OPTIONS, DELETE...) are left to Next.js. */
export const DIRECT_WEBHOOK_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "GET"]);

const WEBHOOK_URL = /^\/api\/webhooks\/([^/?#]+)(?:\?(.*))?$/s;

/**
 * The token and query of a request for /api/webhooks/<token>, or null for any other
 * path (a trailing slash, a deeper path, no token, a malformed escape: Next.js answers
 * those as it always did). The token is percent-decoded, as Next.js decodes the route's
 * parameter.
 */
export function webhookRequestTarget(url: string | undefined): { token: string; query: URLSearchParams } | null {
  const match = WEBHOOK_URL.exec(url ?? "");
  if (!match) return null;
  let token: string;
  try {
    token = match[1]!.includes("%") ? decodeURIComponent(match[1]!) : match[1]!;
  } catch {
    return null;
  }
  return { token, query: new URLSearchParams(match[2] ?? "") };
}
