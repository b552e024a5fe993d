// Webhook abuse, played by an outsider who knows (or guesses) webhook addresses:
// floods one address, probes many tokens from one client, holds many synchronous
// calls open at once, and leaves idempotency keys behind. Each must be bounded
// without losing an accepted request, and a waiting call must be woken by the run's
// event, not by hammering the database.
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { getDb } from "@/lib/server/db";
import { pruneExpiredRecords } from "@/lib/server/maintenance/prune-expired-records";
import { startEmbeddedDriver, type TEmbeddedDriver } from "@/lib/server/runs/embedded/embedded-driver";
import { RESPONSE_STATE_KEY, sealRunState } from "@/lib/server/runs/run-state";
import { createExecutors } from "@/lib/server/runs/executors";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { createWebhookAddress } from "@/lib/server/webhooks/create-webhook-address";
import { receiveWebhook, type TWebhookAnswer } from "@/lib/server/webhooks/receive-webhook";
import { POST } from "@/app/api/webhooks/[token]/route";
import { setupTestDatabase } from "../support/setup-test-database";

// Small limits, set before lib/env.ts first reads the environment (it caches).
vi.hoisted(() => {
  process.env.WEBHOOK_RATE_PER_ADDRESS = "5";
  process.env.WEBHOOK_RATE_PER_CLIENT = "12";
  process.env.WEBHOOK_WAITERS_PER_PROJECT = "2";
});

const database = setupTestDatabase();
// tests/support/test-database.ts: a PostgreSQL server when TEST_DATABASE_URL is set, else embedded.
const isServerDatabase = Boolean(process.env.TEST_DATABASE_URL);
const meta = { ip: "192.0.2.44", userAgent: "vitest" };
const drivers: TEmbeddedDriver[] = [];
afterAll(async () => {
  for (const driver of drivers) await driver.stop();
  const { stopRunEventListener } = await import("@/lib/server/runs/run-events").catch(() => ({ stopRunEventListener: async () => {} }));
  await stopRunEventListener();
});

function startDriver(): TEmbeddedDriver {
  const driver = startEmbeddedDriver({ executors: createExecutors(), secretsFor: listRunSecrets, pollMs: 50 });
  drivers.push(driver);
  return driver;
}

let n = 0;
const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } });

/** A project with `flows` webhook flows; with `respond`, each answers through a Respond step. */
async function webhookProject(options: { respond?: boolean; flows?: number; responseTimeoutMs?: number; expression?: string } = {}) {
  const db = getDb();
  n += 1;
  const user = await db.user.create({ data: { email: `abuse-${n}@example.com` }, select: { id: true } });
  const project = await db.project.create({ data: { name: `Abuse ${n}`, memberships: { create: { userId: user.id, role: "OWNER" } } }, select: { id: true } });
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      node("trigger", "trigger.webhook", {
        respondMode: options.respond ? "respond_step" : "immediately",
        responseTimeoutMs: options.responseTimeoutMs ?? 20_000,
      }),
      node("shape", "step.transform", { expression: options.expression ?? "{ 'greeting': 'hello ' & trigger.body.name }" }),
      ...(options.respond ? [node("answer", "step.respond", { status: 201, headers: [], body: "{{steps.shape.output}}" })] : []),
    ],
    edges: [{ id: "e1", source: "trigger", target: "shape" }, ...(options.respond ? [{ id: "e2", source: "shape", target: "answer" }] : [])],
  };
  const hooks = [];
  for (let i = 0; i < (options.flows ?? 1); i += 1) {
    const flow = await db.flow.create({ data: { projectId: project.id, name: `Hook ${i}`, draft: document as never, isActive: true }, select: { id: true } });
    const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as never }, select: { id: true } });
    await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
    const { url } = await createWebhookAddress(user.id, { flowId: flow.id }, meta);
    hooks.push({ flowId: flow.id, token: url.split("/").pop()! });
  }
  return { projectId: project.id, hooks };
}

/** Through the route handler, as server.ts hands it a request (it sets the client address header). */
async function post(token: string, clientIp: string, headers: Record<string, string> = {}): Promise<Response> {
  const request = new Request(`http://localhost/api/webhooks/${token}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-vaultflow-client-ip": clientIp, ...headers },
    body: JSON.stringify({ name: "flood" }),
  });
  return POST(request, { params: Promise.resolve({ token }) });
}

function call(token: string, clientIp: string, options: { pollMs?: number; headers?: Record<string, string> } = {}): Promise<TWebhookAnswer> {
  return receiveWebhook(
    {
      token,
      method: "POST",
      headers: new Headers({ "content-type": "application/json", ...options.headers }),
      body: Buffer.from(JSON.stringify({ name: "Ada" })),
      query: new URLSearchParams(),
      clientIp,
    } as Parameters<typeof receiveWebhook>[0],
    { pollMs: options.pollMs ?? 20 },
  );
}

const runsOf = (flowId: string) => getDb().flowRun.count({ where: { flowId } });

async function runIdsOf(flowId: string, count: number): Promise<string[]> {
  for (let i = 0; i < 200; i += 1) {
    const runs = await getDb().flowRun.findMany({ where: { flowId }, select: { id: true } });
    if (runs.length >= count) return runs.map((run) => run.id);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the run was not queued");
}

describe("webhook abuse", () => {
  it("refuses a burst past the per-address limit with 429 and Retry-After, and starts no run for it", async () => {
    const { hooks } = await webhookProject();
    const token = hooks[0]!.token;
    // Many clients (a botnet, or one attacker behind many addresses) on one address.
    const answers = [];
    for (let i = 0; i < 9; i += 1) answers.push(await post(token, `198.51.100.${i + 1}`));
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202, 429, 429, 429, 429]);
    const refused = answers[5]!;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as { error: string }).error).toMatch(/too many requests to this webhook address.*try again in \d+ seconds?/i);
    expect(await runsOf(hooks[0]!.flowId)).toBe(5);
  });

  it("limits one client probing many tokens, and then refuses its real calls too", async () => {
    const { hooks } = await webhookProject();
    const attacker = "203.0.113.66";
    const statuses = [];
    for (let i = 0; i < 14; i += 1) statuses.push((await post(`${"x".repeat(8)}${String(i).padStart(35, "0")}`, attacker)).status);
    // Unknown tokens still read 404 while the client is within its limit; past it, 429.
    expect(statuses.slice(0, 12)).toEqual(Array(12).fill(404));
    expect(statuses.slice(12)).toEqual([429, 429]);
    const real = await post(hooks[0]!.token, attacker);
    expect(real.status).toBe(429);
    expect(Number(real.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await runsOf(hooks[0]!.flowId)).toBe(0);
    // Another client is not affected by the attacker's spent budget.
    expect((await post(hooks[0]!.token, "203.0.113.67")).status).toBe(202);
  });

  it("counts an IPv6 client by its /64, so rotating addresses inside it buys no extra calls", async () => {
    // Three addresses, so the per-address limit (5) is not what stops it; the client's (12) is.
    const { hooks } = await webhookProject({ flows: 3 });
    const answers = [];
    // One holder of 2001:db8:abcd:12::/64, a new address per call.
    for (let i = 0; i < 14; i += 1) answers.push(await post(hooks[i % 3]!.token, `2001:db8:abcd:12:${(i + 1).toString(16)}::${i + 7}`));
    expect(answers.map((answer) => answer.status)).toEqual([...Array(12).fill(202), 429, 429]);
    expect(((await answers[12]!.json()) as { error: string }).error).toMatch(/too many webhook requests from your address/i);
    let runs = 0;
    for (const hook of hooks) runs += await runsOf(hook.flowId);
    expect(runs).toBe(12);
    // Its neighbour in another /64 is a different client.
    expect((await post(hooks[2]!.token, "2001:db8:abcd:13::1")).status).toBe(202);
  });

  it("refuses concurrent waiters past the project's cap before starting a run, and loses none", async () => {
    // No driver yet: the runs stay queued, so the first two calls stay waiting.
    const { hooks } = await webhookProject({ respond: true, flows: 3 });
    const waiting = [call(hooks[0]!.token, "192.0.2.10"), call(hooks[1]!.token, "192.0.2.11")];
    await runIdsOf(hooks[0]!.flowId, 1);
    await runIdsOf(hooks[1]!.flowId, 1);
    const refused = await call(hooks[2]!.token, "192.0.2.12", { headers: { "idempotency-key": "order-1" } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers?.["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(await runsOf(hooks[2]!.flowId)).toBe(0);
    expect(await getDb().webhookRequest.count({ where: { flowId: hooks[2]!.flowId } })).toBe(0);

    startDriver();
    const answers = await Promise.all(waiting);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    expect(answers.map((answer) => JSON.parse(answer.raw!))).toEqual([{ greeting: "hello Ada" }, { greeting: "hello Ada" }]);
    // The refused caller retries with the same key: a fresh run, not a "duplicate" of nothing.
    const retried = await call(hooks[2]!.token, "192.0.2.12", { headers: { "idempotency-key": "order-1" } });
    expect(retried.status).toBe(201);
    expect(await runsOf(hooks[2]!.flowId)).toBe(1);
  });

  it("wakes a waiting call when its run responds, not at the next poll", async () => {
    if (drivers.length === 0) startDriver();
    const { hooks } = await webhookProject({ respond: true, responseTimeoutMs: 10_000 });
    // The slow fallback poll is longer than the call's timeout: only the run's event can
    // deliver the answer in time.
    const answer = await call(hooks[0]!.token, "192.0.2.20", { pollMs: 30_000 });
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.raw!)).toEqual({ greeting: "hello Ada" });
  });

  it("wakes a waiting call when its run ends without responding, not at the next poll", async () => {
    if (drivers.length === 0) startDriver();
    const { hooks } = await webhookProject({ respond: true, responseTimeoutMs: 10_000, expression: '$error("refused")' });
    const answer = await call(hooks[0]!.token, "192.0.2.21", { pollMs: 30_000 });
    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ error: "The flow ended without responding." });
  });

  // The embedded database is one process (and one PostgreSQL session, which pglite-socket
  // does not forward notifications from): there is no other instance to tell or hear.
  it.skipIf(!isServerDatabase)("announces a Respond answer and the end of an awaited run to other instances, after they are committed", async () => {
    // A call waiting in this process takes the answer from memory, and nothing is stored
    // or announced for it. So here the call gives up first (no driver runs the flow within
    // its 1 s), as when its run executes on another instance: the Respond step then stores
    // and announces the answer for whichever instance waits.
    for (const driver of drivers.splice(0)) await driver.stop();
    const listener = new pg.Client({ connectionString: database.current().connectionString });
    await listener.connect();
    const heard: { runId: string; status: string }[] = [];
    const checks: Promise<unknown>[] = [];
    const reader = new pg.Client({ connectionString: database.current().connectionString });
    await reader.connect();
    try {
      listener.on("notification", (message) => {
        if (message.channel !== "vaultflow_run_events" || !message.payload) return;
        const runId = message.payload;
        // What another instance reads when it wakes: the data must already be there.
        checks.push(
          reader
            .query<{ status: string }>(`SELECT status::text AS status FROM flow_runs WHERE id = $1`, [runId])
            .then(({ rows }) => heard.push({ runId, status: rows[0]?.status ?? "missing" })),
        );
      });
      await listener.query("LISTEN vaultflow_run_events");
      const { hooks } = await webhookProject({ respond: true, responseTimeoutMs: 1000 });
      const answer = await call(hooks[0]!.token, "192.0.2.22");
      expect(answer.status).toBe(202);
      const runId = (answer.body as { runId: string }).runId;
      startDriver();
      for (let i = 0; i < 100 && heard.filter((event) => event.runId === runId).length < 2; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        await Promise.all(checks);
      }
      const events = heard.filter((event) => event.runId === runId);
      // The answer, then the run's end; each heard once committed (the end one reads SUCCEEDED).
      expect(events.length).toBeGreaterThanOrEqual(2);
      expect(events.at(-1)!.status).toBe("SUCCEEDED");
    } finally {
      await listener.end();
      await reader.end();
    }
  });

  it.skipIf(!isServerDatabase)("wakes a waiting call on a Respond answer written by another instance (PostgreSQL NOTIFY)", async () => {
    // The runs of this project are claimed by no driver in this process: the answer is
    // written from a separate connection, as another app instance's Respond step does.
    for (const driver of drivers.splice(0)) await driver.stop();
    const { projectId, hooks } = await webhookProject({ respond: true, responseTimeoutMs: 10_000 });
    const pending = call(hooks[0]!.token, "192.0.2.30", { pollMs: 30_000 });
    const [runId] = await runIdsOf(hooks[0]!.flowId, 1);
    // Give the waiter time to check once and go to sleep on its fallback poll.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const other = new pg.Client({ connectionString: database.current().connectionString });
    await other.connect();
    try {
      const sealed = sealRunState({ status: 203, headers: {}, body: "from elsewhere" }, projectId, runId!, RESPONSE_STATE_KEY);
      await other.query("BEGIN");
      await other.query(`INSERT INTO run_state ("runId", "stepKey", "valueSealed", "createdAt") VALUES ($1, $2, $3, now())`, [
        runId,
        RESPONSE_STATE_KEY,
        sealed,
      ]);
      await other.query("SELECT pg_notify('vaultflow_run_events', $1)", [runId]);
      await other.query("COMMIT");
    } finally {
      await other.end();
    }
    const answer = await pending;
    expect(answer.status).toBe(203);
    expect(answer.raw).toBe("from elsewhere");
  });

  it("prunes idempotency keys past their 24-hour window and keeps recent ones", async () => {
    const { hooks } = await webhookProject();
    const flowId = hooks[0]!.flowId;
    const now = new Date();
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 60 * 60 * 1000);
    const runId = "00000000-0000-4000-8000-000000000001";
    await getDb().webhookRequest.createMany({
      data: [
        { flowId, idempotencyKey: "old-1", runId, createdAt: hoursAgo(25) },
        { flowId, idempotencyKey: "old-2", runId, createdAt: hoursAgo(24 * 30) },
        { flowId, idempotencyKey: "recent", runId, createdAt: hoursAgo(23) },
      ],
    });
    const pruned = await pruneExpiredRecords(365, now);
    expect((pruned as { webhookRequests?: number }).webhookRequests).toBe(2);
    const left = await getDb().webhookRequest.findMany({ where: { flowId }, select: { idempotencyKey: true } });
    expect(left.map((row) => row.idempotencyKey)).toEqual(["recent"]);
  });
});
