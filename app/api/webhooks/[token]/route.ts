// Webhook trigger endpoint: /api/webhooks/<token>. The access log shows only the
// token's last 4 characters. Bodies are read with a hard cap (413 beyond it). Every
// method a trigger can accept is routed here; receiveWebhook answers 405 for the ones
// the flow's trigger did not choose. server.ts gives this path the sandbox CSP, and in
// production serves it itself with the same code (lib/web/webhook-http.ts) without
// passing through Next.js; this route serves `next dev` and is the same definition.
import { getEnv } from "@/lib/env";
import { requestMetaFrom } from "@/lib/server/request-meta";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { readCappedBody } from "@/lib/web/read-capped-body";
import { answerWebhookCall } from "@/lib/web/webhook-http";

export const dynamic = "force-dynamic";

type TContext = { params: Promise<{ token: string }> };

async function handle(request: Request, context: TContext): Promise<Response> {
  const { token } = await context.params;
  const max = getEnv().WEBHOOK_MAX_BODY_BYTES;
  const body = await readCappedBody(request, max);
  const parts = await answerWebhookCall(
    {
      token,
      method: request.method,
      headers: request.headers,
      body,
      query: new URL(request.url).searchParams,
      // For the per-client limit: the address server.ts resolved (TRUST_PROXY), never a client-sent header.
      clientIp: requestMetaFrom(request.headers).ip,
    },
    max,
    receiveWebhook,
  );
  // Every answer, the flow's own and ours, is served sandboxed (lib/webhooks/webhook-response-policy.ts).
  return new Response(parts.body, { status: parts.status, headers: parts.headers });
}

export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const GET = handle;
