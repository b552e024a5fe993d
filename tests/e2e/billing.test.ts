// Billing in headless Chromium, end to end: Vaultflow's own server with billing on,
// talking to the Stripe-API stand-in on loopback (hosted Checkout and portal pages,
// signed webhooks); and the shared server, which has billing off.
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import type { AppServer } from "../support/app-server";
import { StripeStandin } from "../support/stripe-standin";
import { setupBrowser, signInThroughUi } from "./support/accounts";
import { axeViolations } from "./support/editor-page";
import type { HttpClient } from "./support/http-client";
import {
  addMemberOverHttp,
  callAction,
  createProjectOverHttp,
  createPublishedFlowOverHttp,
  dataOf,
  runNowOverHttp,
  signUpOverHttp,
  TEST_PASSWORD,
  waitForRunEnd,
} from "./support/http-flows";
import { setupCleanups, startOwnServer } from "./support/own-server";

const SHOTS = process.env.VAULTFLOW_E2E_SHOTS ?? path.join(os.tmpdir(), "vaultflow-e2e-shots");
const billingActions = "app/projects/[projectId]/billing/actions.ts#";
const PRICES = [
  { id: "price_pro_month", product: "Pro", unit_amount: 2900, currency: "usd", interval: "month" as const },
  { id: "price_pro_year", product: "Pro", unit_amount: 29000, currency: "usd", interval: "year" as const },
  { id: "price_team_month", product: "Team", unit_amount: 9900, currency: "usd", interval: "month" as const },
  { id: "price_team_year", product: "Team", unit_amount: 99000, currency: "usd", interval: "year" as const },
];

const browser = setupBrowser();
const cleanups = setupCleanups();
let stripe: StripeStandin;
let app: AppServer;
let ipCounter = 0;
const nextIp = () => `198.51.100.${(ipCounter += 1)}`;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // The app's address is known only once it runs, and it needs the stand-in's address to
  // start: deliveries go through a handler that forwards them to the app, signed as sent.
  stripe = await StripeStandin.start({
    secretKey: "sk_test_standin_billing_e2e",
    webhookSecret: "whsec_standin_billing_e2e",
    prices: PRICES,
    webhookHandler: async (request) => {
      const response = await fetch(`${app.url}/api/stripe/webhook`, { method: "POST", headers: request.headers, body: await request.text() });
      return new Response(await response.text(), { status: response.status });
    },
  });
  cleanups.add(() => stripe.stop());
  app = await startOwnServer(cleanups, "vaultflow-e2e-billing-", {
    // STRIPE_API_URL is refused in production; the build is the production build all the same.
    NODE_ENV: "test",
    TRUST_PROXY: "true",
    STRIPE_SECRET_KEY: "sk_test_standin_billing_e2e",
    STRIPE_WEBHOOK_SECRET: "whsec_standin_billing_e2e",
    STRIPE_PRICE_PRO_MONTHLY: "price_pro_month",
    STRIPE_PRICE_PRO_YEARLY: "price_pro_year",
    STRIPE_PRICE_TEAM_MONTHLY: "price_team_month",
    STRIPE_PRICE_TEAM_YEARLY: "price_team_year",
    STRIPE_API_URL: stripe.url,
  });
});

async function newPage(width: number, height: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser().newContext({ viewport: { width, height } });
  cleanups.add(() => context.close());
  return { context, page: await context.newPage() };
}

async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage });
}

/** An editor of the owner's project, through an invitation link accepted over HTTP. */
async function addEditor(owner: HttpClient, baseUrl: string, projectId: string): Promise<{ client: HttpClient; email: string }> {
  const editor = await signUpOverHttp(baseUrl, nextIp(), "editor");
  await addMemberOverHttp(owner, projectId, editor, "EDITOR");
  return editor;
}

const ONE_STEP_FLOW: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Run manually", config: {}, ui: { x: 0, y: 0 } },
    { id: "shape", type: "step.transform", name: "Shape", config: { expression: '{"n": 1}' }, ui: { x: 0, y: 100 } },
  ],
  edges: [{ id: "e0", source: "trigger", target: "shape" }],
};

/** A published one-step flow run once, so the period has step executions to show. */
async function runOneFlow(owner: HttpClient, projectId: string): Promise<void> {
  const flowId = await createPublishedFlowOverHttp(owner, projectId, ONE_STEP_FLOW, { name: "Count me" });
  const run = await waitForRunEnd(owner, await runNowOverHttp(owner, projectId, flowId), 15_000);
  if (run.status !== "SUCCEEDED") throw new Error(`the run ended ${run.status}, not SUCCEEDED`);
}

describe("billing on (Stripe stand-in)", () => {
  let owner: { client: HttpClient; email: string };
  let editor: { client: HttpClient; email: string };
  let projectId: string;

  beforeAll(async () => {
    owner = await signUpOverHttp(app.url, nextIp(), "owner");
    projectId = await createProjectOverHttp(owner.client, "Billing e2e");
    editor = await addEditor(owner.client, app.url, projectId);
    await runOneFlow(owner.client, projectId);
  });

  it("the owner upgrades to Pro through Checkout, sees it activate after the webhook, then cancels in the portal", async () => {
    const { page } = await newPage(1440, 900);
    await signInThroughUi(page, app.url, owner.email, TEST_PASSWORD);

    // The landing page links the pricing page; it shows Stripe's amounts.
    await page.goto(app.url);
    await page.getByRole("link", { name: "Pricing", exact: true }).click();
    await page.waitForURL(`${app.url}/pricing`);
    await expect.poll(() => page.getByTestId("pricing-PRO").textContent()).toContain("$29 / month");
    expect(await page.getByTestId("pricing-TEAM").textContent()).toContain("$990 / year");
    await shot(page, "pricing-1440");

    // Project → Billing: the free plan, usage against its limits.
    await page.goto(`${app.url}/projects/${projectId}`);
    await page.getByRole("link", { name: "Billing", exact: true }).click();
    await page.waitForURL(`${app.url}/projects/${projectId}/billing`);
    expect(await page.getByTestId("current-plan-name").textContent()).toBe("Free");
    const steps = page.getByTestId("usage-steps");
    expect(await steps.textContent()).toMatch(/Step executions this period[1-9]\d* of 1,000/);
    expect(await page.getByTestId("usage-members").textContent()).toContain("2 of 2");
    expect(await page.getByTestId("usage-flows").textContent()).toContain("of 5");
    await page.getByTestId("daily-chart").waitFor();
    expect(await page.getByTestId("plan-price-PRO").textContent()).toBe("$29 / month");
    await page.getByText("Yearly", { exact: true }).click();
    expect(await page.getByTestId("plan-price-PRO").textContent()).toBe("$290 / year");
    await page.getByText("Monthly", { exact: true }).click();
    // No customer yet: nothing to manage.
    expect(await page.getByRole("button", { name: "Manage billing" }).count()).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "billing-free-1440");

    // Upgrade: the button shows progress, then the browser is on Stripe's Checkout page.
    // Deliveries are held so the page is seen before Stripe's news arrives.
    stripe.hold();
    await page.getByRole("button", { name: "Upgrade to Pro" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stripe.url}/checkout/`));
    expect(await page.getByTestId("checkout-amount").textContent()).toBeTruthy();
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${app.url}/projects/${projectId}/billing`) && url.searchParams.get("checkout") === "success");

    // Back in Vaultflow with ?checkout=success, but no webhook yet: still Free, "Activating…".
    await page.getByText("Activating your plan…", { exact: false }).waitFor();
    expect(await page.getByTestId("current-plan-name").textContent()).toBe("Free");
    await shot(page, "billing-activating-1440");
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await page.getByTestId("current-plan-name").textContent()).toBe("Free");

    const deliveries = await stripe.release();
    expect(deliveries.length).toBeGreaterThan(0);
    expect(deliveries.map((d) => d.status)).toEqual(deliveries.map(() => 200));
    await page.getByText("Your plan is active", { exact: false }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId("current-plan-name").textContent()).toBe("Pro");
    expect(await page.getByTestId("current-plan-interval").textContent()).toBe("Billed monthly");
    expect(await page.getByTestId("current-plan-renewal").textContent()).toMatch(/^Renews on \d{1,2} [A-Z][a-z]{2} \d{4}$/);
    expect(await page.getByTestId("usage-steps").textContent()).toContain("of 50,000");
    await shot(page, "billing-pro-1440");

    // Manage billing: the stand-in's portal, cancel, back to Vaultflow.
    await page.getByRole("button", { name: "Manage billing" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stripe.url}/portal/`));
    await page.getByRole("button", { name: "Cancel plan" }).click();
    await page.getByRole("link", { name: "Return to Vaultflow" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${app.url}/projects/${projectId}/billing`));
    await expect
      .poll(
        async () => {
          await page.reload();
          return `${await page.getByTestId("current-plan-name").textContent()} | ${await page.getByTestId("current-plan-renewal").textContent()}`;
        },
        { timeout: 15_000, interval: 1000 },
      )
      .toMatch(/^(Free \| .*|Pro \| Cancels on \d{1,2} [A-Z][a-z]{2} \d{4})$/);
    await shot(page, "billing-cancelled-1440");
  });

  it("the billing page works at phone width, keyboard first, with no axe violations", async () => {
    const { page } = await newPage(390, 844);
    await signInThroughUi(page, app.url, owner.email, TEST_PASSWORD);
    await page.goto(`${app.url}/projects/${projectId}/billing`);
    await page.getByTestId("current-plan").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    // The interval toggle and the plan buttons are reachable and operable from the keyboard.
    const yearly = page.getByLabel("Yearly");
    await yearly.focus();
    await page.keyboard.press("Space");
    expect(await yearly.isChecked()).toBe(true);
    await shot(page, "billing-390");
  });

  it("an editor sees the plan and usage but no billing actions, and the actions refuse them", async () => {
    const { page } = await newPage(1440, 900);
    await signInThroughUi(page, app.url, editor.email, TEST_PASSWORD);
    await page.goto(`${app.url}/projects/${projectId}`);
    await page.getByRole("link", { name: "Billing", exact: true }).click();
    await page.getByTestId("current-plan-name").waitFor();
    await page.getByTestId("usage-steps").waitFor();
    expect(await page.getByRole("button", { name: /Upgrade|Change to|Manage billing/ }).count()).toBe(0);
    expect(await page.getByTestId("billing-owner-note").textContent()).toContain("Only the project's owners");
    await shot(page, "billing-editor-1440");

    const checkout = await callAction(editor.client, `${billingActions}startCheckoutAction`, { projectId, plan: "TEAM", interval: "year" }, { projectId });
    const portal = await callAction(editor.client, `${billingActions}openBillingPortalAction`, { projectId }, { projectId });
    expect([checkout.result.ok, portal.result.ok]).toEqual([false, false]);
    expect(checkout.result.ok ? null : checkout.result.error.code).toBe("NOT_FOUND");
    expect(portal.result.ok ? null : portal.result.error.code).toBe("NOT_FOUND");
    // The owner's same call is allowed: the refusal is about the role, not the input.
    const ownerCheckout = await callAction(owner.client, `${billingActions}startCheckoutAction`, { projectId, plan: "TEAM", interval: "year" }, { projectId });
    expect(ownerCheckout.result.ok ? "ok" : ownerCheckout.result.error.code).not.toBe("NOT_FOUND");
  });

  it("an unknown field in the checkout input is refused (the price comes from the plan, never the client)", async () => {
    const answer = await callAction(
      owner.client,
      `${billingActions}startCheckoutAction`,
      { projectId, plan: "PRO", interval: "month", price: "price_team_year" },
      { projectId },
    );
    expect(answer.result.ok ? "ok" : answer.result.error.code).toBe("BAD_INPUT");
  });
});

describe("runs held by the Free plan's step limit", () => {
  it("a held run is explained on the project, runs and run pages, and upgrading releases it", async () => {
    const owner = await signUpOverHttp(app.url, nextIp(), "holder");
    const projectId = await createProjectOverHttp(owner.client, "Held e2e");
    // 500 steps a run: two runs use the Free plan's 1,000 step executions, the next one waits.
    const flows = "app/projects/[projectId]/flows/actions.ts#";
    const { id: flowId } = dataOf<{ id: string }>(
      await callAction(owner.client, `${flows}createFlowAction`, { projectId, name: "Big flow", description: "" }, { projectId }),
    );
    const params = { projectId, flowId };
    const ids = Array.from({ length: 500 }, (_, i) => `s${i}`);
    const operations = ids.flatMap((id, i) => [
      { op: "add_node", node: { id, type: "step.transform", name: `Step ${i}`, config: { expression: "1" }, ui: { x: 0, y: 100 * (i + 1) } } },
      { op: "connect", edge: { id: `e${i}`, source: i === 0 ? "trigger" : ids[i - 1]!, target: id } },
    ]);
    dataOf(await callAction(owner.client, `${flows}saveFlowDraftAction`, { flowId, revision: 1, operations }, params));
    dataOf(await callAction(owner.client, `${flows}publishFlowAction`, { flowId, note: "" }, params));
    const status = async (runId: string) => ((await owner.client.json(`/api/runs/${runId}`)).body as { status: string }).status;
    let heldRunId: string | undefined;
    for (let attempt = 0; attempt < 4 && !heldRunId; attempt += 1) {
      const { runId } = dataOf<{ runId: string }>(await callAction(owner.client, `${flows}runNowAction`, { flowId, payload: "{}" }, params));
      for (let i = 0; i < 1200; i += 1) {
        const now = await status(runId);
        if (now === "HELD") heldRunId = runId;
        if (now === "HELD" || now === "SUCCEEDED" || now === "FAILED") break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(["HELD", "SUCCEEDED"]).toContain(await status(runId));
    }
    expect(heldRunId).toBeDefined();

    const { page } = await newPage(1440, 900);
    await signInThroughUi(page, app.url, owner.email, TEST_PASSWORD);
    await page.goto(`${app.url}/projects/${projectId}`);
    const banner = page.getByTestId("held-runs-banner");
    expect(await banner.textContent()).toContain("1 run is held: this project used its 1,000 step executions for this period. Upgrade to release them.");
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "project-held-banner-1440");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, "project-held-banner-390");
    await page.setViewportSize({ width: 1440, height: 900 });

    // The runs list filters by the held state; the run page says why it waits.
    await page.goto(`${app.url}/projects/${projectId}/runs?status=HELD`);
    await page.getByTestId("run-status").filter({ hasText: "Held: plan limit" }).first().waitFor();
    expect(await page.getByLabel("Status", { exact: true }).inputValue()).toBe("HELD");
    await page.goto(`${app.url}/projects/${projectId}/runs/${heldRunId}`);
    expect(await page.getByTestId("held-run-notice").textContent()).toContain("This run is held by the plan's limit.");
    expect(await page.getByTestId("run-progress").textContent()).toContain("Held: waiting until the plan allows more step executions.");
    // The 500-step timeline makes the page very long: the screen as seen is enough.
    await shot(page, "run-held-1440", false);

    // Upgrading through Checkout releases it: Stripe's webhook raises the limit, the run starts.
    await page.goto(`${app.url}/projects/${projectId}`);
    await banner.getByRole("link", { name: "Upgrade to release them." }).click();
    await page.waitForURL(`${app.url}/projects/${projectId}/billing`);
    expect(await page.getByTestId("held-runs-banner").textContent()).toContain("Upgrade below to release them.");
    expect(await page.getByTestId("usage-steps").textContent()).toContain("Limit reached");
    await page.getByRole("button", { name: "Upgrade to Pro" }).click();
    await page.waitForURL((url) => url.href.startsWith(`${stripe.url}/checkout/`));
    await page.getByRole("button", { name: "Subscribe" }).click();
    await page.getByText("Your plan is active", { exact: false }).waitFor({ timeout: 15_000 });
    await expect.poll(() => status(heldRunId!), { timeout: 120_000, interval: 500 }).toBe("SUCCEEDED");

    // A renewal fails: the paid limits stay for the grace period, and every page says so.
    const subscription = [...stripe.subscriptions.values()].find((s) => s.metadata?.projectId === projectId);
    expect(subscription).toBeDefined();
    const failed = await stripe.failInvoice(subscription!.customer);
    expect(failed?.status).toBe(200);
    await page.goto(`${app.url}/projects/${projectId}`);
    expect(await page.getByTestId("grace-banner").textContent()).toMatch(
      /^Payment failed on \d{1,2} [A-Z][a-z]{2} \d{4}; paid limits stay until \d{1,2} [A-Z][a-z]{2} \d{4}\. Update the payment method\.$/,
    );
    await page.goto(`${app.url}/projects/${projectId}/billing`);
    expect(await page.getByTestId("grace-notice").textContent()).toMatch(/^Payment failed on .+; paid limits stay until .+; update the payment method\.$/);
    expect(await page.getByTestId("current-plan-name").textContent()).toBe("Pro");
    expect(await page.getByTestId("current-plan-status").textContent()).toBe("Payment overdue");
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "billing-grace-1440");
  }, 300_000);

  it("a new project's billing page shows its empty states at phone width", async () => {
    const { page } = await newPage(390, 844);
    const owner = await signUpOverHttp(app.url, nextIp(), "phone");
    const projectId = await createProjectOverHttp(owner.client, "Phone e2e");
    await signInThroughUi(page, app.url, owner.email, TEST_PASSWORD);
    await page.goto(`${app.url}/projects/${projectId}/billing`);
    // A new project: empty states instead of a chart.
    await page.getByTestId("daily-empty").waitFor();
    expect(await page.getByTestId("usage-steps").textContent()).toContain("0 of 1,000");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, "billing-empty-390");
  });
});

describe("billing off (the shared server)", () => {
  const baseUrl = inject("baseUrl");

  it("has no billing page, no pricing page, no Billing link, and the billing actions answer not found", async () => {
    const owner = await signUpOverHttp(baseUrl, nextIp(), "selfhost");
    const projectId = await createProjectOverHttp(owner.client, `Self-hosted ${randomUUID().slice(0, 6)}`);
    const billing = await owner.client.fetch(`/projects/${projectId}/billing`);
    expect(billing.status).toBe(404);
    await billing.arrayBuffer();
    const pricing = await owner.client.fetch("/pricing");
    expect(pricing.status).toBe(404);
    await pricing.arrayBuffer();
    const checkout = await callAction(owner.client, `${billingActions}startCheckoutAction`, { projectId, plan: "PRO", interval: "month" }, { projectId });
    expect(checkout.result.ok ? "ok" : checkout.result.error.code).toBe("NOT_FOUND");
    const portal = await callAction(owner.client, `${billingActions}openBillingPortalAction`, { projectId }, { projectId });
    expect(portal.result.ok ? "ok" : portal.result.error.code).toBe("NOT_FOUND");

    const { page } = await newPage(1440, 900);
    await signInThroughUi(page, baseUrl, owner.email, TEST_PASSWORD);
    await page.goto(`${baseUrl}/projects/${projectId}`);
    await page.getByTestId("project-name").waitFor();
    expect(await page.getByRole("link", { name: "Members" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Billing", exact: true }).count()).toBe(0);
    expect(await page.getByTestId("billing-banner").count()).toBe(0);
    await page.goto(baseUrl);
    expect(await page.getByRole("link", { name: "Pricing", exact: true }).count()).toBe(0);
  });
});
