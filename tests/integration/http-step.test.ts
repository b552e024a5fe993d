// The HTTP request step end to end on a real database and a loopback server: mapping,
// the connection's credential applied after mapping, secrets removed from the output
// at the source, retries on 5xx, and the SSRF guard (blocked without the allow-list).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import type { OutboundPolicy } from "@/lib/http/outbound-request";
import { getDb } from "@/lib/server/db";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { createHttpRequestExecutor } from "@/lib/server/runs/executors/http-request";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { startRun } from "@/lib/server/runs/start-run";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const TOKEN = "tok_live_9f8e7d6c5b4a39281706abcdef";
let server: Server;
let base = "";
const seen: { url: string; authorization?: string }[] = [];
let failuresLeft = 0;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    seen.push({ url: request.url ?? "", authorization: request.headers.authorization });
    if (request.url?.startsWith("/flaky") && failuresLeft > 0) {
      failuresLeft -= 1;
      response.writeHead(503, { "retry-after": "0" }).end("busy");
      return;
    }
    response.writeHead(200, { "content-type": "application/json" });
    // Echoes what it received, as some APIs do (and httpbin-like services always do).
    response.end(JSON.stringify({ path: request.url, youSent: request.headers.authorization ?? null, ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const allowLoopback = () => ({ allow: parseOutboundAllowList("127.0.0.1/32") });
let n = 0;

async function seed(url: string, withConnection: boolean) {
  const db = getDb();
  n += 1;
  const user = await db.user.create({ data: { email: `http-${n}@example.com` }, select: { id: true } });
  const project = await db.project.create({ data: { name: `Http ${n}`, memberships: { create: { userId: user.id, role: "OWNER" } } }, select: { id: true } });
  let connectionId: string | null = null;
  if (withConnection) {
    const id = crypto.randomUUID();
    await db.connection.create({
      // Bound to the loopback server's origin: a credential goes only where its connection allows.
      data: {
        id,
        projectId: project.id,
        name: "API",
        type: "BEARER",
        settings: { allowedOrigins: [base] },
        secretSealed: sealConnectionSecret({ token: TOKEN }, project.id, id),
      },
    });
    connectionId = id;
  }
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
      {
        id: "call",
        type: "step.http",
        name: "Call",
        config: {
          method: "GET",
          url,
          query: [{ name: "id", value: "{{trigger.id}}" }],
          headers: [{ name: "Authorization", value: "{{trigger.spoof}}" }],
          connectionId,
        },
        ui: { x: 0, y: 0 },
      },
    ],
    edges: [{ id: "e1", source: "trigger", target: "call" }],
  };
  const flow = await db.flow.create({ data: { projectId: project.id, name: "F", draft: document as never }, select: { id: true } });
  const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as never }, select: { id: true } });
  await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
  return { userId: user.id, projectId: project.id, flowId: flow.id };
}

async function runOnce(seeded: { userId: string; flowId: string }, policy: () => OutboundPolicy = allowLoopback) {
  const { runId } = await startRun({ flowId: seeded.flowId, payload: { id: 7, spoof: "Bearer attacker" }, trigger: "manual", userId: seeded.userId });
  expect(await claimNextRun("w", 5)).toBe(runId);
  await executeRun(runId, { owner: "w", executors: { "step.http": createHttpRequestExecutor({ policy }) }, secretsFor: listRunSecrets });
  return getRun(seeded.userId, runId);
}

describe("HTTP request step", () => {
  it("maps the query, applies the connection after mapping and keeps its token out of the output", async () => {
    const seeded = await seed(`${base}/items`, true);
    const run = await runOnce(seeded);
    expect(run.status).toBe("SUCCEEDED");
    // The credential replaced the mapped Authorization header; the server got the real token.
    expect(seen.at(-1)).toEqual({ url: "/items?id=7", authorization: `Bearer ${TOKEN}` });
    const output = run.steps[0]!.record!.output as { status: number; body: { youSent: string; path: string } };
    expect(output.status).toBe(200);
    expect(output.body.path).toBe("/items?id=7");
    expect(output.body.youSent).not.toContain(TOKEN);
    // Nothing stored anywhere holds the token.
    const dump =
      JSON.stringify(await getDb().$queryRawUnsafe("SELECT * FROM run_state")) + JSON.stringify(await getDb().$queryRawUnsafe("SELECT * FROM flow_run_steps"));
    expect(dump).not.toContain(TOKEN);
  });

  it("retries 503 with backoff and then succeeds", async () => {
    failuresLeft = 1;
    const seeded = await seed(`${base}/flaky`, false);
    const db = getDb();
    const { runId } = await startRun({ flowId: seeded.flowId, payload: { id: 1, spoof: "" }, trigger: "manual", userId: seeded.userId });
    let offset = 0;
    for (let pass = 0; pass < 5; pass += 1) {
      expect(await claimNextRun(`w${pass}`, 5)).toBe(runId);
      const outcome = await executeRun(runId, {
        owner: `w${pass}`,
        executors: { "step.http": createHttpRequestExecutor({ policy: allowLoopback }) },
        secretsFor: listRunSecrets,
        now: () => new Date(Date.now() + offset),
      });
      if (outcome !== "suspended") break;
      const { wakeAt } = await db.flowRun.findUniqueOrThrow({ where: { id: runId }, select: { wakeAt: true } });
      offset = wakeAt!.getTime() - Date.now() + 1000;
      await db.flowRun.update({ where: { id: runId }, data: { wakeAt: new Date(0) } });
    }
    const run = await getRun(seeded.userId, runId);
    expect([run.status, run.steps[0]!.attempts]).toEqual(["SUCCEEDED", 2]);
  });

  it("is blocked by the SSRF guard without the allow-list, and the block is audited", async () => {
    const seeded = await seed(`${base}/internal`, false);
    const before = seen.length;
    const run = await runOnce(seeded, () => ({}));
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(/127\.0\.0\.1/);
    expect(seen.length).toBe(before);
    const audit = await getDb().auditEvent.findFirst({ where: { projectId: seeded.projectId, action: "outbound.blocked" } });
    expect(audit?.details).toMatchObject({ reason: "blocked_address" });
  });
});
