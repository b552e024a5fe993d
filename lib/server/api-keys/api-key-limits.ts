import "server-only";
// Requests per key per minute (API_RATE_PER_KEY). Counted in memory per app instance,
// like the webhook limits (lib/server/rate-limit/webhook-limits.ts) and for the same
// reason: the API is a hot path, and a PostgreSQL counter would add a write on one hot
// row per key to every call. The limit bounds cost, not guessing (a key has 256 random
// bits), so a bound per instance is still a bound; behind N instances a key gets up to
// N times the limit.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { getEnv } from "@/lib/env";

const WINDOW_SECONDS = 60;
const KEY = Symbol.for("vaultflow.apiKeyRateLimiters");

function limiter(points: number): RateLimiterMemory {
  const holder = globalThis as { [KEY]?: Map<number, RateLimiterMemory> };
  holder[KEY] ??= new Map();
  // Keyed by the limit, so a changed configuration (tests) gets a fresh counter.
  let found = holder[KEY].get(points);
  if (!found) {
    found = new RateLimiterMemory({ keyPrefix: "api-key", points, duration: WINDOW_SECONDS });
    holder[KEY].set(points, found);
  }
  return found;
}

/** Counts one request with this key; null when allowed, else the seconds until it may call again. */
export async function consumeApiKeyLimit(keyId: string): Promise<number | null> {
  try {
    await limiter(getEnv().API_RATE_PER_KEY).consume(keyId);
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
}
