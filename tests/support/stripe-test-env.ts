// Billing configuration for tests that run the billing code in the test process: call
// it from vi.hoisted (before lib/env.ts first reads and caches the environment), then
// start the stand-in on the returned port.
//
//   const stripePort = await vi.hoisted(async () => (await import("../support/stripe-test-env")).configureStripeTestEnv());
//   const stripe = await StripeStandin.start({ ...STRIPE_TEST_CONFIG, port: stripePort, webhookHandler: POST });
import net from "node:net";
import type { TStandinPrice } from "./stripe-standin";

export const STRIPE_TEST_CONFIG = {
  secretKey: "sk_test_vaultflow_standin_0001",
  webhookSecret: "whsec_vaultflowstandin0001",
  prices: [
    { id: "price_pro_monthly_test", product: "Pro", unit_amount: 2900, currency: "usd", interval: "month" },
    { id: "price_pro_yearly_test", product: "Pro", unit_amount: 29000, currency: "usd", interval: "year" },
    { id: "price_team_monthly_test", product: "Team", unit_amount: 9900, currency: "usd", interval: "month" },
    { id: "price_team_yearly_test", product: "Team", unit_amount: 99000, currency: "usd", interval: "year" },
  ] satisfies TStandinPrice[],
};

export const TEST_APP_URL = "http://vaultflow.test:3000";

async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Sets the billing variables (billing on, API calls to the stand-in's port) and returns that port. */
export async function configureStripeTestEnv(): Promise<number> {
  const port = await freeLoopbackPort();
  const [proMonth, proYear, teamMonth, teamYear] = STRIPE_TEST_CONFIG.prices;
  Object.assign(process.env, {
    APP_URL: TEST_APP_URL,
    STRIPE_SECRET_KEY: STRIPE_TEST_CONFIG.secretKey,
    STRIPE_WEBHOOK_SECRET: STRIPE_TEST_CONFIG.webhookSecret,
    STRIPE_PRICE_PRO_MONTHLY: proMonth!.id,
    STRIPE_PRICE_PRO_YEARLY: proYear!.id,
    STRIPE_PRICE_TEAM_MONTHLY: teamMonth!.id,
    STRIPE_PRICE_TEAM_YEARLY: teamYear!.id,
    STRIPE_API_URL: `http://127.0.0.1:${port}`,
    BILLING_GRACE_DAYS: "7",
  });
  return port;
}

/** Billing switched off for modules imported after vi.resetModules() (lib/env.ts reads afresh). */
export function withBillingOff(): () => void {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) if (name.startsWith("STRIPE_")) delete process.env[name];
  return () => Object.assign(process.env, saved);
}
