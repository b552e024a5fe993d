// Checkout, the Customer Portal and the plan prices against the Stripe API stand-in,
// through the real Stripe SDK, on a real database.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCheckoutSession } from "@/lib/server/billing/create-checkout-session";
import { createPortalSession } from "@/lib/server/billing/create-portal-session";
import { clearPlanPriceCache, getPlanPrices } from "@/lib/server/billing/get-plan-prices";
import { getDb } from "@/lib/server/db";
import { createProject } from "@/lib/server/projects/create-project";
import { errorOf } from "../support/error-of";
import { setupTestDatabase } from "../support/setup-test-database";
import { StripeStandin } from "../support/stripe-standin";
import { STRIPE_TEST_CONFIG, TEST_APP_URL, withBillingOff } from "../support/stripe-test-env";

const stripePort = await vi.hoisted(async () => (await import("../support/stripe-test-env")).configureStripeTestEnv());

setupTestDatabase();
let stripe: StripeStandin;
beforeAll(async () => {
  stripe = await StripeStandin.start({ ...STRIPE_TEST_CONFIG, port: stripePort });
});
afterAll(async () => {
  await stripe?.stop();
});

const meta = { ip: "192.0.2.90", userAgent: "vitest" };
let n = 0;
const newUser = () =>
  getDb().user.create({ data: { email: `billing-${++n}-${Date.now()}@example.com`, emailVerified: new Date() }, select: { id: true, email: true } });

async function projectWithOwner(name = "Billing") {
  const owner = await newUser();
  const project = await createProject(owner.id, { name }, meta);
  return { owner, project };
}

async function addMember(projectId: string, role: "EDITOR" | "VIEWER" | "OWNER") {
  const user = await newUser();
  await getDb().membership.create({ data: { projectId, userId: user.id, role } });
  return user;
}

const sessionIdOf = (url: string) => new URL(url).pathname.split("/").at(-1)!;
const customersOf = (projectId: string) => [...stripe.customers.values()].filter((customer) => customer.metadata.projectId === projectId);

describe("createCheckoutSession", () => {
  it("creates the project's customer and a subscription-mode session for the plan's price, with the project named three times", async () => {
    const { owner, project } = await projectWithOwner();
    const { url } = await createCheckoutSession(owner.id, project.id, { plan: "PRO", interval: "month" }, meta);

    expect(url.startsWith(`${stripe.url}/checkout/cs_test_`)).toBe(true);
    const session = stripe.sessions.get(sessionIdOf(url))!;
    const billing = await getDb().projectBilling.findUniqueOrThrow({ where: { projectId: project.id } });
    expect(billing.stripeCustomerId).toMatch(/^cus_/);
    expect(billing.plan).toBe("FREE");
    expect(session).toMatchObject({
      mode: "subscription",
      customer: billing.stripeCustomerId,
      client_reference_id: project.id,
      metadata: { projectId: project.id },
      success_url: `${TEST_APP_URL}/projects/${project.id}/billing?checkout=success`,
      cancel_url: `${TEST_APP_URL}/projects/${project.id}/billing?checkout=cancelled`,
    });
    expect(session._line_items).toEqual([{ price: "price_pro_monthly_test", quantity: 1 }]);
    expect(session._subscription_metadata).toEqual({ projectId: project.id });
    expect(stripe.customers.get(billing.stripeCustomerId!)!.metadata).toEqual({ projectId: project.id });

    const audit = await getDb().auditEvent.findMany({ where: { projectId: project.id, action: "billing.checkout_started" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: owner.id, details: { plan: "PRO", interval: "month" } });

    // A second visit (the owner came back from Checkout without paying) reuses the customer.
    const again = await createCheckoutSession(owner.id, project.id, { plan: "TEAM", interval: "year" }, meta);
    expect(stripe.sessions.get(sessionIdOf(again.url))!.customer).toBe(billing.stripeCustomerId);
    expect(stripe.sessions.get(sessionIdOf(again.url))!._line_items[0].price).toBe("price_team_yearly_test");
    expect(customersOf(project.id)).toHaveLength(1);
  });

  it("makes one Stripe customer for two upgrade clicks at the same moment", async () => {
    const { owner, project } = await projectWithOwner();
    const second = await addMember(project.id, "OWNER");
    const requestsBefore = stripe.requests.length;
    const [a, b] = await Promise.all([
      createCheckoutSession(owner.id, project.id, { plan: "PRO", interval: "month" }, meta),
      createCheckoutSession(second.id, project.id, { plan: "PRO", interval: "year" }, meta),
    ]);
    const billing = await getDb().projectBilling.findUniqueOrThrow({ where: { projectId: project.id } });
    expect(customersOf(project.id)).toHaveLength(1);
    expect(stripe.sessions.get(sessionIdOf(a.url))!.customer).toBe(billing.stripeCustomerId);
    expect(stripe.sessions.get(sessionIdOf(b.url))!.customer).toBe(billing.stripeCustomerId);
    // Both clicks reach customers.create only when both read "no customer yet"; when one
    // has stored its customer first, the other makes no call at all. Either way, every
    // create made by these two clicks carries the project's key.
    const creates = stripe.requests.slice(requestsBefore).filter((request) => request.method === "POST" && request.path === "/v1/customers");
    expect(creates.length).toBeGreaterThanOrEqual(1);
    expect(creates.length).toBeLessThanOrEqual(2);
    expect(new Set(creates.map((request) => request.idempotencyKey))).toEqual(new Set([`vaultflow-customer-${project.id}`]));
  });

  it("reads as not found for editors, viewers and another project's owner, before any Stripe call", async () => {
    const { project } = await projectWithOwner();
    const editor = await addMember(project.id, "EDITOR");
    const viewer = await addMember(project.id, "VIEWER");
    const { owner: stranger } = await projectWithOwner("Elsewhere");
    const before = stripe.requests.length;
    for (const user of [editor, viewer, stranger]) {
      const error = await errorOf(createCheckoutSession(user.id, project.id, { plan: "PRO", interval: "month" }, meta));
      expect(error.code).toBe("NOT_FOUND");
      expect(error.message).toBe("Project not found.");
      expect((await errorOf(createPortalSession(user.id, project.id, meta))).code).toBe("NOT_FOUND");
    }
    expect(stripe.requests.length).toBe(before);
    expect(await getDb().projectBilling.findUnique({ where: { projectId: project.id } })).toBeNull();
    expect(await getDb().auditEvent.count({ where: { projectId: project.id, action: { startsWith: "billing." } } })).toBe(0);
  });

  it("refuses a plan the server does not sell, whatever the caller passes", async () => {
    const { owner, project } = await projectWithOwner();
    const before = stripe.requests.length;
    await expect(createCheckoutSession(owner.id, project.id, { plan: "FREE" as "PRO", interval: "month" }, meta)).rejects.toThrow();
    await expect(createCheckoutSession(owner.id, project.id, { plan: "PRO", interval: "week" as "month" }, meta)).rejects.toThrow();
    await expect(createCheckoutSession(owner.id, project.id, { plan: "PRO", interval: "month", price: "price_cheap" } as never, meta)).rejects.toThrow();
    expect(stripe.requests.length).toBe(before);
  });

  it("does not sell a second subscription, even before the first one's webhook arrived", async () => {
    const { owner, project } = await projectWithOwner();
    const first = await createCheckoutSession(owner.id, project.id, { plan: "PRO", interval: "month" }, meta);
    // Paid at Stripe; no webhook delivered (the stand-in has no webhook target here).
    await stripe.completeCheckout(sessionIdOf(first.url));
    const sessions = stripe.sessions.size;
    const error = await errorOf(createCheckoutSession(owner.id, project.id, { plan: "TEAM", interval: "month" }, meta));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain("Manage billing");
    expect(stripe.sessions.size).toBe(sessions);

    // With the subscription stored, the refusal comes before any Stripe call.
    const customer = (await getDb().projectBilling.findUniqueOrThrow({ where: { projectId: project.id } })).stripeCustomerId!;
    const subscription = [...stripe.subscriptions.values()].find((s) => s.customer === customer)!;
    await getDb().projectBilling.update({
      where: { projectId: project.id },
      data: { stripeSubscriptionId: subscription.id, subscriptionStatus: "active", plan: "PRO" },
    });
    const before = stripe.requests.length;
    expect((await errorOf(createCheckoutSession(owner.id, project.id, { plan: "TEAM", interval: "month" }, meta))).code).toBe("CONFLICT");
    expect(stripe.requests.length).toBe(before);
  });
});

describe("createPortalSession", () => {
  it("opens the portal for the project's customer with the billing page as return address", async () => {
    const { owner, project } = await projectWithOwner();
    const none = await errorOf(createPortalSession(owner.id, project.id, meta));
    expect(none.code).toBe("CONFLICT");

    await createCheckoutSession(owner.id, project.id, { plan: "PRO", interval: "month" }, meta);
    const { url } = await createPortalSession(owner.id, project.id, meta);
    expect(url.startsWith(`${stripe.url}/portal/bps_`)).toBe(true);
    const portal = stripe.portalSessions.get(sessionIdOf(url))!;
    const billing = await getDb().projectBilling.findUniqueOrThrow({ where: { projectId: project.id } });
    expect(portal.customer).toBe(billing.stripeCustomerId);
    expect(portal.return_url).toBe(`${TEST_APP_URL}/projects/${project.id}/billing`);
    expect(await getDb().auditEvent.count({ where: { projectId: project.id, action: "billing.portal_opened", userId: owner.id } })).toBe(1);

    const page = await (await fetch(url)).text();
    expect(page).toContain(`href="${TEST_APP_URL}/projects/${project.id}/billing"`);
  });
});

describe("getPlanPrices", () => {
  it("reads the four prices from Stripe and keeps them for ten minutes", async () => {
    clearPlanPriceCache();
    const before = stripe.requests.filter((request) => request.path.startsWith("/v1/prices/")).length;
    const now = Date.now();
    const prices = await getPlanPrices(now);
    expect(prices.PRO.month).toEqual({ priceId: "price_pro_monthly_test", unitAmount: 2900, currency: "usd", interval: "month" });
    expect(prices.PRO.year?.unitAmount).toBe(29000);
    expect(prices.TEAM.month?.unitAmount).toBe(9900);
    expect(prices.TEAM.year).toEqual({ priceId: "price_team_yearly_test", unitAmount: 99000, currency: "usd", interval: "year" });
    const priceCalls = () => stripe.requests.filter((request) => request.path.startsWith("/v1/prices/")).length;
    expect(priceCalls() - before).toBe(4);
    await getPlanPrices(now + 9 * 60 * 1000);
    expect(priceCalls() - before).toBe(4);
    await getPlanPrices(now + 11 * 60 * 1000);
    expect(priceCalls() - before).toBe(8);
  });
});

describe("billing off", () => {
  it("refuses Checkout and the portal as not found, sends nothing to Stripe and shows no prices", async () => {
    const { owner, project } = await projectWithOwner();
    const restore = withBillingOff();
    try {
      vi.resetModules();
      const off = {
        checkout: (await import("@/lib/server/billing/create-checkout-session")).createCheckoutSession,
        portal: (await import("@/lib/server/billing/create-portal-session")).createPortalSession,
        prices: (await import("@/lib/server/billing/get-plan-prices")).getPlanPrices,
      };
      const before = stripe.requests.length;
      const checkoutError = await errorOf(off.checkout(owner.id, project.id, { plan: "PRO", interval: "month" }, meta));
      expect(checkoutError.code).toBe("NOT_FOUND");
      expect(checkoutError.message).toBe("Billing is not enabled.");
      expect((await errorOf(off.portal(owner.id, project.id, meta))).code).toBe("NOT_FOUND");
      expect(await off.prices()).toEqual({ PRO: { month: undefined, year: undefined }, TEAM: { month: undefined, year: undefined } });
      expect(stripe.requests.length).toBe(before);
      expect(await getDb().projectBilling.findUnique({ where: { projectId: project.id } })).toBeNull();
    } finally {
      restore();
      vi.resetModules();
    }
  });
});
