// The Stripe webhook route, driven the way Stripe drives it: the stand-in signs real
// events and POSTs them to the route's exported handler in this process, and the
// handlers read the subscription back from the stand-in through the real SDK.
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Mailer, TMailMessage } from "@/lib/mail/mailer";
import { createCheckoutSession } from "@/lib/server/billing/create-checkout-session";
import { notifyOwnersOfPaymentFailure } from "@/lib/server/billing/notify-owners-of-payment-failure";
import { pruneStripeEvents } from "@/lib/server/billing/prune-stripe-events";
import { getDb } from "@/lib/server/db";
import { createProject } from "@/lib/server/projects/create-project";
import { POST } from "@/app/api/stripe/webhook/route";
import { seedPublishedFlow, WEBHOOK_ONLY_DOCUMENT } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";
import { StripeStandin, type TStandinEvent } from "../support/stripe-standin";
import { STRIPE_TEST_CONFIG, TEST_APP_URL, withBillingOff } from "../support/stripe-test-env";

const stripePort = await vi.hoisted(async () => (await import("../support/stripe-test-env")).configureStripeTestEnv());

setupTestDatabase();

// Every log line of this file, at every level, to prove what the webhook never logs.
const logLines: string[] = [];
const LOGGER_KEY = Symbol.for("vaultflow.logger");
(globalThis as Record<symbol, unknown>)[LOGGER_KEY] = pino(
  { level: "trace" },
  new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(String(chunk));
      callback();
    },
  }),
);

let stripe: StripeStandin;
beforeAll(async () => {
  stripe = await StripeStandin.start({ ...STRIPE_TEST_CONFIG, port: stripePort, webhookHandler: POST });
});
afterAll(async () => {
  await stripe?.stop();
});
beforeEach(() => {
  // A test that held deliveries and failed must not leave the next one holding.
  void stripe.release();
});

const meta = { ip: "192.0.2.91", userAgent: "vitest" };
let n = 0;
const newUser = () =>
  getDb().user.create({ data: { email: `hook-${++n}-${Date.now()}@example.com`, emailVerified: new Date() }, select: { id: true, email: true } });

const billingOf = (projectId: string) => getDb().projectBilling.findUniqueOrThrow({ where: { projectId } });
const auditOf = (projectId: string, action: string) =>
  getDb().auditEvent.findMany({ where: { projectId, action }, orderBy: { at: "asc" }, select: { details: true, userId: true, outcome: true } });
const storedEvents = (projectId?: string) => getDb().stripeEvent.findMany({ where: projectId ? { projectId } : {}, select: { id: true, type: true } });
const sessionIdOf = (url: string) => new URL(url).pathname.split("/").at(-1)!;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A project with its Stripe customer (Checkout started, not paid). */
async function projectWithCustomer(name = "Hooks") {
  const owner = await newUser();
  const project = await createProject(owner.id, { name }, meta);
  const checkout = await createCheckoutSession(owner.id, project.id, { plan: "PRO", interval: "month" }, meta);
  const customerId = (await billingOf(project.id)).stripeCustomerId!;
  return { owner, project, customerId, sessionId: sessionIdOf(checkout.url) };
}

/** A project paying for Pro monthly through the whole Checkout (its three events delivered). */
async function paidProject(name = "Paid") {
  const setup = await projectWithCustomer(name);
  await stripe.completeCheckout(setup.sessionId);
  const subscriptionId = (await billingOf(setup.project.id)).stripeSubscriptionId!;
  return { ...setup, subscriptionId };
}

/** A signed POST to the route, as Stripe sends one (override any part for negative tests). */
function webhookRequest(payload: string, signature: string | null): Request {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== null) headers["stripe-signature"] = signature;
  return new Request(`${TEST_APP_URL}/api/stripe/webhook`, { method: "POST", headers, body: payload });
}

describe("Checkout through the hosted page", () => {
  it("Subscribe delivers the three events, the project pays for Pro, and the browser goes to the billing page", async () => {
    const { owner, project, customerId, sessionId } = await projectWithCustomer("Browser");
    const page = await fetch(`${stripe.url}/checkout/${sessionId}`);
    expect(await page.text()).toContain("Subscribe to Pro");
    const submitted = await fetch(`${stripe.url}/checkout/${sessionId}/subscribe`, { method: "POST", redirect: "manual" });
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get("location")).toBe(`${TEST_APP_URL}/projects/${project.id}/billing?checkout=success`);

    const delivered = stripe.events.slice(-3);
    expect(delivered.map((d) => [d.event.type, d.status])).toEqual([
      ["checkout.session.completed", 200],
      ["customer.subscription.created", 200],
      ["invoice.paid", 200],
    ]);
    const subscription = [...stripe.subscriptions.values()].find((s) => s.customer === customerId)!;
    const billing = await billingOf(project.id);
    expect(billing).toMatchObject({
      plan: "PRO",
      interval: "month",
      stripeSubscriptionId: subscription.id,
      subscriptionStatus: "active",
      cancelAtPeriodEnd: false,
      paymentFailedAt: null,
      graceEndsAt: null,
    });
    expect(billing.currentPeriodStart!.getTime()).toBe(subscription.items.data[0].current_period_start * 1000);
    expect(billing.currentPeriodEnd!.getTime()).toBe(subscription.items.data[0].current_period_end * 1000);
    expect((await storedEvents(project.id)).map((e) => e.type).sort()).toEqual(
      ["checkout.session.completed", "customer.subscription.created", "invoice.paid"].sort(),
    );
    expect((await auditOf(project.id, "billing.plan_changed")).map((a) => a.details)).toEqual([
      { from: "FREE", to: "PRO", interval: "month", status: "active" },
    ]);
    expect(await auditOf(project.id, "billing.payment_succeeded")).toHaveLength(1);
    expect(owner.id).toBeTruthy();
  });
});

describe("each event's effect", () => {
  it("checkout.session.completed alone sets the plan from Stripe's subscription", async () => {
    const { project, sessionId } = await projectWithCustomer();
    stripe.hold();
    await stripe.completeCheckout(sessionId);
    const [completed] = await stripe.release([0]);
    expect(completed!.event.type).toBe("checkout.session.completed");
    expect(completed!.status).toBe(200);
    expect(await billingOf(project.id)).toMatchObject({ plan: "PRO", interval: "month", subscriptionStatus: "active" });
  });

  it("customer.subscription.created alone sets the plan", async () => {
    const { project, sessionId } = await projectWithCustomer();
    stripe.hold();
    await stripe.completeCheckout(sessionId);
    const [created] = await stripe.release([1]);
    expect(created!.event.type).toBe("customer.subscription.created");
    expect(await billingOf(project.id)).toMatchObject({ plan: "PRO", subscriptionStatus: "active" });
  });

  it("customer.subscription.updated switches the plan, sets cancel at period end, and an upgrade is audited", async () => {
    const { project, subscriptionId } = await paidProject();
    await stripe.updateSubscription(subscriptionId, { price: "price_team_monthly_test" });
    expect(stripe.events.at(-1)!.status).toBe(200);
    expect(await billingOf(project.id)).toMatchObject({ plan: "TEAM", interval: "month", stripeSubscriptionId: subscriptionId });
    expect((await auditOf(project.id, "billing.plan_changed")).at(-1)!.details).toEqual({ from: "PRO", to: "TEAM", interval: "month", status: "active" });

    await stripe.updateSubscription(subscriptionId, { cancel_at_period_end: true });
    expect(await billingOf(project.id)).toMatchObject({ plan: "TEAM", cancelAtPeriodEnd: true });
  });

  it("customer.subscription.deleted returns the project to the free plan and forgets the subscription", async () => {
    const { project, subscriptionId, customerId } = await paidProject();
    await stripe.cancelSubscription(subscriptionId);
    expect(stripe.events.at(-1)!.status).toBe(200);
    expect(await billingOf(project.id)).toMatchObject({
      plan: "FREE",
      interval: null,
      stripeSubscriptionId: null,
      subscriptionStatus: "canceled",
      stripeCustomerId: customerId,
    });
    expect((await auditOf(project.id, "billing.plan_changed")).at(-1)!.details).toMatchObject({ from: "PRO", to: "FREE" });
  });

  it("invoice.payment_failed starts a grace period once; a second failure keeps its end; invoice.paid clears it", async () => {
    const { project, customerId } = await paidProject();
    const before = Date.now();
    await stripe.failInvoice(customerId);
    expect(stripe.events.at(-1)!.status).toBe(200);
    const failed = await billingOf(project.id);
    expect(failed.subscriptionStatus).toBe("past_due");
    expect(failed.plan).toBe("PRO");
    expect(failed.paymentFailedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(failed.graceEndsAt!.getTime() - failed.paymentFailedAt!.getTime()).toBe(7 * DAY_MS);
    const failures = await auditOf(project.id, "billing.payment_failed");
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ outcome: "failure", details: { graceEndsAt: failed.graceEndsAt!.toISOString() } });

    await new Promise((resolve) => setTimeout(resolve, 20));
    await stripe.failInvoice(customerId);
    const again = await billingOf(project.id);
    expect(again.graceEndsAt!.getTime()).toBe(failed.graceEndsAt!.getTime());
    expect(again.paymentFailedAt!.getTime()).toBe(failed.paymentFailedAt!.getTime());
    expect(await auditOf(project.id, "billing.payment_failed")).toHaveLength(2);

    await stripe.payInvoice(customerId);
    expect(stripe.events.at(-1)!.status).toBe(200);
    expect(await billingOf(project.id)).toMatchObject({ plan: "PRO", subscriptionStatus: "active", paymentFailedAt: null, graceEndsAt: null });
    expect((await auditOf(project.id, "billing.payment_succeeded")).at(-1)!.details).toMatchObject({ endedGracePeriod: true });
  });

  it("a payment_failed delivered after the retry's invoice.paid starts nothing (Stripe says the invoice is paid)", async () => {
    const { project, customerId } = await paidProject();
    stripe.hold();
    await stripe.failInvoice(customerId);
    await stripe.payInvoice(customerId);
    const deliveries = await stripe.release("reverse");
    expect(deliveries.map((d) => [d.event.type, d.status])).toEqual([
      ["invoice.paid", 200],
      ["invoice.payment_failed", 200],
    ]);
    expect(await billingOf(project.id)).toMatchObject({ subscriptionStatus: "active", graceEndsAt: null, paymentFailedAt: null });
    expect(await auditOf(project.id, "billing.payment_failed")).toHaveLength(0);
  });
});

describe("held runs", () => {
  it("an upgrade releases the runs held under the old plan, oldest first", async () => {
    const { userId, projectId, flowId } = await seedPublishedFlow(WEBHOOK_ONLY_DOCUMENT, "held");
    const { activeVersionId } = await getDb().flow.findUniqueOrThrow({ where: { id: flowId }, select: { activeVersionId: true } });
    const held = await Promise.all(
      [0, 1].map((i) =>
        getDb().flowRun.create({
          data: { projectId, flowId, versionId: activeVersionId!, status: "HELD", trigger: "webhook", createdAt: new Date(Date.now() - (2 - i) * 1000) },
          select: { id: true },
        }),
      ),
    );
    const checkout = await createCheckoutSession(userId, projectId, { plan: "TEAM", interval: "month" }, meta);
    const statuses = () => getDb().flowRun.findMany({ where: { id: { in: held.map((r) => r.id) } }, select: { status: true } });
    expect((await statuses()).map((r) => r.status)).toEqual(["HELD", "HELD"]);
    await stripe.completeCheckout(sessionIdOf(checkout.url));
    expect((await billingOf(projectId)).plan).toBe("TEAM");
    expect((await statuses()).map((r) => r.status)).toEqual(["QUEUED", "QUEUED"]);
    expect(await getDb().auditEvent.count({ where: { projectId, action: "runs.released" } })).toBe(1);
  });
});

describe("delivery guarantees", () => {
  it("the same event delivered twice has one effect and one StripeEvent row", async () => {
    const { project, subscriptionId } = await paidProject();
    const updated = await stripe.updateSubscription(subscriptionId, { price: "price_team_monthly_test" });
    const eventId = stripe.events.at(-1)!.event.id;
    const auditBefore = await getDb().auditEvent.count({ where: { projectId: project.id } });
    const billingBefore = await billingOf(project.id);

    const again = await stripe.redeliver(eventId);
    expect(again!.status).toBe(200);
    expect(await getDb().stripeEvent.count({ where: { id: eventId } })).toBe(1);
    expect(await getDb().auditEvent.count({ where: { projectId: project.id } })).toBe(auditBefore);
    expect((await billingOf(project.id)).updatedAt.getTime()).toBe(billingBefore.updatedAt.getTime());
    expect(updated.items.data[0].price.id).toBe("price_team_monthly_test");

    // Two at once: the second waits for the first transaction and then finds the id.
    const cancel = stripe.makeEvent("customer.subscription.updated", stripe.subscriptions.get(subscriptionId)!);
    const both = await Promise.all([stripe.send(cancel), stripe.send(cancel)]);
    expect(both.map((d) => d!.status)).toEqual([200, 200]);
    expect(await getDb().stripeEvent.count({ where: { id: cancel.id } })).toBe(1);
    expect(await getDb().auditEvent.count({ where: { projectId: project.id } })).toBe(auditBefore);
  });

  it("out of order (updated to Team before created for Pro) ends on Stripe's subscription", async () => {
    const { project, customerId } = await projectWithCustomer();
    stripe.hold();
    const subscription = stripe.createSubscription(customerId, "price_pro_monthly_test", { projectId: project.id });
    await stripe.deliver("customer.subscription.created", subscription);
    await stripe.updateSubscription(subscription.id, { price: "price_team_yearly_test" });
    const deliveries = await stripe.release("reverse");
    expect(deliveries.map((d) => [d.event.type, d.status])).toEqual([
      ["customer.subscription.updated", 200],
      ["customer.subscription.created", 200],
    ]);
    const now = stripe.subscriptions.get(subscription.id)!;
    expect(await billingOf(project.id)).toMatchObject({
      plan: "TEAM",
      interval: "year",
      stripeSubscriptionId: subscription.id,
      subscriptionStatus: "active",
    });
    expect((await billingOf(project.id)).currentPeriodEnd!.getTime()).toBe(now.items.data[0].current_period_end * 1000);

    // And a created event arriving after the subscription was cancelled does not revive it.
    stripe.hold();
    await stripe.cancelSubscription(subscription.id);
    await stripe.deliver("customer.subscription.created", subscription);
    await stripe.release("in-order");
    expect(await billingOf(project.id)).toMatchObject({ plan: "FREE", stripeSubscriptionId: null });
  });
});

describe("refused deliveries", () => {
  async function attempt(request: Request) {
    const response = await POST(request);
    return { status: response.status, body: (await response.json()) as { error?: string } };
  }

  it("bad, missing, tampered or stale signatures are 400 and change nothing", async () => {
    const { project, customerId } = await projectWithCustomer();
    const subscription = stripe.createSubscription(customerId, "price_team_monthly_test", { projectId: project.id });
    const event = stripe.makeEvent("customer.subscription.created", subscription);
    const payload = JSON.stringify(event);
    const eventsBefore = await getDb().stripeEvent.count();

    const wrongSecret = await attempt(webhookRequest(payload, stripe.sign(payload, { secret: "whsec_someoneelse0000" })));
    expect(wrongSecret).toEqual({ status: 400, body: { error: "Invalid signature." } });
    const missing = await attempt(webhookRequest(payload, null));
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("Missing Stripe-Signature header.");
    const tampered = await attempt(webhookRequest(payload.replace(customerId, "cus_tampered0000"), stripe.sign(payload)));
    expect(tampered.status).toBe(400);
    const stale = await attempt(webhookRequest(payload, stripe.sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 })));
    expect(stale.status).toBe(400);
    const garbage = await attempt(webhookRequest(payload, "t=1,v1=deadbeef"));
    expect(garbage.status).toBe(400);

    expect(await getDb().stripeEvent.count()).toBe(eventsBefore);
    expect(await billingOf(project.id)).toMatchObject({ plan: "FREE", stripeSubscriptionId: null });

    // The same payload correctly signed is applied: the refusals were about the signature.
    const good = await attempt(webhookRequest(payload, stripe.sign(payload)));
    expect(good.status).toBe(200);
    expect(await billingOf(project.id)).toMatchObject({ plan: "TEAM", stripeSubscriptionId: subscription.id });
  });

  it("a body over 1 MB is refused before verification", async () => {
    const payload = JSON.stringify({ id: "evt_big", type: "invoice.paid", padding: "x".repeat(1024 * 1024) });
    const { status } = await attempt(webhookRequest(payload, stripe.sign(payload)));
    expect(status).toBe(413);
    expect(await getDb().stripeEvent.count({ where: { id: "evt_big" } })).toBe(0);
  });

  it("an unknown event type is 200 and changes nothing", async () => {
    const { project, customerId } = await projectWithCustomer();
    const delivery = await stripe.deliver("customer.updated", { ...stripe.customers.get(customerId), metadata: { projectId: project.id } });
    expect(delivery!.status).toBe(200);
    expect(await getDb().stripeEvent.count({ where: { id: delivery!.event.id } })).toBe(0);
    expect(await billingOf(project.id)).toMatchObject({ plan: "FREE" });
  });

  it("a Checkout session naming project A with project B's customer moves billing for neither", async () => {
    const a = await projectWithCustomer("A");
    const b = await projectWithCustomer("B");
    const subscriptionOfB = stripe.createSubscription(b.customerId, "price_team_monthly_test", { projectId: b.project.id });
    const before = { a: await billingOf(a.project.id), b: await billingOf(b.project.id) };

    const forged: TStandinEvent = stripe.makeEvent("checkout.session.completed", {
      ...stripe.sessions.get(a.sessionId),
      _line_items: undefined,
      _subscription_metadata: undefined,
      status: "complete",
      customer: b.customerId,
      subscription: subscriptionOfB.id,
    });
    const delivery = await stripe.send(forged);
    expect(delivery!.status).toBe(200);
    expect(await billingOf(a.project.id)).toEqual(before.a);
    expect(await billingOf(b.project.id)).toEqual(before.b);

    // A subscription claiming project A in its metadata but held by B's customer: neither.
    const claimsA = stripe.createSubscription(b.customerId, "price_pro_monthly_test", { projectId: a.project.id });
    expect((await stripe.deliver("customer.subscription.created", claimsA))!.status).toBe(200);
    expect(await billingOf(a.project.id)).toEqual(before.a);
    expect(await billingOf(b.project.id)).toEqual(before.b);

    // A's own session with a subscription of B's customer: also nothing.
    const mixed = stripe.makeEvent("checkout.session.completed", { ...forged.data.object, customer: a.customerId });
    expect((await stripe.send(mixed))!.status).toBe(200);
    expect(await billingOf(a.project.id)).toEqual(before.a);
  });

  it("a handler failure is 500 and leaves the event unrecorded, so Stripe's retry applies it", async () => {
    const { project, customerId } = await projectWithCustomer();
    const subscription = stripe.createSubscription(customerId, "price_pro_monthly_test", { projectId: project.id });
    const event = stripe.makeEvent("customer.subscription.created", subscription);
    // Stripe's API answers 401 while the key is wrong on the stand-in's side: the read-back fails.
    const standin = stripe as unknown as { options: { secretKey: string } };
    const key = standin.options.secretKey;
    standin.options.secretKey = "sk_test_rotated_elsewhere";
    try {
      const failed = await stripe.send(event);
      expect(failed!.status).toBe(500);
    } finally {
      standin.options.secretKey = key;
    }
    expect(await getDb().stripeEvent.count({ where: { id: event.id } })).toBe(0);
    expect((await billingOf(project.id)).plan).toBe("FREE");
    const retried = await stripe.send(event);
    expect(retried!.status).toBe(200);
    expect((await billingOf(project.id)).plan).toBe("PRO");
  });

  it("never logs a payload or a signature", async () => {
    const { project, customerId } = await projectWithCustomer();
    const marker = `marker-${Date.now()}`;
    const subscription = stripe.createSubscription(customerId, "price_pro_monthly_test", { projectId: project.id, note: marker });
    const event = stripe.makeEvent("customer.subscription.created", subscription);
    const payload = JSON.stringify(event);
    const badSignature = stripe.sign(payload, { secret: "whsec_someoneelse0000" });
    const goodSignature = stripe.sign(payload);
    logLines.length = 0;
    await POST(webhookRequest(payload, badSignature));
    await POST(webhookRequest(payload, goodSignature));
    const unknown = JSON.stringify({ id: "evt_unknown_marker", type: "customer.updated", data: { object: { note: marker } } });
    await POST(webhookRequest(unknown, stripe.sign(unknown)));
    const logged = logLines.join("\n");
    expect(logLines.length).toBeGreaterThan(0);
    expect(logged).not.toContain(marker);
    expect(logged).not.toContain(customerId);
    expect(logged).not.toContain(badSignature.split("v1=")[1]!);
    expect(logged).not.toContain(goodSignature.split("v1=")[1]!);
    expect(logged).toContain(event.id);
  });
});

describe("owners are mailed when a grace period starts", () => {
  it("names the project and the day the paid limits end, and links to the billing page", async () => {
    const { project, owner } = await projectWithCustomer("Mail <Project>");
    const sent: TMailMessage[] = [];
    const mailer: Mailer = { send: async (message) => void sent.push(message), close: () => {} };
    const graceEndsAt = new Date("2026-12-13T10:00:00Z");
    expect(await notifyOwnersOfPaymentFailure(project.id, graceEndsAt, mailer)).toBe(1);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.to).toBe(owner.email);
    expect(sent[0]!.text).toContain('"Mail <Project>"');
    expect(sent[0]!.html).toContain("Mail &#60;Project&#62;");
    expect(sent[0]!.text).toContain("2026-12-13");
    expect(sent[0]!.text).toContain(`${TEST_APP_URL}/projects/${project.id}/billing`);
  });
});

describe("retention and billing off", () => {
  it("prunes StripeEvent rows older than 90 days only", async () => {
    const now = new Date();
    await getDb().stripeEvent.createMany({
      data: [
        { id: "evt_old_prune", type: "invoice.paid", receivedAt: new Date(now.getTime() - 91 * DAY_MS) },
        { id: "evt_recent_prune", type: "invoice.paid", receivedAt: new Date(now.getTime() - 89 * DAY_MS) },
      ],
    });
    expect(await pruneStripeEvents(now)).toBe(1);
    expect((await storedEvents()).map((e) => e.id)).toContain("evt_recent_prune");
    expect((await storedEvents()).map((e) => e.id)).not.toContain("evt_old_prune");
  });

  it("answers 404 with billing off, whatever the signature", async () => {
    const restore = withBillingOff();
    try {
      vi.resetModules();
      const { POST: offPost } = await import("@/app/api/stripe/webhook/route");
      const payload = JSON.stringify(stripe.makeEvent("invoice.paid", { id: "in_x", object: "invoice" }));
      const response = await offPost(webhookRequest(payload, stripe.sign(payload)));
      expect(response.status).toBe(404);
    } finally {
      restore();
      vi.resetModules();
    }
  });
});
