import "server-only";
// How many member notifications a project may send through the instance's mail server:
// NOTIFY_MEMBERS_PER_HOUR messages (one per member reached) per project and hour, counted
// in PostgreSQL so the bound holds across app instances and both run drivers. A
// notification that would go over is refused whole (nobody gets a partial broadcast)
// and its points are given back, so a refused attempt does not eat the next hour's budget.
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { NOTIFY_MEMBERS_PER_HOUR } from "@/lib/apps/email/email-app";
import { getDb } from "../../db";

const WINDOW_SECONDS = 60 * 60;
const KEY = Symbol.for("vaultflow.notifyMembersLimiters");
type THolder = { [KEY]?: { db: unknown; limiters: Map<number, RateLimiterPrisma> } };

function limiter(points: number): RateLimiterPrisma {
  const holder = globalThis as THolder;
  const db = getDb();
  if (holder[KEY]?.db !== db) holder[KEY] = { db, limiters: new Map() };
  let found = holder[KEY]!.limiters.get(points);
  if (!found) {
    found = new RateLimiterPrisma({
      storeClient: db,
      tableName: "rateLimit",
      keyPrefix: `notifyMembers${points}`,
      points,
      duration: WINDOW_SECONDS,
      clearExpiredByTimeout: true,
    });
    holder[KEY]!.limiters.set(points, found);
  }
  return found;
}

/** Takes `count` messages from the project's hourly budget; null when taken, else the seconds until enough is free. */
export async function takeNotifyBudget(projectId: string, count: number, perHour = NOTIFY_MEMBERS_PER_HOUR): Promise<number | null> {
  if (count <= 0) return null;
  if (count > perHour) return WINDOW_SECONDS;
  const counter = limiter(perHour);
  try {
    await counter.consume(projectId, count);
    return null;
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    await counter.reward(projectId, count);
    return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
  }
}

/** Gives back what was taken for messages that were never sent. */
export async function returnNotifyBudget(projectId: string, count: number, perHour = NOTIFY_MEMBERS_PER_HOUR): Promise<void> {
  if (count > 0) await limiter(perHour).reward(projectId, count);
}
