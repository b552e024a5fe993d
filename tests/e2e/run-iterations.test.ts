// A loop's run on the run page, in headless Chromium: the loop step says how many items
// it had and how many failed; its body step lists its runs per item, the first ten and
// the failed one until "Show all"; an item opens from the keyboard and shows its record.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { startAppServer, type AppServer } from "../support/app-server";
import { setupBrowser } from "./support/accounts";
import { callAction, createProjectOverHttp, createPublishedFlowOverHttp, dataOf, signUpOverHttp, TEST_PASSWORD } from "./support/http-flows";

const getBrowser = setupBrowser();
let app: AppServer;
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-e2e-iterations-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  app = await startAppServer({ dataDir, env: { TRUST_PROXY: "true" } });
  cleanups.push(() => app.stop());
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const ui = { x: 0, y: 0 };
const DOCUMENT: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui },
    { id: "each", type: "step.loop", name: "Each number", config: { items: "{{trigger.numbers}}", maxItems: 100, concurrency: 1 }, ui },
    { id: "double", type: "step.transform", name: "Double it", config: { expression: "$number(loop.item) * 2", onError: "continue" }, ui: { x: 0, y: 200 } },
    { id: "total", type: "step.transform", name: "Total", config: { expression: "steps.each.output.count" }, ui: { x: 200, y: 200 } },
  ],
  edges: [
    { id: "e1", source: "trigger", target: "each" },
    { id: "e2", source: "each", target: "double", label: "each" },
    { id: "e3", source: "each", target: "total", label: "done" },
  ],
} as TFlowDocument;

describe("loop iterations on the run page", () => {
  it("lists a body step's item runs, collapsed to the first ten and the failed one, and opens one from the keyboard", async () => {
    const { client, email } = await signUpOverHttp(app.url, "198.18.41.1", "looper");
    const projectId = await createProjectOverHttp(client);
    const flowId = await createPublishedFlowOverHttp(client, projectId, DOCUMENT);
    // Twelve items; the twelfth is not a number, so its run fails (handled: On error continue).
    const numbers = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "twelve"];
    const { runId } = dataOf<{ runId: string }>(
      await callAction(
        client,
        "app/projects/[projectId]/flows/actions.ts#runNowAction",
        { flowId, payload: JSON.stringify({ numbers }) },
        { projectId, flowId },
      ),
    );
    await expect
      .poll(async () => ((await client.json(`/api/runs/${runId}`)).body as { status: string }).status, { timeout: 30_000, interval: 200 })
      .toBe("SUCCEEDED");

    const context = await getBrowser().newContext({ viewport: { width: 1024, height: 800 }, extraHTTPHeaders: { "x-forwarded-for": "198.18.41.7" } });
    cleanups.push(() => context.close());
    const page = await context.newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
    await page.goto(`${app.url}/projects/${projectId}/runs/${runId}`);

    await expect.poll(() => page.getByTestId("timeline-loop-summary").textContent()).toContain("12 items, 1 failed");

    const step = page.locator('[data-testid="step-record"][data-node-id="double"]');
    // The step opens from the keyboard: focus its summary, press Enter.
    await step.locator("summary").first().focus();
    await page.keyboard.press("Enter");
    const iterations = step.getByTestId("iteration-record");
    await expect.poll(() => iterations.count()).toBe(11);
    expect(await iterations.evaluateAll((rows) => rows.map((row) => row.getAttribute("data-iteration-id")))).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `double@${i}`),
      "double@11",
    ]);
    // The failed (handled) item says so.
    expect(await step.locator('[data-iteration-id="double@11"] summary').textContent()).toContain("Item 12");
    expect(await step.locator('[data-iteration-id="double@11"] summary').textContent()).toContain("(handled)");

    const showAll = step.getByRole("button", { name: "Show all 12" });
    await showAll.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => iterations.count()).toBe(12);
    expect(await step.getByRole("button", { name: /Show the first 10/ }).getAttribute("aria-expanded")).toBe("true");

    // Item 3 opens from the keyboard and shows its input and output (3 * 2).
    const third = step.locator('[data-iteration-id="double@2"]');
    expect(await third.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(false);
    await third.locator("summary").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => third.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(true);
    expect(await third.locator("summary").textContent()).toContain("Item 3");
    await expect.poll(async () => (await third.textContent()) ?? "").toContain("Output");
    expect(await third.getByLabel("Output of Double it, Item 3").textContent()).toContain("6");
  });
});
