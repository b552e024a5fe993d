import "server-only";
// Stripe resends an event for at most 3 days; ids older than 90 days cannot come back,
// so their rows only take space.
import { getDb } from "../db";

const DAY_MS = 24 * 60 * 60 * 1000;
export const STRIPE_EVENT_RETENTION_DAYS = 90;

export async function pruneStripeEvents(now: Date = new Date()): Promise<number> {
  const { count } = await getDb().stripeEvent.deleteMany({
    where: { receivedAt: { lt: new Date(now.getTime() - STRIPE_EVENT_RETENTION_DAYS * DAY_MS) } },
  });
  return count;
}
