import "server-only";
// What Stripe will charge for each paid plan, read from the four configured prices so
// the pricing and billing pages show Stripe's amounts, never a copy that can drift.
// Kept in memory for 10 minutes; a price Stripe cannot give is left out (the page says
// "unavailable") and asked for again on the next call.
import { BILLING_INTERVALS, PAID_PLAN_IDS, priceIdFor, type TBillingInterval, type TPaidPlanId } from "@/lib/billing/plans";
import { getEnv, isBillingEnabled } from "@/lib/env";
import { getLogger } from "@/lib/log";
import { getStripe } from "./stripe-client";

export type TPlanPrice = {
  priceId: string;
  /** In the currency's smallest unit (cents); null for a price without a fixed amount. */
  unitAmount: number | null;
  currency: string;
  interval: TBillingInterval;
};

export type TPlanPrices = Record<TPaidPlanId, Record<TBillingInterval, TPlanPrice | undefined>>;

const TTL_MS = 10 * 60 * 1000;
const KEY = Symbol.for("vaultflow.stripe-prices");
type Holder = { [KEY]?: Map<string, { price: TPlanPrice; expiresAt: number }> };

function emptyPrices(): TPlanPrices {
  return { PRO: { month: undefined, year: undefined }, TEAM: { month: undefined, year: undefined } };
}

async function readPrice(priceId: string, interval: TBillingInterval, now: number): Promise<TPlanPrice | undefined> {
  const cache = ((globalThis as Holder)[KEY] ??= new Map());
  const hit = cache.get(priceId);
  if (hit && hit.expiresAt > now) return hit.price;
  try {
    const price = await getStripe().prices.retrieve(priceId);
    const value: TPlanPrice = { priceId, unitAmount: price.unit_amount ?? null, currency: price.currency, interval };
    cache.set(priceId, { price: value, expiresAt: now + TTL_MS });
    return value;
  } catch (error) {
    const err = error as { type?: unknown; code?: unknown; statusCode?: unknown };
    getLogger().warn({ priceId, err: { type: String(err?.type ?? "Error"), code: err?.code, status: err?.statusCode } }, "stripe price unavailable");
    return undefined;
  }
}

/** The configured prices as Stripe states them; all undefined when billing is off. */
export async function getPlanPrices(now: number = Date.now()): Promise<TPlanPrices> {
  const env = getEnv();
  const prices = emptyPrices();
  if (!isBillingEnabled(env)) return prices;
  await Promise.all(
    PAID_PLAN_IDS.flatMap((plan) =>
      BILLING_INTERVALS.map(async (interval) => {
        const priceId = priceIdFor(env, plan, interval);
        if (priceId) prices[plan][interval] = await readPrice(priceId, interval, now);
      }),
    ),
  );
  return prices;
}

/** Forgets the cached prices (tests; after changing prices in Stripe, a restart does the same). */
export function clearPlanPriceCache(): void {
  (globalThis as Holder)[KEY]?.clear();
}
