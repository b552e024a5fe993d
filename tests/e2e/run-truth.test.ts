// Run pages tell the truth, in Chromium: cancelling a run asleep in a Delay shows that
// step as Cancelled (never "Running" on an ended run), and a retry from the failed step
// shows the steps it took from the earlier run as Reused, with a link to that run's
// step, while the two runs link to each other.
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { HttpClient } from "./support/http-client";
import { callAction, createProjectOverHttp, createPublishedFlowOverHttp, dataOf } from "./support/http-flows";

const baseUrl = inject("baseUrl");
const PASSWORD = "copper harbour violet 31 kite";
const SHOTS = process.env.VAULTFLOW_E2E_SHOTS ?? path.join(os.tmpdir(), "vaultflow-e2e-shots");
const browser = setupBrowser();

const node = (id: string, type: string, name: string, config: Record<string, unknown>) => ({ id, type, name, config, ui: { x: 0, y: 0 } });
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });

/** trigger → prepare → wait 1 hour → send */
const sleepingFlow: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    node("trigger", "trigger.manual", "Start", {}),
    node("prepare", "step.transform", "Prepare", { expression: '{ "order": trigger.order }' }),
    node("wait", "step.delay", "Wait an hour", { mode: "duration", amount: 1, unit: "hours" }),
    node("send", "step.transform", "Send", { expression: '"sent"' }),
  ],
  edges: [edge("trigger", "prepare"), edge("prepare", "wait"), edge("wait", "send")],
};

/** trigger → prepare → price → send, where send fails until `opensAt` (ms since the epoch), then succeeds. */
const failingFlow = (opensAt: number): TFlowDocument => ({
  schemaVersion: 1,
  nodes: [
    node("trigger", "trigger.manual", "Start", {}),
    node("prepare", "step.transform", "Prepare", { expression: '{ "order": trigger.order }' }),
    node("price", "step.transform", "Price", { expression: "{ 'total': 42 }" }),
    node("send", "step.transform", "Send", { expression: `$millis() < ${opensAt} ? $error("The mail service is closed.") : "sent"` }),
  ],
  edges: [edge("trigger", "prepare"), edge("prepare", "price"), edge("price", "send")],
});

async function signedIn(label: string): Promise<{ page: Page; client: HttpClient; projectId: string }> {
  const email = `${label}-${Date.now()}@example.com`;
  const context = await browser().newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signUpThroughUi(page, baseUrl, { name: "Rita Runs", email, password: PASSWORD });
  const client = new HttpClient(baseUrl, "198.51.100.171");
  await client.signIn(email, PASSWORD);
  return { page, client, projectId: await createProjectOverHttp(client) };
}

async function runNow(client: HttpClient, projectId: string, flowId: string): Promise<string> {
  const answer = await callAction(
    client,
    "app/projects/[projectId]/flows/actions.ts#runNowAction",
    { flowId, payload: '{ "order": 7 }' },
    { projectId, flowId },
  );
  return dataOf<{ runId: string }>(answer).runId;
}

const timelineStep = (page: Page, nodeId: string) => page.locator(`[data-testid="timeline-step"][data-node-id="${nodeId}"]`);
const statuses = (page: Page) =>
  page.getByTestId("timeline-step").evaluateAll((items) => items.map((item) => [item.getAttribute("data-node-id"), item.getAttribute("data-status")]));

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: false });
}

describe("run pages tell the truth", () => {
  it("a run cancelled while it sleeps in a Delay shows that step as Cancelled", async () => {
    const { page, client, projectId } = await signedIn("truth-cancel");
    const flowId = await createPublishedFlowOverHttp(client, projectId, sleepingFlow, { name: "Nightly order mail" });
    const runId = await runNow(client, projectId, flowId);
    const runUrl = `${baseUrl}/projects/${projectId}/runs/${runId}`;

    await page.goto(runUrl);
    await page.locator('[data-testid="timeline-step"][data-node-id="wait"][data-status="running"]').waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "Cancel run" }).click();
    await page
      .getByTestId("run-status")
      .filter({ hasText: /^Cancelled$/ })
      .waitFor({ timeout: 10_000 });
    await timelineStep(page, "wait")
      .getByTestId("timeline-step-status")
      .filter({ hasText: /^Cancelled$/ })
      .waitFor();
    expect(await statuses(page)).toEqual([
      ["prepare", "succeeded"],
      ["wait", "cancelled"],
      ["send", "pending"],
    ]);

    // A fresh load reads the same from the server: no step of the ended run is running.
    await page.reload();
    expect(await page.getByTestId("run-status").textContent()).toBe("Cancelled");
    expect(await statuses(page)).toEqual([
      ["prepare", "succeeded"],
      ["wait", "cancelled"],
      ["send", "pending"],
    ]);
    expect(await page.getByTestId("timeline-step").getByText("Running").count()).toBe(0);
    const record = page.locator('[data-testid="step-record"][data-node-id="wait"]');
    await record.locator("summary").click();
    await record.getByText("Cancelled with the run before it finished.").waitFor();
    await shoot(page, "run-cancelled-1440x900");
  });

  it("a retry from the failed step shows the reused steps, linked to the run they came from, and both runs link to each other", async () => {
    const { page, client, projectId } = await signedIn("truth-retry");
    const opensAt = Date.now() + 15_000;
    const flowId = await createPublishedFlowOverHttp(client, projectId, failingFlow(opensAt), { name: "Order mail" });
    const originalId = await runNow(client, projectId, flowId);
    const originalUrl = `${baseUrl}/projects/${projectId}/runs/${originalId}`;

    await page.goto(originalUrl);
    await page
      .getByTestId("run-status")
      .filter({ hasText: /^Failed$/ })
      .waitFor({ timeout: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, opensAt - Date.now() + 500)));
    await page.getByRole("button", { name: "Retry from the failed step" }).click();
    await page.waitForURL((url) => url.pathname.includes("/runs/") && !url.pathname.endsWith(originalId), { timeout: 10_000 });
    const retryUrl = page.url();
    const retryId = retryUrl.split("/").at(-1)!;
    await page
      .getByTestId("run-status")
      .filter({ hasText: /^Succeeded$/ })
      .waitFor({ timeout: 20_000 });

    expect(await statuses(page)).toEqual([
      ["prepare", "reused"],
      ["price", "reused"],
      ["send", "succeeded"],
    ]);
    await timelineStep(page, "prepare")
      .getByTestId("timeline-step-status")
      .filter({ hasText: /^Reused$/ })
      .waitFor();
    expect(await page.getByTestId("run-retry-of").textContent()).toContain(`Retry of run #${originalId.slice(0, 8)}`);
    const reusedLink = timelineStep(page, "price").getByTestId("reused-from");
    expect(await reusedLink.textContent()).toBe(`run #${originalId.slice(0, 8)}`);
    expect(await reusedLink.getAttribute("href")).toBe(`/projects/${projectId}/runs/${originalId}#step-price`);
    await shoot(page, "run-retry-reused-1440x900");

    // The link opens the earlier run at that step; that run links back to its retry.
    await reusedLink.click();
    await page.waitForURL(`${originalUrl}#step-price`);
    await page
      .getByTestId("run-status")
      .filter({ hasText: /^Failed$/ })
      .waitFor();
    await timelineStep(page, "price")
      .getByTestId("timeline-step-status")
      .filter({ hasText: /^Succeeded$/ })
      .waitFor();
    const retriedAs = page.getByTestId("run-retried-as");
    expect(await retriedAs.textContent()).toContain(`Retried as run #${retryId.slice(0, 8)}`);
    await shoot(page, "run-original-retried-as-1440x900");
    await retriedAs.getByRole("link").click();
    await page.waitForURL(retryUrl);
    await page.getByTestId("run-retry-of").waitFor();

    // The JSON the page polls says the same.
    const api = await page.request.get(`${baseUrl}/api/runs/${retryId}`);
    const body = (await api.json()) as { retryOf: { id: string } | null; steps: { nodeId: string; status: string; reusedFromRunId: string | null }[] };
    expect(body.retryOf?.id).toBe(originalId);
    expect(body.steps.map((s) => [s.nodeId, s.status, s.reusedFromRunId])).toEqual([
      ["prepare", "reused", originalId],
      ["price", "reused", originalId],
      ["send", "succeeded", null],
    ]);
  });
});
