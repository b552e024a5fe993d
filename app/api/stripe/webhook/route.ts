// Stripe's webhook endpoint: <APP_URL>/api/stripe/webhook. Billing off: 404, as if the
// route did not exist. The raw body is verified against STRIPE_WEBHOOK_SECRET (with a
// 300 s tolerance against replays) before anything is parsed or stored; a bad or
// missing signature is 400 and changes nothing. Neither the payload nor the signature is
// ever logged. A handler failure is 500, so Stripe retries (the event id was rolled
// back with the failed transaction).
import { getEnv, isBillingEnabled } from "@/lib/env";
import { getLogger } from "@/lib/log";
import { getStripe } from "@/lib/server/billing/stripe-client";
import { handleStripeEvent } from "@/lib/server/billing/webhook/handle-stripe-event";
import { readCappedBody } from "@/lib/web/read-capped-body";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Stripe's events are a few KB; anything near this is not from Stripe. */
const MAX_BODY_BYTES = 1024 * 1024;
const SIGNATURE_TOLERANCE_SECONDS = 300;

const answer = (status: number, body: Record<string, unknown>) => Response.json(body, { status });

export async function POST(request: Request): Promise<Response> {
  const env = getEnv();
  if (!isBillingEnabled(env)) return answer(404, { error: "Not found." });
  const signature = request.headers.get("stripe-signature");
  if (!signature) return answer(400, { error: "Missing Stripe-Signature header." });
  const bytes = await readCappedBody(request, MAX_BODY_BYTES);
  if (bytes === null) return answer(413, { error: "The body is too large." });
  // The signature is over the exact bytes: decoded once, never re-serialized.
  const body = bytes.toString("utf8");

  let event;
  try {
    event = getStripe(env).webhooks.constructEvent(body, signature, env.STRIPE_WEBHOOK_SECRET!, SIGNATURE_TOLERANCE_SECONDS);
  } catch {
    getLogger().warn("stripe webhook refused: signature did not verify");
    return answer(400, { error: "Invalid signature." });
  }

  try {
    const outcome = await handleStripeEvent(event);
    getLogger().info({ eventId: event.id, type: event.type, outcome }, "stripe event");
    return answer(200, { received: true });
  } catch (error) {
    const err = error as { name?: unknown; code?: unknown; statusCode?: unknown };
    getLogger().error(
      { eventId: event.id, type: event.type, err: { name: String(err?.name ?? "Error"), code: err?.code, status: err?.statusCode } },
      "stripe event failed; Stripe will retry",
    );
    return answer(500, { error: "The event could not be processed." });
  }
}
