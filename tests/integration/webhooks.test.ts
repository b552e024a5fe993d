// Webhook trigger through its receiver on a real database: parsing by Content-Type,
// the same 404 for every wrong address, HMAC with timestamps, idempotency, and the
// synchronous answer of a Respond step (the embedded driver runs in this process).
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { getDb } from "@/lib/server/db";
import { startEmbeddedDriver, type TEmbeddedDriver } from "@/lib/server/runs/embedded/embedded-driver";
import { createExecutors } from "@/lib/server/runs/executors";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { createWebhookAddress } from "@/lib/server/webhooks/create-webhook-address";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { setWebhookSigning } from "@/lib/server/webhooks/set-webhook-signing";
import { seedWebhookFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.43", userAgent: "vitest" };
let driver: TEmbeddedDriver;
beforeAll(() => {
  driver = startEmbeddedDriver({ executors: createExecutors(), secretsFor: listRunSecrets, pollMs: 50 });
});
afterAll(() => driver.stop());

const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } });

async function webhookFlow(options: { respond?: boolean; active?: boolean } = {}) {
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      node("trigger", "trigger.webhook", { respondMode: options.respond ? "respond_step" : "immediately", responseTimeoutMs: 5000 }),
      node("shape", "step.transform", { expression: "{ 'greeting': 'hello ' & trigger.body.name, 'count': $count(trigger.body.items) }" }),
      ...(options.respond
        ? [node("answer", "step.respond", { status: 201, headers: [{ name: "x-answer", value: "yes" }], body: "{{steps.shape.output}}" })]
        : []),
    ],
    edges: [{ id: "e1", source: "trigger", target: "shape" }, ...(options.respond ? [{ id: "e2", source: "shape", target: "answer" }] : [])],
  };
  return seedWebhookFlow(document, { isActive: options.active ?? true, meta });
}

function call(token: string, body: string | Buffer, headers: Record<string, string> = { "content-type": "application/json" }, method = "POST") {
  return receiveWebhook({ token, method, headers: new Headers(headers), body: Buffer.from(body), query: new URLSearchParams("source=test") }, { pollMs: 20 });
}

const runsOf = (flowId: string) => getDb().flowRun.count({ where: { flowId } });

async function waitForRun(userId: string, runId: string) {
  for (let i = 0; i < 100; i += 1) {
    const run = await getRun(userId, runId);
    if (run.status !== "QUEUED" && run.status !== "RUNNING") return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("run did not finish");
}

describe("webhooks", () => {
  it("queues a run with the parsed body and answers 202 with its id", async () => {
    const hook = await webhookFlow();
    const result = await call(hook.token, JSON.stringify({ name: "Ada", items: [1, 2, 3], files: ["/etc/passwd"], filepath: "/etc/shadow" }));
    expect(result.status).toBe(202);
    const run = await waitForRun(hook.userId, (result.body as { runId: string }).runId);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.steps[0]!.record?.output).toEqual({ greeting: "hello Ada", count: 3 });
    // "files" and "filepath" are plain data in the payload; nothing was read from disk.
    expect((run.payload as { body: { files: string[] } }).body.files).toEqual(["/etc/passwd"]);
    expect(JSON.stringify(run.payload)).not.toMatch(/root:/);
  });

  it("parses form and text bodies by their Content-Type", async () => {
    const hook = await webhookFlow();
    const form = await call(hook.token, "name=Grace&items=a&items=b", { "content-type": "application/x-www-form-urlencoded" });
    const run = await waitForRun(hook.userId, (form.body as { runId: string }).runId);
    expect(run.steps[0]!.record?.output).toEqual({ greeting: "hello Grace", count: 2 });
    expect((await call(hook.token, "just text", { "content-type": "text/plain; charset=utf-8" })).status).toBe(202);
  });

  it("refuses bad input with its status and queues nothing", async () => {
    const hook = await webhookFlow();
    const cases: [string, Awaited<ReturnType<typeof call>>][] = [
      ["xml", await call(hook.token, "<a/>", { "content-type": "application/xml" })],
      ["no type", await call(hook.token, "{}", {})],
      ["malformed", await call(hook.token, '{"name": ', { "content-type": "application/json" })],
    ];
    expect(cases.map(([label, r]) => [label, r.status])).toEqual([
      ["xml", 415],
      ["no type", 415],
      ["malformed", 400],
    ]);
    expect((cases[2]![1].body as { error: string }).error).toMatch(/^The body is not valid JSON/);
    expect(await runsOf(hook.flowId)).toBe(0);
  });

  it("answers the same 404 for a wrong token, an inactive flow and a non-webhook flow", async () => {
    const inactive = await webhookFlow({ active: false });
    const wrong = await call("A".repeat(43), "{}");
    const malformed = await call("short", "{}");
    const off = await call(inactive.token, "{}");
    expect([wrong, malformed, off].map((r) => [r.status, r.body])).toEqual(Array(3).fill([404, { error: "Not found." }]));
    expect(await runsOf(inactive.flowId)).toBe(0);
  });

  it("voids the old address when a new one is made", async () => {
    const hook = await webhookFlow();
    const { url } = await createWebhookAddress(hook.userId, { flowId: hook.flowId }, meta);
    expect((await call(hook.token, "{}")).status).toBe(404);
    expect((await call(url.split("/").pop()!, "{}")).status).toBe(202);
    const stored = await getDb().flowWebhook.findUniqueOrThrow({ where: { flowId: hook.flowId } });
    expect(JSON.stringify(stored)).not.toContain(url.split("/").pop()!);
  });

  it("checks HMAC signatures and timestamps", async () => {
    const hook = await webhookFlow();
    const { secret } = await setWebhookSigning(
      hook.userId,
      { flowId: hook.flowId, enabled: true, signatureHeader: "x-signature", algorithm: "sha256", timestampHeader: "x-timestamp", toleranceSeconds: 300 },
      meta,
    );
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const body = JSON.stringify({ name: "Signed", items: [] });
    const sign = (stamp: number, text = body) => createHmac("sha256", secret!).update(`${stamp}.${text}`).digest("hex");
    const now = Math.floor(Date.now() / 1000);
    const headers = (stamp: number, signature: string) => ({
      "content-type": "application/json",
      "x-timestamp": String(stamp),
      "x-signature": `sha256=${signature}`,
    });

    expect((await call(hook.token, body, headers(now, sign(now)))).status).toBe(202);
    expect((await call(hook.token, body, headers(now, sign(now, "{}")))).status).toBe(401);
    expect((await call(hook.token, body, { "content-type": "application/json" })).status).toBe(401);
    const replayed = await call(hook.token, body, headers(now - 3600, sign(now - 3600)));
    expect([replayed.status, replayed.body]).toEqual([401, { error: "The request's timestamp is too old or in the future." }]);
    expect(await runsOf(hook.flowId)).toBe(1);
    const sealed = await getDb().flowWebhook.findUniqueOrThrow({ where: { flowId: hook.flowId }, select: { signingSecretSealed: true } });
    expect(sealed.signingSecretSealed).not.toContain(secret!);
  });

  it("returns the same run for a repeated Idempotency-Key", async () => {
    const hook = await webhookFlow();
    const headers = { "content-type": "application/json", "idempotency-key": "order-1234" };
    const first = await call(hook.token, JSON.stringify({ name: "Once", items: [] }), headers);
    const again = await call(hook.token, JSON.stringify({ name: "Once", items: [] }), headers);
    expect(first.status).toBe(202);
    expect(again).toEqual({ status: 200, body: { runId: (first.body as { runId: string }).runId, duplicate: true } });
    expect(await runsOf(hook.flowId)).toBe(1);
  });

  it("answers synchronously with the Respond step", async () => {
    const hook = await webhookFlow({ respond: true });
    const result = await call(hook.token, JSON.stringify({ name: "Sync", items: [1] }));
    expect(result.status).toBe(201);
    expect(result.headers?.["x-answer"]).toBe("yes");
    expect(JSON.parse(result.raw!)).toEqual({ greeting: "hello Sync", count: 1 });
  });
});
