// Approvals as people meet them, in headless Chromium with a real SMTP server on
// loopback: a run waits for an approval; the owner's mail links to a confirm page that
// decides nothing when opened (a link scanner's GET), the Approve button decides and the
// run goes on; the same link then says it was already decided. A second run is rejected
// from the run page's card, which says what the run waits for.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import type { AppServer } from "../support/app-server";
import { findLink, type SmtpSink } from "../support/smtp-sink";
import { setupBrowser, signInThroughUi } from "./support/accounts";
import type { HttpClient } from "./support/http-client";
import { createProjectOverHttp, createPublishedFlowOverHttp, runNowOverHttp, signUpOverHttp, TEST_PASSWORD, until, waitForRunEnd } from "./support/http-flows";
import { mailEnv, setupCleanups, startMailSink, startOwnServer } from "./support/own-server";

const getBrowser = setupBrowser();
const cleanups = setupCleanups();
let sink: SmtpSink;
let app: AppServer;

beforeAll(async () => {
  sink = await startMailSink(cleanups);
  app = await startOwnServer(cleanups, "vaultflow-e2e-approvals-", { ...mailEnv(sink), TRUST_PROXY: "true" });
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

async function startWaitingRun(client: HttpClient, projectId: string, flowId: string, amount: number): Promise<string> {
  const runId = await runNowOverHttp(client, projectId, flowId, JSON.stringify({ amount }));
  await until("the run to wait for its approval", async () => {
    const run = (await client.json(`/api/runs/${runId}`)).body as TRunBody;
    return run.approvals?.[0]?.status === "PENDING" ? true : undefined;
  });
  return runId;
}

async function signedInPage(email: string): Promise<Page> {
  const context = await getBrowser().newContext({ viewport: { width: 1024, height: 800 }, extraHTTPHeaders: { "x-forwarded-for": "198.18.40.7" } });
  cleanups.add(() => context.close());
  const page = await context.newPage();
  await signInThroughUi(page, app.url, email, TEST_PASSWORD);
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

    expect(await page.getByText("Decide before").count()).toBe(1);
    await page.getByRole("button", { name: "Approve" }).click();
    await expect.poll(() => page.getByTestId("approval-decided").textContent()).toContain("Approved");
    const finished = await waitForRunEnd<TRunBody>(client, runId);
    expect(finished.status).toBe("SUCCEEDED");
    // The confirmation stays: the page is not swapped under the approver for
    // "already approved", as if someone else had decided.
    expect(await page.getByTestId("approval-decided").textContent()).toContain("Approved. The run goes on.");
    expect(await page.getByTestId("approval-closed").count()).toBe(0);
    // What was to be decided by when goes with the buttons.
    expect(await page.getByText("Decide before").count()).toBe(0);

    // The same link again: decided, by this approver, no buttons.
    await page.goto(link.toString());
    await expect.poll(() => page.getByTestId("approval-closed").textContent()).toMatch(/^You approved this request on /);
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
    const finished = await waitForRunEnd<TRunBody>(client, runId);
    expect(finished.status).toBe("SUCCEEDED");
    expect(finished.approvals[0]!.status).toBe("REJECTED");
    await page.reload();
    await expect.poll(() => page.getByTestId("approval-status").textContent()).toBe("Rejected");
  });
});
