import "server-only";
// Brute-force limits, counted in PostgreSQL so they hold across instances.
// Sign-in is limited per email+IP and per IP, never per email alone: an attacker
// elsewhere can exhaust their own address's budget but cannot lock the owner out of
// signing in from the owner's usual address.
//
// A counter is one row of rate_limits: `<limit name>:<hashed key>`, the points used in
// its window and when the window ends. Counting one attempt against several limits is
// one statement (an upsert per limit, on the hot-path pool): a sign-in pays one
// round trip for its two limits, not four. Expired rows are deleted by maintenance
// (prune-expired-records.ts); an expired row met here starts a new window.
import { createHash } from "node:crypto";
import { AppError } from "@/lib/errors";
import { hotQuery } from "../db";

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

// One attempt against each counter: a new row, a row whose window has ended (a new
// window), or one more point. Rows come back with the points now used and the window's end.
// Times are UTC without a zone in this table, as Prisma writes them.
const CONSUME_SQL = `
  INSERT INTO rate_limits AS r (key, points, expire)
  SELECT key, 1, (now() AT TIME ZONE 'UTC') + make_interval(secs => seconds)
  FROM unnest($1::text[], $2::int[]) AS attempt(key, seconds)
  ON CONFLICT (key) DO UPDATE SET
    points = CASE WHEN r.expire IS NOT NULL AND r.expire <= (now() AT TIME ZONE 'UTC') THEN 1 ELSE r.points + 1 END,
    expire = CASE WHEN r.expire IS NOT NULL AND r.expire <= (now() AT TIME ZONE 'UTC') THEN excluded.expire ELSE r.expire END
  RETURNING key, points, r.expire AT TIME ZONE 'UTC' AS expire`;

/** The counter's row key: the limit's name and the hashed key (the format earlier rows already have). */
function rowKey(name: TLimitName, key: string): string {
  return `${name}:${storageKey(key)}`;
}

/**
 * Counts one attempt against each named limit (all of them, in one statement); throws
 * RateLimitedError when one is spent, with the longest wait among those spent.
 */
export async function consumeRateLimits(entries: [TLimitName, string][]): Promise<void> {
  const counters = new Map<string, TLimitName>();
  for (const [name, key] of entries) counters.set(rowKey(name, key), name);
  if (counters.size === 0) return;
  const keys = [...counters.keys()];
  const rows = await hotQuery<{ key: string; points: number; expire: Date | null }>("vf_rate_limit_consume", CONSUME_SQL, [
    keys,
    keys.map((key) => LIMITS[counters.get(key)!].durationSeconds),
  ]);
  const spent = rows.filter((row) => row.points > LIMITS[counters.get(row.key)!].points);
  if (spent.length === 0) return;
  const waitMs = Math.max(...spent.map((row) => (row.expire ? row.expire.getTime() - Date.now() : 0)));
  throw new RateLimitedError(Math.max(1, Math.ceil(waitMs / 1000)));
}

/** Forgets the failures of one key (after a successful sign-in). */
export async function resetRateLimit(name: TLimitName, key: string): Promise<void> {
  await hotQuery("vf_rate_limit_reset", "DELETE FROM rate_limits WHERE key = $1", [rowKey(name, key)]);
}
