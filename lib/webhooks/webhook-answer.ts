// What a webhook call gets back, in words, from the trigger's settings. It mirrors
// lib/server/webhooks/receive-webhook.ts: change both together.
import { WEBHOOK_METHODS, WEBHOOK_RESPONSE_TIMEOUT_DEFAULT_MS, type TWebhookMethod } from "@/lib/flows/node-types";

export type TWebhookRespondMode = "immediately" | "respond_step";
export type TWebhookAnswerSettings = { respondMode: TWebhookRespondMode; responseTimeoutMs: number };

/**
 * The answer settings of a webhook trigger's config. The config may be half edited
 * (the editor keeps invalid values while typing), so anything unusable reads as the default.
 */
export function webhookAnswerSettingsOf(config: Readonly<Record<string, unknown>> | undefined): TWebhookAnswerSettings {
  const timeout = config?.responseTimeoutMs;
  return {
    respondMode: config?.respondMode === "respond_step" ? "respond_step" : "immediately",
    responseTimeoutMs: typeof timeout === "number" && Number.isFinite(timeout) && timeout > 0 ? timeout : WEBHOOK_RESPONSE_TIMEOUT_DEFAULT_MS,
  };
}

/** The method a webhook trigger accepts; absent or half edited reads as the default, POST. */
export function webhookMethodOf(config: Readonly<Record<string, unknown>> | undefined): TWebhookMethod {
  const method = config?.method;
  return WEBHOOK_METHODS.find((known) => known === method) ?? "POST";
}

function secondsText(ms: number): string {
  const seconds = Math.round(ms / 100) / 10;
  return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
}

/** One or two sentences on what the caller receives, for the webhook panel. */
export function describeWebhookAnswer({ respondMode, responseTimeoutMs }: TWebhookAnswerSettings): string {
  if (respondMode === "immediately") return "A call gets 202 with the run id at once; the flow runs after.";
  const wait = secondsText(responseTimeoutMs);
  return (
    `A call waits up to ${wait} for the Respond step's answer (its status, headers and body). ` +
    "If the run ends without responding, the call gets 204, or 502 when the run failed or was cancelled; " +
    `after ${wait} with no answer it gets 202 with the run id and the flow goes on running.`
  );
}
