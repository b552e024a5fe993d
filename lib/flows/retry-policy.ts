// The retry policy is the interpreter's, not the driver's, so the embedded driver and
// Inngest behave alike: attempts, exponential backoff with jitter, which failures
// are worth retrying, and the server's Retry-After when it sends one.

export type TRetryPolicy = {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
};

export const DEFAULT_RETRY_POLICY: TRetryPolicy = { attempts: 3, baseDelayMs: 1000, maxDelayMs: 5 * 60 * 1000 };

/** What an executor reports when a step fails; `retryable` decides whether to try again. */
export class StepFailure extends Error {
  override name = "StepFailure";
  constructor(
    message: string,
    readonly options: { retryable: boolean; retryAfterMs?: number; code?: string } = { retryable: false },
  ) {
    super(message);
  }
}

/** HTTP statuses worth another attempt: rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `Retry-After` as seconds or an HTTP date, in ms from `now`; undefined when absent or silly. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{1,7}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Wait before attempt `attempt + 1` (attempt counts from 1). Jitter (half fixed, half random: "equal jitter") spreads retries
 * of many runs hitting one failing service; Retry-After wins when the server sends it,
 * capped at the policy's maximum.
 */
export function backoffMs(policy: TRetryPolicy, attempt: number, retryAfterMs: number | undefined, random = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
