import "server-only";
// The one Stripe API client of the process. Billing off (no STRIPE_SECRET_KEY): there
// is none, and every billing use case stops here with "not found" before any request
// leaves the machine. STRIPE_API_URL (tests only; refused in production by lib/env.ts)
// sends the API calls to a Stripe-compatible server instead of api.stripe.com.
import Stripe from "stripe";
import { getEnv, isBillingEnabled, type TEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { APP_VERSION } from "@/lib/version";

const KEY = Symbol.for("vaultflow.stripe");
type Holder = { [KEY]?: { signature: string; client: Stripe } };

export function billingNotEnabled(): AppError {
  return new AppError("NOT_FOUND", "Billing is not enabled.");
}

function apiTarget(env: TEnv): Pick<Stripe.StripeConfig, "host" | "port" | "protocol"> {
  if (!env.STRIPE_API_URL) return {};
  const url = new URL(env.STRIPE_API_URL);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: url.port || (protocol === "http" ? 80 : 443), protocol };
}

export function getStripe(env: TEnv = getEnv()): Stripe {
  if (!isBillingEnabled(env)) throw billingNotEnabled();
  const holder = globalThis as Holder;
  // A changed key or API address (tests) gets its own client; a server has one.
  const signature = `${env.STRIPE_SECRET_KEY}|${env.STRIPE_API_URL ?? ""}`;
  if (holder[KEY]?.signature !== signature) {
    const client = new Stripe(env.STRIPE_SECRET_KEY!, {
      ...apiTarget(env),
      // Bounded waits: a page or a webhook must not hang on Stripe for the SDK's 80 s.
      timeout: 15_000,
      // Retries carry the SDK's own idempotency keys, so a retried create is not doubled.
      maxNetworkRetries: 2,
      telemetry: false,
      appInfo: { name: "Vaultflow", version: APP_VERSION },
    });
    holder[KEY] = { signature, client };
  }
  return holder[KEY]!.client;
}
