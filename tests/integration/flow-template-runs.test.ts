// Templates run as described: the sync API template, published as it comes, answers
// the caller with what its transform computed; the webhook router sends an event that
// is not a new order down its "false" path and never calls the order API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getRun } from "@/lib/server/runs/get-run";
import { startEmbeddedDriver, type TEmbeddedDriver } from "@/lib/server/runs/embedded/embedded-driver";
import { createExecutors } from "@/lib/server/runs/executors";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { findTemplate } from "@/lib/templates/catalog";
import { seedWebhookFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.78", userAgent: "vitest" };
let driver: TEmbeddedDriver;
beforeAll(() => {
  driver = startEmbeddedDriver({ executors: createExecutors(), secretsFor: listRunSecrets, pollMs: 50 });
});
afterAll(() => driver.stop());

const call = (token: string, body: unknown) =>
  receiveWebhook(
    {
      token,
      method: "POST",
      headers: new Headers({ "content-type": "application/json" }),
      body: Buffer.from(JSON.stringify(body)),
      query: new URLSearchParams(),
    },
    { pollMs: 20 },
  );

async function finished(userId: string, runId: string) {
  for (let i = 0; i < 200; i += 1) {
    const run = await getRun(userId, runId);
    if (run.status !== "QUEUED" && run.status !== "RUNNING") return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the run did not finish");
}

describe("templates run as described", () => {
  it("Webhook → transform → respond answers the caller with the computed total", async () => {
    const hook = await seedWebhookFlow(findTemplate("webhook-transform-respond")!.document(), { isActive: true, meta });
    const answer = await call(hook.token, {
      items: [
        { price: 2.5, quantity: 4 },
        { price: 10, quantity: 1 },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.headers?.["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(answer.raw!)).toEqual({ items: 2, total: 20 });
  });

  it("Route webhook events by type sends another event down the false path, without calling the order API", async () => {
    const hook = await seedWebhookFlow(findTemplate("webhook-route-by-type")!.document(), { isActive: true, meta });
    const answer = await call(hook.token, { type: "customer.updated", data: { id: "c1" } });
    expect(answer.status).toBe(202);
    const run = await finished(hook.userId, (answer.body as { runId: string }).runId);
    expect(run.status).toBe("SUCCEEDED");
    const status = Object.fromEntries(run.steps.map((step) => [step.nodeId, step.status]));
    expect(status).toMatchObject({ isOrder: "succeeded", ignore: "succeeded" });
    expect(status.forward === undefined || status.forward === "skipped").toBe(true);
    expect(run.steps.find((step) => step.nodeId === "ignore")!.record?.output).toEqual({ skipped: "customer.updated" });
  });
});
