// A webhook that works the first time, in Chromium: the flow page's tabs by keyboard
// (?tab= follows), publishing a flow that is off offers "Turn on now", the address is not
// in the page until asked, is shown and copied, regenerated behind a warning (the old
// address refused at once), and "Listen for a test event" turns the next call into the
// trigger's sample without starting a run while the flow is off.
import path from "node:path";
import os from "node:os";
import { mkdirSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { HttpClient } from "./support/http-client";
import { callAction, dataOf, signUpOverHttp } from "./support/http-flows";

const baseUrl = inject("baseUrl");
const PASSWORD = "beacon saffron orbit 19 ladder";
const browser = setupBrowser();
const SHOTS = process.env.VAULTFLOW_E2E_SHOTS ?? path.join(os.tmpdir(), "vaultflow-e2e-shots");

const selectedTab = (page: Page) => page.locator('[role="tab"][aria-selected="true"]').textContent();
const tabParam = (page: Page) => new URL(page.url()).searchParams.get("tab");
const onBaseUrl = (address: string) => `${baseUrl}${new URL(address).pathname}`;

function post(address: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(onBaseUrl(address), { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

describe("a webhook that works the first time", () => {
  it("tabs by keyboard, publish then Turn on now, show and copy the address, regenerate, listen for a test event", async () => {
    const stamp = randomUUID().slice(0, 8);
    const email = `first-hook-${stamp}@example.com`;
    const context = await browser().newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
    const page = await context.newPage();
    await signUpThroughUi(page, baseUrl, { name: "Wren Webhook", email, password: PASSWORD });
    const client = new HttpClient(baseUrl, "198.51.100.181");
    await client.signIn(email, PASSWORD);
    const projectId = dataOf<{ id: string }>(await callAction(client, "app/projects/actions.ts#createProjectAction", { name: `Hooks ${stamp}` })).id;
    const actions = "app/projects/[projectId]/flows/actions.ts#";
    const flowId = dataOf<{ id: string }>(
      await callAction(client, `${actions}createFlowAction`, { projectId, name: "Orders in", description: "" }, { projectId }),
    ).id;
    const node = (id: string, type: string, name: string, config: Record<string, unknown>, y: number) => ({ id, type, name, config, ui: { x: 0, y } });
    const operations = [
      { op: "remove_node", nodeId: "trigger" },
      { op: "add_node", node: node("hook", "trigger.webhook", "Order placed", {}, 0) },
      { op: "add_node", node: node("shape", "step.transform", "Shape", { expression: "{ 'order': trigger.body.order }" }, 120) },
      { op: "connect", edge: { id: "e1", source: "hook", target: "shape" } },
    ];
    dataOf(await callAction(client, `${actions}saveFlowDraftAction`, { flowId, revision: 1, operations }, { projectId, flowId }));
    const flowUrl = `${baseUrl}/projects/${projectId}/flows/${flowId}`;

    // Tabs: a tablist driven by the arrow keys, Home and End; the address follows.
    await page.goto(flowUrl);
    expect(await selectedTab(page)).toBe("Overview");
    await page.getByRole("tab", { name: "Overview" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await selectedTab(page)).toBe("Versions");
    await expect.poll(() => tabParam(page)).toBe("versions");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Versions");
    await page.getByRole("heading", { name: "History" }).waitFor();
    await page.keyboard.press("End");
    expect(await selectedTab(page)).toBe("Settings");
    await page.keyboard.press("ArrowRight");
    expect(await selectedTab(page)).toBe("Overview");
    await expect.poll(() => tabParam(page)).toBe(null);
    await page.keyboard.press("ArrowLeft");
    expect(await selectedTab(page)).toBe("Settings");
    await page.keyboard.press("Home");
    expect(await selectedTab(page)).toBe("Overview");
    // Tab leaves the tab list for the panel; hidden panels take no focus.
    expect(await page.locator('[role="tabpanel"]:not([hidden])').count()).toBe(1);
    await page.goto(`${flowUrl}?tab=trigger`);
    expect(await selectedTab(page)).toBe("Trigger");

    // The address is made here; the page HTML never carries it, before or after.
    await page.getByRole("button", { name: "Make the webhook address" }).click();
    const first = (await page.getByTestId("shown-once").textContent())!;
    expect(first).toMatch(/\/api\/webhooks\/[A-Za-z0-9_-]{43}$/);
    const firstToken = first.split("/").pop()!;
    await page.goto(`${flowUrl}?tab=trigger`);
    expect(await page.content()).not.toContain(firstToken);
    const html = await (await client.fetch(`/projects/${projectId}/flows/${flowId}?tab=trigger`)).text();
    expect(html).toContain(firstToken.slice(-4));
    expect(html).not.toContain(firstToken);

    // Publish from Overview: the flow is off, so the page offers to turn it on, right there.
    await page.getByRole("tab", { name: "Overview" }).click();
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Published version 1.").waitFor();
    const offer = page.getByTestId("turn-on-offer");
    await offer.getByText("Published but off: webhook calls and schedules do not start runs until you turn it on.").waitFor();
    await page.getByTestId("published-but-off").waitFor();
    expect((await (await post(first, { order: "A-0" })).json()) as unknown).toEqual({ error: "Not found." });
    await offer.getByRole("button", { name: "Turn on now" }).click();
    await expect.poll(() => page.getByTestId("flow-active").textContent()).toBe("Active");
    expect(await page.getByTestId("published-but-off").count()).toBe(0);
    expect(await page.getByRole("switch").getAttribute("aria-checked")).toBe("true");
    const live = await post(first, { order: "A-1" });
    expect(live.status).toBe(202);
    expect(((await live.json()) as { runId?: string }).runId).toEqual(expect.any(String));

    // Show the address again and copy it.
    await page.getByRole("tab", { name: "Trigger" }).click();
    await page.getByRole("button", { name: "Show address" }).click();
    expect(await page.getByTestId("shown-once").textContent()).toBe(first);
    await page.getByRole("button", { name: "Copy" }).click();
    await page.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);

    // Someone outside the project asking for it: not found.
    const { client: stranger } = await signUpOverHttp(baseUrl, "198.51.100.182", "stranger");
    const refused = await callAction(
      stranger,
      "app/projects/[projectId]/flows/[flowId]/webhook-actions.ts#showWebhookAddressAction",
      { flowId },
      { projectId, flowId },
    );
    expect(refused.result).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });

    // Regenerate: a warning first; then the old address is refused at once.
    await page.getByRole("button", { name: "Regenerate address" }).click();
    const warning = page.getByRole("alertdialog");
    await warning.getByText("The old address stops working at once").waitFor();
    await warning.getByRole("button", { name: "Regenerate: the old address stops now" }).click();
    await expect.poll(() => page.getByTestId("shown-once").textContent()).not.toBe(first);
    const second = (await page.getByTestId("shown-once").textContent())!;
    expect((await post(first, { order: "A-2" })).status).toBe(404);

    // Off again, then listen: the next call becomes the sample and starts no run.
    await page.getByRole("tab", { name: "Overview" }).click();
    await page.getByRole("switch").click();
    await expect.poll(() => page.getByTestId("flow-active").textContent()).toBe("Inactive");
    await page.getByTestId("published-but-off").waitFor();
    const runsBefore = await page.getByTestId("run-row").count();
    await page.getByRole("tab", { name: "Trigger" }).click();
    await page.getByRole("button", { name: "Listen for a test event" }).click();
    await page
      .getByTestId("listen-countdown")
      .getByText(/Listening for a call… [12]:\d\d left/)
      .waitFor();
    const test = await post(second, { order: "T-42", lines: [{ sku: "kettle" }] }, { "x-shop-topic": "orders/create", cookie: "session=not-for-the-flow" });
    expect(test.status).toBe(202);
    expect(await test.json()).toEqual({ message: "Test event received." });
    const sample = page.getByTestId("listened-sample");
    await sample.waitFor({ timeout: 15_000 });
    const shown = JSON.parse((await sample.textContent())!) as { method: string; headers: Record<string, string>; body: unknown };
    expect(shown).toMatchObject({ method: "POST", body: { order: "T-42", lines: [{ sku: "kettle" }] } });
    expect(shown.headers["x-shop-topic"]).toBe("orders/create");
    expect(shown.headers.cookie).toBeUndefined();
    await page.getByRole("button", { name: "Listen again" }).waitFor();
    // One event only, and no run: the address is unknown again while the flow is off.
    expect((await post(second, { order: "T-43" })).status).toBe(404);
    await page.goto(flowUrl);
    expect(await page.getByTestId("run-row").count()).toBe(runsBefore);

    // Screenshots of the tabs, wide and at phone width (no sideways scroll).
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/flow-tabs-overview-1440.png`, fullPage: true });
    await page.goto(`${flowUrl}?tab=trigger`);
    await page.screenshot({ path: `${SHOTS}/flow-tabs-trigger-1440.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(flowUrl);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await page.screenshot({ path: `${SHOTS}/flow-tabs-overview-390.png` });
    await page.getByRole("tab", { name: "Trigger" }).click();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
    await page.screenshot({ path: `${SHOTS}/flow-tabs-trigger-390.png`, fullPage: true });
    await context.close();
  }, 180_000);
});
