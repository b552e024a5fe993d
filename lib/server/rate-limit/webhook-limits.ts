import "server-only";
// Webhook flood limits: per client address (every call, unknown tokens included, so
// probing for addresses is bounded) and per webhook address (all senders together, so a
// flood from many clients cannot start runs without end).
//
// Counted in memory, per app instance, unlike the sign-in limits in limiters.ts (kept in
// PostgreSQL): webhooks are the hottest path, and a database counter would add a write
// on one hot row per address to every call, serialized by its row lock. Sign-in limits
// guard against guessing, where cross-instance counting matters and the rate is low;
// these guard against cost, where a bound per instance is still a bound. Behind N
// instances a sender gets up to N times the limit (documented in SECURITY.md).
import ipaddr from "ipaddr.js";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { getEnv } from "@/lib/env";

const WINDOW_SECONDS = 60;

export type TWebhookLimitName = "client" | "address";

type THolder = { limiters: Map<string, RateLimiterMemory> };
const KEY = Symbol.for("vaultflow.webhookRateLimiters");

function limiter(name: TWebhookLimitName, points: number): RateLimiterMemory {
  const holder = globalThis as { [KEY]?: THolder };
  holder[KEY] ??= { limiters: new Map() };
  // Keyed by the limit too, so a changed configuration (tests) gets a fresh counter.
  const cacheKey = `${name}:${points}`;
  let found = holder[KEY].limiters.get(cacheKey);
  if (!found) {
    found = new RateLimiterMemory({ keyPrefix: `webhook-${name}`, points, duration: WINDOW_SECONDS });
    holder[KEY].limiters.set(cacheKey, found);
  }
  return found;
}

/**
 * One IPv6 holder controls a whole /64 (and can rotate through it at no cost), so an
 * IPv6 client is counted by its /64; IPv4 by its address.
 */
export function clientLimitKey(ip: string): string {
  if (!ipaddr.IPv6.isValid(ip)) return ip;
  return `${ipaddr.IPv6.parse(ip).toNormalizedString().split(":").slice(0, 4).join(":")}::/64`;
}

/** Null when allowed; else the seconds until the limit resets. Refused calls count too. */
async function consume(name: TWebhookLimitName, points: number, key: string): Promise<number | null> {
  try {
    await limiter(name, points).consume(key);
    return null;
  } catch (error) {
    if (error instanceof RateLimiterRes) return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
}

/** Counts one call from this client; the seconds to wait when it is over its limit. */
export function consumeWebhookClientLimit(clientIp: string): Promise<number | null> {
  return consume("client", getEnv().WEBHOOK_RATE_PER_CLIENT, clientLimitKey(clientIp));
}

/** Counts one call to this webhook address (its flow); the seconds to wait when over. */
export function consumeWebhookAddressLimit(flowId: string): Promise<number | null> {
  return consume("address", getEnv().WEBHOOK_RATE_PER_ADDRESS, flowId);
}

type TWaiterSlot = { release: () => void };
const WAITERS_KEY = Symbol.for("vaultflow.webhookWaiters");

/**
 * Takes one of the project's slots for a call that waits for its run's Respond step;
 * null when all WEBHOOK_WAITERS_PER_PROJECT are taken. Each waiter holds a request open
 * (and its socket) for up to its timeout, so one project's callers cannot pin them all.
 */
export function takeWebhookWaiterSlot(projectId: string): TWaiterSlot | null {
  const holder = globalThis as { [WAITERS_KEY]?: Map<string, number> };
  const counts = (holder[WAITERS_KEY] ??= new Map());
  const taken = counts.get(projectId) ?? 0;
  if (taken >= getEnv().WEBHOOK_WAITERS_PER_PROJECT) return null;
  counts.set(projectId, taken + 1);
  let isReleased = false;
  return {
    release: () => {
      if (isReleased) return;
      isReleased = true;
      const left = (counts.get(projectId) ?? 1) - 1;
      if (left > 0) counts.set(projectId, left);
      else counts.delete(projectId);
    },
  };
}
