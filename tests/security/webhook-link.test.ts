// Issue 13, item 1, played by an outsider with a link: a flow author hands a signed-in
// Vaultflow user a webhook address, hoping the visit carries the user's session (or
// credentials, or the proxy's view of the visitor) into the flow's trigger payload.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Before any module reads the configuration: the deployment serves webhooks on their
// own host name (a path prefix included, which the proxy in front strips).
vi.hoisted(() => {
  process.env.WEBHOOK_URL = "https://hooks.vaultflow-test.example/in/";
});

import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { getDb } from "@/lib/server/db";
import { startEmbeddedDriver, type TEmbeddedDriver } from "@/lib/server/runs/embedded/embedded-driver";
import { createExecutors } from "@/lib/server/runs/executors";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { seedWebhookFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.77", userAgent: "vitest" };
let driver: TEmbeddedDriver;
beforeAll(() => {
  driver = startEmbeddedDriver({ executors: createExecutors(), secretsFor: listRunSecrets, pollMs: 50 });
});
afterAll(() => driver.stop());

const SESSION = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..victim-session-token";
const VICTIM_HEADERS = {
  cookie: `next-auth.session-token=${SESSION}; __Secure-next-auth.session-token=${SESSION}; next-auth.csrf-token=csrf-victim`,
  authorization: "Bearer victim-api-key",
  "proxy-authorization": "Basic dmljdGltOnByb3h5",
  "x-forwarded-for": "203.0.113.9, 10.0.0.2",
  "x-forwarded-host": "vaultflow.example",
  "x-forwarded-proto": "https",
  forwarded: "for=203.0.113.9;proto=https",
  "x-real-ip": "203.0.113.9",
  // What server.ts adds to every request before Next sees it.
  "x-request-id": "req-4f1c2a9e-victim",
  "x-vaultflow-client-ip": "203.0.113.9",
  "x-nonce": "bm9uY2Utb2YtdGhlLXBhZ2U=",
  "content-security-policy": "default-src 'self'",
  connection: "keep-alive, x-hop",
  "x-hop": "hop-by-hop by the Connection header",
  "keep-alive": "timeout=5",
  // Kept: what a webhook caller legitimately sends.
  "user-agent": "Mozilla/5.0 victim",
  "x-github-event": "push",
  "content-type": "application/json",
};
const DROPPED = Object.keys(VICTIM_HEADERS).filter((name) => !["user-agent", "x-github-event", "content-type"].includes(name));

const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } });

/** A published webhook flow whose author tries to read the caller's cookie back. */
async function hostileFlow(trigger: Record<string, unknown>, respondBody = "{{trigger.headers.cookie}}") {
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      node("trigger", "trigger.webhook", { respondMode: "respond_step", responseTimeoutMs: 5000, ...trigger }),
      node("leak", "step.respond", { status: 200, headers: [], body: respondBody }),
    ],
    edges: [{ id: "e1", source: "trigger", target: "leak" }],
  };
  return seedWebhookFlow(document, { label: "author", meta });
}

function visit(token: string, method: string, body = "") {
  const headers = new Headers(VICTIM_HEADERS);
  if (!body) headers.delete("content-type");
  return receiveWebhook({ token, method, headers, body: Buffer.from(body), query: new URLSearchParams() }, { pollMs: 20 });
}

async function finishedRun(userId: string, flowId: string) {
  const row = await getDb().flowRun.findFirstOrThrow({ where: { flowId }, select: { id: true } });
  for (let i = 0; i < 100; i += 1) {
    const run = await getRun(userId, row.id);
    if (run.status !== "QUEUED" && run.status !== "RUNNING") return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("run did not finish");
}

describe("a webhook link does not capture the visitor", () => {
  it("keeps cookies, credentials and the server's own headers out of the trigger payload", async () => {
    const trap = await hostileFlow({});
    const answer = await visit(trap.token, "POST", JSON.stringify({ hello: "world" }));
    const run = await finishedRun(trap.userId, trap.flowId);
    const headers = (run.payload as { headers: Record<string, string> }).headers;
    expect(DROPPED.filter((name) => name in headers)).toEqual([]);
    expect(headers).toMatchObject({ "user-agent": "Mozilla/5.0 victim", "x-github-event": "push", "content-type": "application/json" });
    const stored = JSON.stringify(run);
    for (const secret of [SESSION, "victim-api-key", "dmljdGltOnByb3h5", "203.0.113.9", "req-4f1c2a9e-victim", "csrf-victim"]) {
      expect(stored).not.toContain(secret);
    }
    // The step that reads {{trigger.headers.cookie}} finds nothing: it fails, and
    // the caller never gets the cookie back.
    expect(JSON.stringify(answer)).not.toContain(SESSION);
    expect(run.status).toBe("FAILED");
    expect(JSON.stringify(run.steps)).toMatch(/nothing at \\"trigger\.headers\.cookie\\"/);
  });

  it("answers a GET to a POST webhook (the default) with 405 and Allow, and starts no run", async () => {
    const trap = await hostileFlow({});
    const answer = await visit(trap.token, "GET");
    expect(answer.status).toBe(405);
    expect(answer.headers).toMatchObject({ allow: "POST" });
    expect(answer.body).toEqual({ error: expect.stringMatching(/accepts POST only/) });
    expect(await getDb().flowRun.count({ where: { flowId: trap.flowId } })).toBe(0);
  });

  it("takes a GET only when the author chose GET, and still drops the visitor's cookie", async () => {
    const trap = await hostileFlow({ method: "GET" }, "{{trigger.method}} {{trigger.headers.x-github-event}}");
    const refused = await visit(trap.token, "POST", "{}");
    expect([refused.status, refused.headers?.allow]).toEqual([405, "GET"]);
    const answer = await visit(trap.token, "GET");
    expect([answer.status, answer.raw]).toEqual([200, "GET push"]);
    const run = await finishedRun(trap.userId, trap.flowId);
    expect(Object.keys((run.payload as { headers: object }).headers)).not.toContain("cookie");
    expect(JSON.stringify(run)).not.toContain(SESSION);
  });

  it("shows webhook addresses on WEBHOOK_URL, never on the app's host", async () => {
    const trap = await hostileFlow({});
    expect(trap.url).toMatch(/^https:\/\/hooks\.vaultflow-test\.example\/in\/api\/webhooks\/[A-Za-z0-9_-]{43}$/);
  });
});
