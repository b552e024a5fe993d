// In production server.ts serves /api/webhooks/<token> itself, without Next.js's request
// handler (lib/web/direct-webhooks.ts). Every protection of the ordinary path must hold
// on it: the same answer headers as Next.js serves for the route (sandbox CSP,
// X-Request-Id, no-store, the rest of the security headers), the body cap, the webhook
// host that serves webhooks only, the https redirect, and an access record filed under
// the address's project. Driven over raw HTTP on the real server, so Host, chunked
// bodies and X-Forwarded-Proto are the test's to choose.
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { startAppServer, type AppServer } from "../support/app-server";
import type { HttpClient } from "./support/http-client";
import { callAction, createProjectOverHttp, createPublishedFlowOverHttp, dataOf, signUpOverHttp, until } from "./support/http-flows";

const HOOKS_HOST = "hooks.vaultflow.test";
const MAX_BODY = 4096;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-webhook-fast-"));
let server: AppServer;
let client: HttpClient;
let projectId = "";
/** /api/webhooks/<token> of a flow that answers with its Respond step (an HTML page, as a hostile author would). */
let syncPath = "";
/** A flow that answers with the trigger's headers, as its author sees them. */
let echoPath = "";

type TRawAnswer = { status: number; headers: http.IncomingHttpHeaders; body: string };

/** One request over a fresh connection; `chunks` are sent as a chunked body (no Content-Length). */
function raw(input: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string; chunks?: string[] }): Promise<TRawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        method: input.method ?? "POST",
        path: input.path,
        agent: false,
        headers: { host: input.host ?? `127.0.0.1:${server.port}`, ...input.headers },
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    // The server may answer (413) before the whole body is sent.
    request.on("error", reject);
    if (input.chunks) for (const chunk of input.chunks) request.write(chunk);
    request.end(input.body);
  });
}

/**
 * The headers that must be the same on every webhook answer, whichever way it was served.
 * Left out: the connection's own, the per-request id's value, and the Vary that Next.js
 * puts on every route answer for its client router (an answer that is no-store is never
 * cached, so it varies on nothing).
 */
function servedHeaders(answer: TRawAnswer): Record<string, unknown> {
  const {
    date,
    connection,
    "keep-alive": keepAlive,
    "content-length": length,
    "transfer-encoding": encoding,
    vary,
    "x-request-id": requestId,
    ...rest
  } = answer.headers;
  void [date, connection, keepAlive, length, encoding, vary];
  return { ...rest, "x-request-id": typeof requestId === "string" && requestId.length > 0 };
}

function expectSandboxed(answer: TRawAnswer): void {
  expect(answer.headers["content-security-policy"]).toBe("sandbox; default-src 'none'");
  expect(answer.headers["cache-control"]).toBe("no-store");
  expect(answer.headers["x-content-type-options"]).toBe("nosniff");
  expect(answer.headers["x-frame-options"]).toBe("DENY");
  expect(answer.headers["x-request-id"]).toMatch(/^[A-Za-z0-9._:-]{8,128}$/);
}

beforeAll(async () => {
  server = await startAppServer({
    dataDir,
    env: { TRUST_PROXY: "true", WEBHOOK_URL: `https://${HOOKS_HOST}`, WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY) },
  });
  ({ client } = await signUpOverHttp(server.url, "10.79.0.1", "fastpath"));
  projectId = await createProjectOverHttp(client);
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.webhook", name: "Call", config: { respondMode: "respond_step", responseTimeoutMs: 10000 }, ui: { x: 0, y: 0 } },
      {
        id: "answer",
        type: "step.respond",
        name: "Answer",
        config: { status: 201, headers: [{ name: "Content-Type", value: "text/html" }], body: "<h1>Hello {{trigger.body.name}}</h1>" },
        ui: { x: 0, y: 100 },
      },
    ],
    edges: [{ id: "e1", source: "trigger", target: "answer" }],
  };
  const flowId = await createPublishedFlowOverHttp(client, projectId, document, { activate: true });
  const address = dataOf<{ url: string }>(
    await callAction(client, "app/projects/[projectId]/flows/[flowId]/webhook-actions.ts#createWebhookAddressAction", { flowId }, { projectId, flowId }),
  ).url;
  expect(new URL(address).host).toBe(HOOKS_HOST);
  syncPath = new URL(address).pathname;
  const echo: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.webhook", name: "Call", config: { respondMode: "respond_step", responseTimeoutMs: 10000 }, ui: { x: 0, y: 0 } },
      {
        id: "answer",
        type: "step.respond",
        name: "Answer",
        config: { status: 200, headers: [{ name: "Content-Type", value: "application/json" }], body: "{{trigger.headers}}" },
        ui: { x: 0, y: 100 },
      },
    ],
    edges: [{ id: "e1", source: "trigger", target: "answer" }],
  };
  const echoFlowId = await createPublishedFlowOverHttp(client, projectId, echo, { activate: true });
  echoPath = new URL(
    dataOf<{ url: string }>(
      await callAction(
        client,
        "app/projects/[projectId]/flows/[flowId]/webhook-actions.ts#createWebhookAddressAction",
        { flowId: echoFlowId },
        { projectId, flowId: echoFlowId },
      ),
    ).url,
  ).pathname;
});

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("webhook calls served by server.ts directly", () => {
  it("answer with the flow's answer, sandboxed, with the request id and no-store", async () => {
    const answer = await raw({
      path: syncPath,
      headers: { "content-type": "application/json", "x-request-id": "fastpath-sync-0001" },
      body: JSON.stringify({ name: "Ada" }),
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toBe("<h1>Hello Ada</h1>");
    expectSandboxed(answer);
    // A trusted proxy's request id is kept; an HTML answer is only ever a download.
    expect(answer.headers["x-request-id"]).toBe("fastpath-sync-0001");
    expect(answer.headers["content-type"]).toBe("text/html");
    expect(answer.headers["content-disposition"]).toBe("attachment");
    expect(answer.headers["x-vaultflow-run-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("give the flow the caller's own headers only, never cookies, credentials, the proxy chain or the server's", async () => {
    const answer = await raw({
      path: echoPath,
      headers: {
        "content-type": "application/json",
        "x-sender-topic": "orders/created",
        cookie: "next-auth.session-token=visitor-session",
        authorization: "Bearer visitor-credential",
        "x-forwarded-for": "198.51.100.7",
        "x-vaultflow-client-ip": "203.0.113.9",
        "x-vaultflow-socket-ip": "203.0.113.10",
        "x-request-id": "fastpath-echo-0001",
      },
      body: "{}",
    });
    expect(answer.status).toBe(200);
    const headers = JSON.parse(answer.body) as Record<string, string>;
    expect(headers["x-sender-topic"]).toBe("orders/created");
    expect(headers["content-type"]).toBe("application/json");
    for (const name of ["cookie", "authorization", "x-forwarded-for", "x-vaultflow-client-ip", "x-vaultflow-socket-ip", "x-request-id"]) {
      expect(headers, name).not.toHaveProperty(name);
    }
    expect(answer.body).not.toContain("visitor-");
  });

  it("serve the same headers as the route behind Next.js", async () => {
    // GET is served directly; HEAD is not, and goes through Next.js to the route (which
    // answers HEAD with its GET handler). Both are refused 405 by this POST webhook.
    const direct = await raw({ method: "GET", path: syncPath });
    const throughNext = await raw({ method: "HEAD", path: syncPath });
    expect(direct.status).toBe(405);
    expect(throughNext.status).toBe(405);
    expect(direct.headers.allow).toBe("POST");
    expect(JSON.parse(direct.body)).toEqual({ error: "This webhook accepts POST only." });
    expectSandboxed(direct);
    expect(servedHeaders(direct)).toEqual(servedHeaders(throughNext));
  });

  it("refuse a body over the cap, declared or streamed, with the same sandboxed 413", async () => {
    const declared = await raw({ path: syncPath, headers: { "content-type": "application/json" }, body: JSON.stringify({ pad: "x".repeat(MAX_BODY) }) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toEqual({ error: "The body is larger than 4 KB." });
    expectSandboxed(declared);
    const streamed = await raw({ path: syncPath, headers: { "content-type": "text/plain" }, chunks: ["y".repeat(3000), "y".repeat(3000)] });
    expect(streamed.status).toBe(413);
    expectSandboxed(streamed);
    // At the cap exactly, the call is served.
    const body = JSON.stringify({ name: "Bo", pad: "z".repeat(MAX_BODY - 30) });
    const atCap = await raw({ path: syncPath, headers: { "content-type": "application/json" }, body: body.padEnd(MAX_BODY, " ") });
    expect(atCap.status).toBe(201);
  });

  it("the webhook host serves webhooks and nothing else", async () => {
    const hook = await raw({ path: syncPath, host: HOOKS_HOST, headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Cy" }) });
    expect(hook.status).toBe(201);
    expect(hook.body).toBe("<h1>Hello Cy</h1>");
    expectSandboxed(hook);
    for (const pathname of ["/api/health", "/", "/sign-in"]) {
      const other = await raw({ method: "GET", path: pathname, host: HOOKS_HOST });
      expect(other.status, pathname).toBe(404);
      expect(other.body).toBe("Not found.");
    }
  });

  it("a call a trusted proxy received over http is redirected to https, to the configured host", async () => {
    const onHooks = await raw({ path: syncPath, host: HOOKS_HOST, headers: { "x-forwarded-proto": "http", "content-type": "application/json" }, body: "{}" });
    expect(onHooks.status).toBe(308);
    expect(onHooks.headers.location).toBe(`https://${HOOKS_HOST}${syncPath}`);
    const onApp = await raw({
      path: `${syncPath}?a=1`,
      host: "evil.example",
      headers: { "x-forwarded-proto": "http", "content-type": "application/json" },
      body: "{}",
    });
    expect(onApp.status).toBe(308);
    // The configured public host, never the client's Host header.
    expect(onApp.headers.location).toBe(`https://127.0.0.1:${server.port}${syncPath}?a=1`);
  });

  it("every call leaves an access record under the address's project, token masked", async () => {
    const requestId = `fastpath-record-${Date.now()}`;
    const answer = await raw({
      path: `${syncPath}?secret=1`,
      headers: { "content-type": "application/json", "x-request-id": requestId },
      body: JSON.stringify({ name: "Di" }),
    });
    expect(answer.status).toBe(201);
    const token = syncPath.split("/").pop()!;
    const line = await until("the call's access record", async () => {
      const csv = await (await client.fetch(`/api/projects/${projectId}/access-log`)).text();
      return csv.split("\n").find((row) => row.includes(requestId));
    });
    expect(line).toContain(`/api/webhooks/[token:…${token.slice(-4)}]`);
    expect(line).toContain(",POST,");
    expect(line).toContain(",201,");
    expect(line).not.toContain(token.slice(0, 8));
    expect(line).not.toContain("secret=1");
  });
});
