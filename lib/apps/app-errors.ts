// How an app's HTTP answer becomes a step failure a person can act on. Pure: each app
// passes its own words; the statuses mean the same everywhere. 401/403: the credential
// (reconnect or widen it); 404: what was named does not exist; 429 and 5xx: retryable,
// honouring Retry-After; anything else: the provider's own message when it gives one.
import { isRetryableStatus, parseRetryAfter, StepFailure } from "@/lib/flows/retry-policy";

export type TAppErrorWords = {
  /** "Slack", "Stripe". */
  app: string;
  /** After "not found: " ("check the channel"). */
  notFound: string;
  /** After a 403 ("the key lacks read access to charges"); absent: the same as 401. */
  forbidden?: string;
};

/** The provider's message, cut to a line (it went through secret removal with the rest of the answer). */
export function providerMessage(text: unknown): string | null {
  if (typeof text !== "string") return null;
  const line = text.replace(/\s+/g, " ").trim();
  if (!line) return null;
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
}

export function appStatusFailure(
  status: number,
  headers: Readonly<Record<string, string | undefined>>,
  words: TAppErrorWords,
  detail: string | null = null,
): StepFailure {
  const code = `HTTP_${status}`;
  const suffix = detail ? ` (${detail})` : "";
  if (status === 401) return new StepFailure(`${words.app} refused the connection's credential: reconnect it or enter a new key.`, { retryable: false, code });
  if (status === 403) {
    const why = words.forbidden ?? "the connection's credential is not allowed to do this";
    return new StepFailure(`${words.app} refused the request: ${why}.${suffix}`, { retryable: false, code });
  }
  if (status === 404) return new StepFailure(`${words.app}: not found: ${words.notFound}.${suffix}`, { retryable: false, code });
  if (status === 429) {
    return new StepFailure(`${words.app} is rate limiting this connection; the step tries again later.`, {
      retryable: true,
      retryAfterMs: parseRetryAfter(headers["retry-after"]),
      code,
    });
  }
  return new StepFailure(`${words.app} answered ${status}.${suffix}`, {
    retryable: isRetryableStatus(status),
    retryAfterMs: parseRetryAfter(headers["retry-after"]),
    code,
  });
}
