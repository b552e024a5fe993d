import "server-only";
// Brute-force limits, counted in PostgreSQL so they hold across instances.
// Sign-in is limited per email+IP and per IP, never per email alone: an attacker
// elsewhere can exhaust their own address's budget but cannot lock the owner out of
// signing in from the owner's usual address.
import { createHash } from "node:crypto";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";
import { getDb } from "../db";

type LimiterSpec = { points: number; durationSeconds: number };

export const LIMITS = {
  signInEmailIp: { points: 10, durationSeconds: 15 * 60 },
  signInIp: { points: 100, durationSeconds: 15 * 60 },
  signUpIp: { points: 10, durationSeconds: 60 * 60 },
  resetEmailIp: { points: 5, durationSeconds: 60 * 60 },
  resetIp: { points: 20, durationSeconds: 60 * 60 },
  twoFactorUser: { points: 10, durationSeconds: 15 * 60 },
  verifyEmailUser: { points: 5, durationSeconds: 60 * 60 },
  /** Re-entering the password while signed in (change password, delete, link Google). */
  reauthUser: { points: 10, durationSeconds: 15 * 60 },
  /** Invitations sent or resent: per project a day, and per inviter an hour. */
  invitationsProject: { points: 50, durationSeconds: 24 * 60 * 60 },
  invitationsUser: { points: 30, durationSeconds: 60 * 60 },
  /** "Test step" in the editor: each test may send a request to an outside service. */
  stepTestUser: { points: 30, durationSeconds: 60 },
  /** "Connect" / "Reconnect" with an OAuth provider: each start stores a state row. */
  oauthStartUser: { points: 20, durationSeconds: 10 * 60 },
} satisfies Record<string, LimiterSpec>;

export type TLimitName = keyof typeof LIMITS;

const KEY = Symbol.for("vaultflow.rateLimiters");
type Holder = { [KEY]?: { db: unknown; limiters: Map<TLimitName, RateLimiterPrisma> } };

function limiter(name: TLimitName): RateLimiterPrisma {
  const holder = globalThis as Holder;
  const db = getDb();
  if (holder[KEY]?.db !== db) holder[KEY] = { db, limiters: new Map() };
  const cache = holder[KEY]!.limiters;
  let found = cache.get(name);
  if (!found) {
    found = new RateLimiterPrisma({
      storeClient: db,
      tableName: "rateLimit",
      keyPrefix: name,
      points: LIMITS[name].points,
      duration: LIMITS[name].durationSeconds,
      // Expired rows are removed by the library's hourly sweep.
      clearExpiredByTimeout: true,
    });
    cache.set(name, found);
  }
  return found;
}

export class RateLimitedError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      "RATE_LIMITED",
      `Too many attempts. Try again in ${retryAfterSeconds < 120 ? `${retryAfterSeconds} seconds` : `${Math.ceil(retryAfterSeconds / 60)} minutes`}.`,
    );
  }
}

/** Reads the wait back from RateLimitedError's message (it crosses next-auth as text); null for other messages. */
export function retryAfterSeconds(message: string): number | null {
  const match = /^Too many attempts\. Try again in (\d+) (seconds|minutes)\.$/.exec(message);
  if (!match) return null;
  return Number(match[1]) * (match[2] === "minutes" ? 60 : 1);
}

/** Keys are hashed: they fit the key column whatever their length, and hold no email in clear. */
function storageKey(key: string): string {
  return createHash("sha256").update(key.normalize("NFKC").toLowerCase()).digest("base64url");
}

/** Counts one attempt against each named limit; throws RateLimitedError when one is spent. */
export async function consumeRateLimits(entries: [TLimitName, string][]): Promise<void> {
  for (const [name, key] of entries) {
    try {
      await limiter(name).consume(storageKey(key));
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        throw new RateLimitedError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
      }
      throw error;
    }
  }
}

/** Forgets the failures of one key (after a successful sign-in). */
export async function resetRateLimit(name: TLimitName, key: string): Promise<void> {
  await limiter(name).delete(storageKey(key));
}
