// Approvals as people meet them, in headless Chromium with a real SMTP server on
// loopback: a run waits for an approval; the owner's mail links to a confirm page that
// decides nothing when opened (a link scanner's GET), the Approve button decides and the
// run goes on; the same link then says it was already decided. A second run is rejected
// from the run page's card, which says what the run waits for.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { startAppServer, type AppServer } from "../support/app-server";
import { findLink, startSmtpSink, type SmtpSink } from "../support/smtp-sink";
import { setupBrowser } from "./support/accounts";
import type { HttpClient } from "./support/http-client";
import { callAction, createProjectOverHttp, createPublishedFlowOverHttp, dataOf, signUpOverHttp, TEST_PASSWORD } from "./support/http-flows";

const getBrowser = setupBrowser();
let sink: SmtpSink;
let app: AppServer;
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  cleanups.push(() => sink.close());
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-e2e-approvals-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  app = await startAppServer({ dataDir, env: { SMTP_URL: sink.url, MAIL_FROM: "Vaultflow <no-reply@vaultflow.test>", TRUST_PROXY: "true" } });
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
    {
      id: "ask",
      type: "step.approval",
      name: "Ask the boss",
      config: { message: "Pay {{trigger.amount}} EUR to ACME?", timeout: { amount: 1, unit: "hours" } },
      ui,
    },
    { id: "yes", type: "step.transform", name: "Paid", config: { expression: '"paid"' }, ui: { x: 0, y: 200 } },
    { id: "no", type: "step.transform", name: "Not paid", config: { expression: '"not paid"' }, ui: { x: 200, y: 200 } },
  ],
  edges: [
    { id: "e1", source: "trigger", target: "ask" },
    { id: "e2", source: "ask", target: "yes", label: "approved" },
    { id: "e3", source: "ask", target: "no", label: "rejected" },
  ],
} as TFlowDocument;

type TRunBody = { status: string; approvals: { id: string; status: string }[] };

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function startWaitingRun(client: HttpClient, projectId: string, flowId: string, amount: number): Promise<string> {
  const { runId } = dataOf<{ runId: string }>(
    await callAction(client, "app/projects/[projectId]/flows/actions.ts#runNowAction", { flowId, payload: JSON.stringify({ amount }) }, { projectId, flowId }),
  );
  await until("the run to wait for its approval", async () => {
    const run = (await client.json(`/api/runs/${runId}`)).body as TRunBody;
    return run.approvals?.[0]?.status === "PENDING" ? true : undefined;
  });
  return runId;
}

async function signedInPage(email: string): Promise<Page> {
  const context = await getBrowser().newContext({ viewport: { width: 1024, height: 800 }, extraHTTPHeaders: { "x-forwarded-for": "198.18.40.7" } });
  cleanups.push(() => context.close());
  const page = await context.newPage();
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  return page;
}

describe("approvals in Chromium", () => {
  it("the emailed link shows the request without deciding; Approve decides once and the run goes on", async () => {
    const { client, email } = await signUpOverHttp(app.url, "198.18.40.1", "approver");
    const projectId = await createProjectOverHttp(client);
    const flowId = await createPublishedFlowOverHttp(client, projectId, DOCUMENT);
    const runId = await startWaitingRun(client, projectId, flowId, 120);
    const mail = await sink.waitForMail((m) => m.recipients.includes(email) && m.subject.startsWith("Approval needed"));
    expect(mail.text).not.toContain("120 EUR");
    const link = findLink(mail.text, "/approvals/decide");

    const page = await signedInPage(email);
    await page.goto(link.toString());
    await expect.poll(() => page.getByTestId("approval-message").textContent()).toBe("Pay 120 EUR to ACME?");
    // Opening the link (twice) decided nothing.
    await page.reload();
    expect(((await client.json(`/api/runs/${runId}`)).body as TRunBody).approvals[0]!.status).toBe("PENDING");

    await page.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => page.getByTestId("approval-decided").textContent()).toContain("Approved");
    const finished = await until("the run to finish", async () => {
      const run = (await client.json(`/api/runs/${runId}`)).body as TRunBody;
      return run.status === "SUCCEEDED" || run.status === "FAILED" ? run : undefined;
    });
    expect(finished.status).toBe("SUCCEEDED");

    // The same link again: already decided, no buttons.
    await page.goto(link.toString());
    await expect.poll(() => page.getByTestId("approval-closed").textContent()).toContain("already approved by " + email);
    expect(await page.getByRole("button", { name: "Approve" }).count()).toBe(0);
  });

  it("the run page says the run waits for approval, and its card rejects", async () => {
    const { client, email } = await signUpOverHttp(app.url, "198.18.40.2", "carder");
    const projectId = await createProjectOverHttp(client);
    const flowId = await createPublishedFlowOverHttp(client, projectId, DOCUMENT);
    const runId = await startWaitingRun(client, projectId, flowId, 7);
    const page = await signedInPage(email);
    await page.goto(`${app.url}/projects/${projectId}/runs/${runId}`);
    await expect.poll(() => page.getByTestId("run-waiting-for").textContent()).toBe("Waiting for approval");
    await expect.poll(() => page.getByTestId("approval-message").textContent()).toBe("Pay 7 EUR to ACME?");
    await page.getByRole("button", { name: "Reject" }).click();
    const finished = await until("the run to finish", async () => {
      const run = (await client.json(`/api/runs/${runId}`)).body as TRunBody;
      return run.status === "SUCCEEDED" || run.status === "FAILED" ? run : undefined;
    });
    expect(finished.status).toBe("SUCCEEDED");
    expect(finished.approvals[0]!.status).toBe("REJECTED");
    await page.reload();
    await expect.poll(() => page.getByTestId("approval-status").textContent()).toBe("Rejected");
  });
});
