// Webhook trigger endpoint: /api/webhooks/<token>. The access log shows only the
// token's last 4 characters. Bodies are read with a hard cap (413 beyond it). Every
// method a trigger can accept is routed here; receiveWebhook answers 405 for the ones
// the flow's trigger did not choose. server.ts gives this path the sandbox CSP.
import { getEnv } from "@/lib/env";
import { getLogger } from "@/lib/log";
import { requestMetaFrom } from "@/lib/server/request-meta";
import { receiveWebhook, type TWebhookAnswer } from "@/lib/server/webhooks/receive-webhook";
import { readCappedBody } from "@/lib/web/read-capped-body";
import { webhookHttpResponse } from "@/lib/webhooks/webhook-response-policy";

export const dynamic = "force-dynamic";

type TContext = { params: Promise<{ token: string }> };

/** Every answer, the flow's own and ours, is served sandboxed (lib/webhooks/webhook-response-policy.ts). */
function respond(result: TWebhookAnswer): Response {
  return webhookHttpResponse(result);
}

async function handle(request: Request, context: TContext): Promise<Response> {
  const { token } = await context.params;
  const max = getEnv().WEBHOOK_MAX_BODY_BYTES;
  const body = await readCappedBody(request, max);
  if (body === null) return respond({ status: 413, body: { error: `The body is larger than ${Math.round(max / 1024)} KB.` } });
  try {
    return respond(
      await receiveWebhook({
        token,
        method: request.method,
        headers: request.headers,
        body,
        query: new URL(request.url).searchParams,
        // For the per-client limit: the address server.ts resolved (TRUST_PROXY), never a client-sent header.
        clientIp: requestMetaFrom(request.headers).ip,
      }),
    );
  } catch (error) {
    getLogger().error({ err: { name: (error as Error)?.name } }, "webhook failed");
    return respond({ status: 500, body: { error: "The webhook could not be queued. Try again." } });
  }
}

export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const GET = handle;
