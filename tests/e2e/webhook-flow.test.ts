// The webhook path end to end on a real server: webhook → transform → HTTP with an
// API-key connection to a local echo server → respond. The echo server receives the
// key, the caller gets the synchronous answer, and no form of the key appears on the
// run page, in the run API or in the server log.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { startAppServer, type AppServer } from "../support/app-server";
import type { HttpClient } from "./support/http-client";
import { callAction, createProjectOverHttp, createPublishedFlowOverHttp, dataOf, signUpOverHttp } from "./support/http-flows";

const API_KEY = "vk_live_7c1e9a2b4d6f8h0j3l5n7p9r";
const forms = [API_KEY, Buffer.from(API_KEY).toString("base64"), encodeURIComponent(API_KEY), Buffer.from(API_KEY).toString("hex")];
const received: Record<string, string | undefined>[] = [];
let echo: Server;
let echoUrl = "";
let server: AppServer;
let client: HttpClient;
let projectId = "";
let webhookUrl = "";
const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-webhook-"));

beforeAll(async () => {
  echo = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ key: request.headers["x-api-key"] as string | undefined, body });
      // Echoes the key back, as careless services do: the run must not keep it.
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ echoed: request.headers["x-api-key"], body: JSON.parse(body || "{}") }));
    });
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  server = await startAppServer({ dataDir, env: { OUTBOUND_ALLOW: "127.0.0.1/32", TRUST_PROXY: "true", WEBHOOK_MAX_BODY_BYTES: "1048576" } });
  ({ client } = await signUpOverHttp(server.url, "10.78.0.1", "hooks"));
  projectId = await createProjectOverHttp(client);
  const connection = dataOf<{ id: string; secretHint: string | null }>(
    await callAction(
      client,
      "app/projects/[projectId]/connections/actions.ts#createConnectionAction",
      // Bound to the echo service: a connection's key goes only to its allowed origins.
      {
        projectId,
        name: "Echo API",
        type: "API_KEY",
        settings: { placement: "header", fieldName: "X-API-Key", testUrl: "", allowedOrigins: echoUrl },
        secret: { apiKey: API_KEY },
      },
      { projectId, connectionId: "00000000-0000-4000-8000-000000000000" },
    ),
  );
  expect(connection.secretHint).toBe(API_KEY.slice(-4));
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.webhook", name: "Order placed", config: { respondMode: "respond_step", responseTimeoutMs: 10000 }, ui: { x: 0, y: 0 } },
      {
        id: "shape",
        type: "step.transform",
        name: "Shape",
        config: { expression: "{ 'order': trigger.body.order, 'total': trigger.body.qty * trigger.body.price }" },
        ui: { x: 0, y: 100 },
      },
      {
        id: "call",
        type: "step.http",
        name: "Tell the echo service",
        config: {
          method: "POST",
          url: `${echoUrl}/orders`,
          body: { kind: "json", json: '{"order": "{{steps.shape.output.order}}", "total": {{steps.shape.output.total}}}' },
          connectionId: connection.id,
        },
        ui: { x: 0, y: 200 },
      },
      { id: "answer", type: "step.respond", name: "Answer", config: { status: 200, body: "{{steps.call.output.body}}" }, ui: { x: 0, y: 300 } },
    ],
    edges: [
      { id: "e1", source: "trigger", target: "shape" },
      { id: "e2", source: "shape", target: "call" },
      { id: "e3", source: "call", target: "answer" },
    ],
  };
  const flowId = await createPublishedFlowOverHttp(client, projectId, document, { activate: true });
  webhookUrl = dataOf<{ url: string }>(
    await callAction(client, "app/projects/[projectId]/flows/[flowId]/webhook-actions.ts#createWebhookAddressAction", { flowId }, { projectId, flowId }),
  ).url;
});

afterAll(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe("webhook flow", () => {
  it("runs, sends the key to the service, answers synchronously and keeps no form of the key", async () => {
    const response = await fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ order: "A-17", qty: 3, price: 5 }),
    });
    expect(response.status).toBe(200);
    const runId = response.headers.get("x-vaultflow-run-id")!;
    const answer = (await response.json()) as { echoed: string; body: unknown };
    expect(answer.body).toEqual({ order: "A-17", total: 15 });
    // The service got the real key; what came back to the caller had it removed at the source.
    expect(received.at(-1)?.key).toBe(API_KEY);
    expect(answer.echoed).toBe("[redacted]");

    let run: { status: string } = { status: "" };
    for (let i = 0; i < 50 && run.status !== "SUCCEEDED"; i += 1) {
      run = (await client.json(`/api/runs/${runId}`)).body as { status: string };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(run.status).toBe("SUCCEEDED");
    const page = await (await client.fetch(`/projects/${projectId}/runs/${runId}`)).text();
    const api = JSON.stringify(run);
    const log = readFileSync(server.logFile, "utf8");
    for (const form of forms) {
      expect(page).not.toContain(form);
      expect(api).not.toContain(form);
      expect(log).not.toContain(form);
    }
    expect(log).not.toContain(webhookUrl.split("/").pop());
  });

  it("refuses oversized, mistyped and misaddressed calls", async () => {
    const big = await fetch(webhookUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pad: "x".repeat(2 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    const xml = await fetch(webhookUrl, { method: "POST", headers: { "content-type": "application/xml" }, body: "<a/>" });
    expect(xml.status).toBe(415);
    const wrong = await fetch(`${server.url}/api/webhooks/${"Z".repeat(43)}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(wrong.status).toBe(404);
  });
});
