// Slack's Web API failures as messages a person can act on. Most arrive as HTTP 200
// with { ok: false, error: "<code>" } (https://docs.slack.dev/apis/web-api/#responses);
// rate limits as HTTP 429 with Retry-After (and, rarely, as the code "ratelimited").
import { appStatusFailure } from "../app-errors";
import { parseRetryAfter, StepFailure } from "@/lib/flows/retry-policy";

const REFUSED_TOKEN = "Slack refused the connection's token. Reconnect it, or make a new bot token.";

const MESSAGES: Record<string, string> = {
  invalid_auth: REFUSED_TOKEN,
  not_authed: REFUSED_TOKEN,
  token_revoked: REFUSED_TOKEN,
  token_expired: REFUSED_TOKEN,
  account_inactive: REFUSED_TOKEN,
  missing_scope: "Slack refused: the token lacks a scope this step needs (chat:write to post; channels:read and groups:read to list channels).",
  channel_not_found: "Slack: not found: check the channel (an ID such as C0123456789, or #name) and that the app can see it.",
  not_in_channel: "Slack: the app is not in that channel: invite it there (/invite @your-app) and run again.",
  is_archived: "Slack: that channel is archived.",
  thread_not_found: "Slack: not found: check the thread (the ts of the parent message).",
  msg_too_long: "Slack: the message is too long.",
  no_text: "Slack: the message is empty after mapping: give it text or blocks.",
  invalid_blocks: "Slack refused the blocks: check them in Slack's Block Kit Builder.",
  invalid_blocks_format: "Slack refused the blocks: they must be a JSON list of Block Kit blocks.",
  too_many_blocks: "Slack refused the blocks: at most 50 per message.",
  restricted_action: "Slack refused: the workspace does not allow the app to post there.",
};

const RETRYABLE = new Set(["ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"]);

/** A Slack answer that did not do what was asked, as a step failure; null when it did. */
export function slackFailureOf(status: number, headers: Readonly<Record<string, string | undefined>>, body: unknown): StepFailure | null {
  const error = body && typeof body === "object" ? (body as { ok?: unknown; error?: unknown }) : null;
  const code = typeof error?.error === "string" ? error.error.slice(0, 100) : null;
  if (status >= 400) {
    if (status === 429 || status >= 500) return appStatusFailure(status, headers, { app: "Slack", notFound: "check the channel" });
    if (code && MESSAGES[code]) return new StepFailure(MESSAGES[code], { retryable: false, code: `SLACK_${code}` });
    return appStatusFailure(status, headers, { app: "Slack", notFound: "check the channel" }, code);
  }
  if (error?.ok === true) return null;
  if (!code)
    return new StepFailure("Slack's answer was not a Web API answer: check the connection's API base address.", { retryable: false, code: "SLACK_BAD_ANSWER" });
  if (RETRYABLE.has(code)) {
    return new StepFailure(
      code.includes("rate") ? "Slack is rate limiting this connection; the step tries again later." : `Slack had a problem (${code}); the step tries again.`,
      {
        retryable: true,
        retryAfterMs: parseRetryAfter(headers["retry-after"]),
        code: `SLACK_${code}`,
      },
    );
  }
  return new StepFailure(MESSAGES[code] ?? `Slack refused the request (${code}).`, { retryable: false, code: `SLACK_${code}` });
}
