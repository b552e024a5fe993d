// The REST API v1 against a real database, through its route handlers: every endpoint's
// happy path, each endpoint's scope, one project's key seeing nothing of another,
// idempotent run starts, strict and bounded bodies, and run records as scrubbed as the
// run page's. Every answer is checked against its documented schema (tests/support/rest-api.ts).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TApiScope } from "@/lib/api-keys/scopes";
import type { TFlowDocument } from "@/lib/flows/document";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import { toRunJson } from "@/lib/runs/run-json";
import { createApiKey } from "@/lib/server/api-keys/create-api-key";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { getDb } from "@/lib/server/db";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { createExecutors } from "@/lib/server/runs/executors";
import { createHttpRequestExecutor } from "@/lib/server/runs/executors/http-request";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { startRun } from "@/lib/server/runs/start-run";
import { callApi } from "../support/rest-api";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

const MANUAL_FLOW: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
    { id: "shape", type: "step.transform", name: "Shape", config: { expression: "{ 'marker': 'config-only-text-7731' }" }, ui: { x: 0, y: 100 } },
  ],
  edges: [{ id: "e1", source: "trigger", target: "shape" }],
};

const ALL_SCOPES: TApiScope[] = ["flows:read", "flows:run", "runs:read", "runs:write"];
type TSide = { userId: string; projectId: string; flowId: string; key: string; keyUserId: string; keyId: string };
let a: TSide;
let b: TSide;
const scopedKeys = {} as Record<TApiScope, string>;
let draftFlowId = "";

async function keyFor(userId: string, projectId: string, scopes: TApiScope[], name = scopes.join(" ")) {
  return createApiKey(userId, projectId, { name, scopes });
}

async function side(label: string): Promise<TSide> {
  const flow = await seedPublishedFlow(MANUAL_FLOW, label);
  const key = await keyFor(flow.userId, flow.projectId, ALL_SCOPES, `${label} all`);
  const row = await getDb().apiKey.findUniqueOrThrow({ where: { id: key.id }, select: { userId: true } });
  return { ...flow, key: key.key, keyId: key.id, keyUserId: row.userId };
}

const runCount = () => getDb().flowRun.count();

beforeAll(async () => {
  a = await side("api-a");
  b = await side("api-b");
  for (const scope of ALL_SCOPES) scopedKeys[scope] = (await keyFor(a.userId, a.projectId, [scope])).key;
  const draft = await getDb().flow.create({ data: { projectId: a.projectId, name: "Draft only", draft: MANUAL_FLOW as never }, select: { id: true } });
  draftFlowId = draft.id;
});

describe("happy paths", () => {
  it("lists the key's project's flows, published or not, and nothing of another project", async () => {
    const answer = await callApi("listFlows", { key: a.key });
    expect(answer.status).toBe(200);
    const flows = (answer.json as { flows: { id: string; published_version: number | null; is_active: boolean }[] }).flows;
    expect(flows.map((flow) => flow.id).sort()).toEqual([a.flowId, draftFlowId].sort());
    expect(flows.find((flow) => flow.id === a.flowId)!.published_version).toBe(1);
    expect(flows.find((flow) => flow.id === draftFlowId)!.published_version).toBeNull();
  });

  it("reads one flow with its live version's shape, never its step settings", async () => {
    const answer = await callApi("getFlow", { key: a.key, params: { flowId: a.flowId } });
    expect(answer.status).toBe(200);
    expect((answer.json as { flow: { published: unknown } }).flow.published).toEqual({
      version: 1,
      trigger_type: "trigger.manual",
      node_count: 2,
      node_types: [
        { type: "step.transform", count: 1 },
        { type: "trigger.manual", count: 1 },
      ],
    });
    // The key acts as an editor (it has write scopes), who would see the real draft in the UI.
    expect(answer.text).not.toContain("config-only-text-7731");
    const draft = await callApi("getFlow", { key: a.key, params: { flowId: draftFlowId } });
    expect((draft.json as { flow: { published: unknown } }).flow.published).toBeNull();
  });

  it("starts a run as the key's service user, and the run is visible, listable, cancellable and re-runnable", async () => {
    const before = await runCount();
    const started = await callApi("startRun", { key: a.key, params: { flowId: a.flowId }, body: { input: { orderId: "ord-1" } } });
    expect(started.status).toBe(202);
    const run = (started.json as { run: { id: string; status: string; url: string } }).run;
    expect(run.status).toBe("QUEUED");
    expect(run.url).toMatch(new RegExp(`/projects/${a.projectId}/runs/${run.id}$`));
    expect(await runCount()).toBe(before + 1);
    const row = await getDb().flowRun.findUniqueOrThrow({ where: { id: run.id }, select: { trigger: true, triggeredById: true, projectId: true } });
    expect(row).toEqual({ trigger: "manual", triggeredById: a.keyUserId, projectId: a.projectId });
    const audit = await getDb().auditEvent.findFirst({
      where: { action: "run.started", projectId: a.projectId, userId: a.keyUserId },
      select: { details: true },
    });
    expect((audit?.details as { runId?: string }).runId).toBe(run.id);

    const read = await callApi("getRun", { key: a.key, params: { runId: run.id } });
    expect(read.status).toBe(200);
    const detail = (read.json as { run: { id: string; input: unknown; steps: { node_id: string; status: string }[]; status: string } }).run;
    expect(detail).toMatchObject({ id: run.id, status: "QUEUED", input: { orderId: "ord-1" } });
    expect(detail.steps).toEqual([expect.objectContaining({ node_id: "shape", status: "pending" })]);

    const listed = await callApi("listRuns", { key: a.key, query: { status: "QUEUED", flow_id: a.flowId } });
    expect(listed.status).toBe(200);
    expect((listed.json as { runs: { id: string }[] }).runs.map((r) => r.id)).toContain(run.id);

    const cancelled = await callApi("cancelRun", { key: a.key, params: { runId: run.id } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toEqual({ run: { id: run.id, status: "CANCELLED" } });
    expect((await getDb().flowRun.findUniqueOrThrow({ where: { id: run.id }, select: { status: true } })).status).toBe("CANCELLED");

    const notFailed = await callApi("retryRun", { key: a.key, params: { runId: run.id }, body: { mode: "from_failed_step" } });
    expect(notFailed.status).toBe(409);
    const rerun = await callApi("retryRun", { key: a.key, params: { runId: run.id }, body: { mode: "from_start" } });
    expect(rerun.status).toBe(202);
    const rerunId = (rerun.json as { run: { id: string } }).run.id;
    const rerunRow = await getDb().flowRun.findUniqueOrThrow({ where: { id: rerunId }, select: { trigger: true, retryOfRunId: true, triggeredById: true } });
    expect(rerunRow).toEqual({ trigger: "rerun", retryOfRunId: run.id, triggeredById: a.keyUserId });
  });

  it("pages runs with next_cursor and refuses unknown or malformed filters", async () => {
    for (let i = 0; i < 3; i += 1) await callApi("startRun", { key: a.key, params: { flowId: a.flowId }, body: { input: { i } } });
    const first = await callApi("listRuns", { key: a.key, query: { limit: "2" } });
    const page1 = first.json as { runs: { id: string }[]; next_cursor: string | null };
    expect(page1.runs).toHaveLength(2);
    expect(page1.next_cursor).toEqual(expect.any(String));
    const second = await callApi("listRuns", { key: a.key, query: { limit: "2", cursor: page1.next_cursor! } });
    const page2 = second.json as { runs: { id: string }[] };
    expect(page2.runs.length).toBeGreaterThan(0);
    expect(page2.runs.some((run) => page1.runs.some((seen) => seen.id === run.id))).toBe(false);

    expect((await callApi("listRuns", { key: a.key, query: { flowId: a.flowId } })).status).toBe(400);
    const badTime = await callApi("listRuns", { key: a.key, query: { from: "yesterday" } });
    expect(badTime.status).toBe(400);
    expect((badTime.json as { error: { message: string } }).error.message).toMatch(/from time/);
    expect((await callApi("listRuns", { key: a.key, query: { limit: "500" } })).status).toBe(400);
    expect((await callApi("listFlows", { key: a.key, query: { page: "2" } })).status).toBe(400);
  });

  it("serves the OpenAPI document without a key", async () => {
    const answer = await callApi("getOpenApiDocument");
    expect(answer.status).toBe(200);
    expect((answer.json as { openapi: string }).openapi).toMatch(/^3\.1\./);
  });
});

describe("scopes", () => {
  const cases: { op: Parameters<typeof callApi>[0]; scope: TApiScope; call: () => Parameters<typeof callApi>[1] }[] = [
    { op: "listFlows", scope: "flows:read", call: () => ({}) },
    { op: "getFlow", scope: "flows:read", call: () => ({ params: { flowId: a.flowId } }) },
    { op: "startRun", scope: "flows:run", call: () => ({ params: { flowId: a.flowId }, body: { input: {} } }) },
    { op: "listRuns", scope: "runs:read", call: () => ({}) },
    { op: "getRun", scope: "runs:read", call: () => ({ params: { runId: crypto.randomUUID() } }) },
    { op: "cancelRun", scope: "runs:write", call: () => ({ params: { runId: crypto.randomUUID() } }) },
    { op: "retryRun", scope: "runs:write", call: () => ({ params: { runId: crypto.randomUUID() } }) },
  ];

  for (const { op, scope, call } of cases) {
    it(`${op} needs ${scope}: every other single-scope key gets 403 naming it, and the right one gets through`, async () => {
      const before = await runCount();
      for (const other of ALL_SCOPES.filter((s) => s !== scope)) {
        const answer = await callApi(op, { ...call(), key: scopedKeys[other] });
        expect(answer.status, `${op} with ${other}`).toBe(403);
        expect((answer.json as { error: { code: string; message: string } }).error).toEqual({
          code: "FORBIDDEN",
          message: `This API key lacks the "${scope}" scope.`,
        });
      }
      expect(await runCount()).toBe(before);
      const allowed = await callApi(op, { ...call(), key: scopedKeys[scope] });
      expect([200, 202, 404]).toContain(allowed.status);
    });
  }

  it("without a key, or with a session-less malformed one, every keyed operation is 401", async () => {
    for (const { op, call } of cases) {
      expect((await callApi(op, call())).status).toBe(401);
      expect((await callApi(op, { ...call(), key: "vf_not-a-real-key" })).status).toBe(401);
    }
  });
});

describe("one project's key sees nothing of another", () => {
  let bRunId = "";
  beforeAll(async () => {
    bRunId = (await startRun({ flowId: b.flowId, payload: { secretOfB: "b-only-data" }, trigger: "manual", userId: b.userId })).runId;
  });

  it("answers another project's flow and run ids exactly like missing ones", async () => {
    const missingFlow = await callApi("getFlow", { key: a.key, params: { flowId: crypto.randomUUID() } });
    const otherFlow = await callApi("getFlow", { key: a.key, params: { flowId: b.flowId } });
    expect(missingFlow.status).toBe(404);
    expect(otherFlow.status).toBe(404);
    expect(otherFlow.text).toBe(missingFlow.text);

    const missingRun = await callApi("getRun", { key: a.key, params: { runId: crypto.randomUUID() } });
    const otherRun = await callApi("getRun", { key: a.key, params: { runId: bRunId } });
    expect(otherRun.status).toBe(404);
    expect(otherRun.text).toBe(missingRun.text);
  });

  it("cannot start, cancel or retry anything of project B", async () => {
    const before = await runCount();
    expect((await callApi("startRun", { key: a.key, params: { flowId: b.flowId }, body: { input: {} } })).status).toBe(404);
    expect((await callApi("cancelRun", { key: a.key, params: { runId: bRunId } })).status).toBe(404);
    expect((await callApi("retryRun", { key: a.key, params: { runId: bRunId }, body: { mode: "from_start" } })).status).toBe(404);
    expect(await runCount()).toBe(before);
    expect((await getDb().flowRun.findUniqueOrThrow({ where: { id: bRunId }, select: { status: true } })).status).toBe("QUEUED");
  });

  it("lists none of B's runs or flows, even filtered by B's flow id", async () => {
    const all = await callApi("listRuns", { key: a.key, query: { limit: "100" } });
    const ids = (all.json as { runs: { id: string; flow_id: string }[] }).runs;
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.some((run) => run.id === bRunId || run.flow_id === b.flowId)).toBe(false);
    const filtered = await callApi("listRuns", { key: a.key, query: { flow_id: b.flowId } });
    expect(filtered.status).toBe(200);
    expect((filtered.json as { runs: unknown[] }).runs).toEqual([]);
    const byId = await callApi("listRuns", { key: a.key, query: { run: bRunId } });
    expect((byId.json as { runs: unknown[] }).runs).toEqual([]);
    const flows = await callApi("listFlows", { key: a.key });
    expect(flows.text).not.toContain(b.flowId);
  });
});

describe("idempotent run starts", () => {
  it("answers a repeat with the same run (200, one run row), and refuses the key for another input or flow (422)", async () => {
    const before = await runCount();
    const call = { key: a.key, params: { flowId: a.flowId }, headers: { "Idempotency-Key": "order-4711" }, body: { input: { order: 4711, lines: [1, 2] } } };
    const first = await callApi("startRun", call);
    expect(first.status).toBe(202);
    const runId = (first.json as { run: { id: string } }).run.id;
    const again = await callApi("startRun", call);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((again.json as { run: { id: string } }).run.id).toBe(runId);
    // The same input with its keys in another order is the same request.
    const reordered = await callApi("startRun", { ...call, body: '{"input":{"lines":[1,2],"order":4711}}' });
    expect(reordered.status).toBe(200);
    expect((reordered.json as { run: { id: string } }).run.id).toBe(runId);
    expect(await runCount()).toBe(before + 1);
    expect(await getDb().apiRunRequest.count({ where: { apiKeyId: a.keyId, idempotencyKey: "order-4711" } })).toBe(1);

    const otherInput = await callApi("startRun", { ...call, body: { input: { order: 4712 } } });
    expect(otherInput.status).toBe(422);
    expect((otherInput.json as { error: { code: string } }).error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    const otherFlow = await callApi("startRun", { ...call, params: { flowId: draftFlowId } });
    expect(otherFlow.status).toBe(422);
    expect(await runCount()).toBe(before + 1);

    // Idempotency keys belong to one API key: another key's same text is its own request.
    const otherKey = await callApi("startRun", { ...call, key: scopedKeys["flows:run"] });
    expect(otherKey.status).toBe(202);
    expect((otherKey.json as { run: { id: string } }).run.id).not.toBe(runId);
  });

  it("releases the key when nothing started, and refuses a malformed key", async () => {
    const unpublished = await callApi("startRun", { key: a.key, params: { flowId: draftFlowId }, headers: { "Idempotency-Key": "first-try" }, body: {} });
    expect(unpublished.status).toBe(400);
    expect(await getDb().apiRunRequest.count({ where: { apiKeyId: a.keyId, idempotencyKey: "first-try" } })).toBe(0);
    const later = await callApi("startRun", { key: a.key, params: { flowId: a.flowId }, headers: { "Idempotency-Key": "first-try" }, body: {} });
    expect(later.status).toBe(202);

    expect((await callApi("startRun", { key: a.key, params: { flowId: a.flowId }, headers: { "Idempotency-Key": "x".repeat(201) }, body: {} })).status).toBe(
      400,
    );
    expect((await callApi("startRun", { key: a.key, params: { flowId: a.flowId }, headers: { "Idempotency-Key": "has space" }, body: {} })).status).toBe(400);
  });

  it("starts a new run once the 24-hour window has passed", async () => {
    const call = { key: a.key, params: { flowId: a.flowId }, headers: { "Idempotency-Key": "old-key" }, body: { input: {} } };
    const first = (await callApi("startRun", call)).json as { run: { id: string } };
    await getDb().apiRunRequest.updateMany({
      where: { apiKeyId: a.keyId, idempotencyKey: "old-key" },
      data: { createdAt: new Date(Date.now() - 25 * 3600_000) },
    });
    const later = await callApi("startRun", call);
    expect(later.status).toBe(202);
    expect((later.json as { run: { id: string } }).run.id).not.toBe(first.run.id);
  });
});

describe("strict and bounded bodies", () => {
  it("refuses unknown fields (a forged projectId among them) and starts nothing", async () => {
    const before = await runCount();
    const unknown = await callApi("startRun", { key: a.key, params: { flowId: a.flowId }, body: { input: {}, projectId: b.projectId } });
    expect(unknown.status).toBe(400);
    expect((unknown.json as { error: { code: string; issues: { message: string }[] } }).error.issues[0]!.message).toMatch(/Unknown field: projectId/);
    expect((await callApi("startRun", { key: a.key, params: { flowId: a.flowId }, body: { payload: {} } })).status).toBe(400);
    expect((await callApi("startRun", { key: a.key, params: { flowId: a.flowId }, body: { input: [1, 2] } })).status).toBe(400);
    expect((await callApi("startRun", { key: a.key, params: { flowId: a.flowId }, body: "{not json" })).status).toBe(400);
    expect((await callApi("retryRun", { key: a.key, params: { runId: crypto.randomUUID() }, body: { mode: "sideways" } })).status).toBe(400);
    expect((await callApi("cancelRun", { key: a.key, params: { runId: crypto.randomUUID() }, body: { force: true } })).status).toBe(400);
    expect(await runCount()).toBe(before);
  });

  it("answers 415 for a body that is not JSON and 413 for one over 1 MB, starting nothing", async () => {
    const before = await runCount();
    const form = await callApi("startRun", {
      key: a.key,
      params: { flowId: a.flowId },
      body: "input=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
    const huge = await callApi("startRun", { key: a.key, params: { flowId: a.flowId }, body: { input: { blob: "x".repeat(1024 * 1024) } } });
    expect(huge.status).toBe(413);
    expect((huge.json as { error: { code: string } }).error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(await runCount()).toBe(before);
  });
});

describe("run records are the run page's scrubbed records", () => {
  const SECRET = "s3cr3t-Api_Token/for+rest=api9";
  const BEARER_LINE = `Authorization: Bearer ${SECRET}`;
  let server: Server;
  let base = "";

  beforeAll(async () => {
    server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ orderId: "ord-9", echoed: BEARER_LINE, token: SECRET }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("shows a connection secret echoed into a step's output redacted, exactly as the UI's data layer gives it", async () => {
    const db = getDb();
    const connectionId = crypto.randomUUID();
    await db.connection.create({
      data: {
        id: connectionId,
        projectId: a.projectId,
        name: "Echo",
        type: "BEARER",
        settings: { allowedOrigins: [base] },
        secretSealed: sealConnectionSecret({ token: SECRET }, a.projectId, connectionId),
      },
    });
    const document: TFlowDocument = {
      schemaVersion: 1,
      nodes: [
        { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
        { id: "call", type: "step.http", name: "Call", config: { method: "GET", url: `${base}/echo`, connectionId }, ui: { x: 0, y: 0 } },
      ],
      edges: [{ id: "e1", source: "trigger", target: "call" }],
    };
    const flow = await db.flow.create({ data: { projectId: a.projectId, name: "Echo flow", draft: document as never }, select: { id: true } });
    const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as never }, select: { id: true } });
    await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });

    const started = await callApi("startRun", { key: a.key, params: { flowId: flow.id }, body: { input: { note: `caller pasted ${BEARER_LINE}` } } });
    const runId = (started.json as { run: { id: string } }).run.id;
    // Only this run is due: the others of this file are set aside.
    await db.flowRun.updateMany({ where: { status: "QUEUED", id: { not: runId } }, data: { status: "CANCELLED", finishedAt: new Date() } });
    const executors = { ...createExecutors(), "step.http": createHttpRequestExecutor({ policy: () => ({ allow: parseOutboundAllowList("127.0.0.1/32") }) }) };
    expect(await claimNextRun("api-test", 5)).toBe(runId);
    expect(await executeRun(runId, { owner: "api-test", executors, secretsFor: listRunSecrets })).not.toBe("suspended");

    const answer = await callApi("getRun", { key: a.key, params: { runId } });
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain(SECRET);
    const run = (
      answer.json as { run: { status: string; input: unknown; steps: { node_id: string; record: { output?: { body?: Record<string, unknown> } } | null }[] } }
    ).run;
    expect(run.status).toBe("SUCCEEDED");
    const body = run.steps.find((step) => step.node_id === "call")!.record!.output!.body!;
    expect(body.orderId).toBe("ord-9");
    expect(body.token).toBe("[redacted]");
    expect(String(body.echoed)).not.toContain(SECRET);

    // The same records as the run page's data (getRun as the project's owner, in the page's wire format).
    const ui = toRunJson(await getRun(a.userId, runId), new Date());
    expect(run.steps.map((step) => step.record)).toEqual(ui.steps.map((step) => step.record));
    expect(run.input).toEqual(ui.payload);
  });
});
