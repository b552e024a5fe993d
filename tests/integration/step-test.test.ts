// "Test step" on a real database and a loopback server: the run's executors and SSRF
// guard, mapping from stored samples of the steps that run before, the output scrubbed
// before it is returned or sealed and shaped like a run's, failures that store nothing,
// the time and size caps, stale samples, who may test and list, retention, key
// rotation and the per-user limit.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { sealedKeyId } from "@/lib/crypto/seal";
import type { EncryptionKey } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import type { TExecutor } from "@/lib/flows/interpreter";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import type { OutboundPolicy } from "@/lib/http/outbound-request";
import { createScrubber } from "@/lib/scrub";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { getDb } from "@/lib/server/db";
import { listStepSamples, MAX_LISTED_SAMPLES_BYTES } from "@/lib/server/flows/list-step-samples";
import { RUN_SAMPLE_DEPTH } from "@/lib/server/flows/read-step-samples";
import { saveFlowDraft } from "@/lib/server/flows/save-flow-draft";
import { openStepSample, sealStepSample } from "@/lib/server/flows/step-sample-seal";
import { testFlowStep, type TStepTestResult, type TTestFlowStepInput } from "@/lib/server/flows/test-flow-step";
import { rotateSealedValues } from "@/lib/server/keys/rotate-sealed-values";
import { SEALED_COLUMNS } from "@/lib/server/keys/sealed-columns";
import { pruneExpiredRecords } from "@/lib/server/maintenance/prune-expired-records";
import { createExecutors } from "@/lib/server/runs/executors";
import { createHttpRequestExecutor } from "@/lib/server/runs/executors/http-request";
import { buildWebhookResponse, respondOutputOf } from "@/lib/server/runs/executors/respond";
import { sealRunLogValue, writeStepLog } from "@/lib/server/runs/run-log";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.60", userAgent: "vitest" };
// '+', '/' and '=' make the URL-encoded and base64 forms differ from the raw key.
const API_KEY = "sk_live_Q7w+e/R9t=Y2u4I6o8P0aS3dF5g";
const FORMS = [API_KEY, Buffer.from(API_KEY).toString("base64"), Buffer.from(API_KEY).toString("base64url"), encodeURIComponent(API_KEY)];

let server: Server;
let base = "";
const seen: { url: string; key: string | undefined }[] = [];
/** Requests to /slow, never answered; ended after the tests. */
const hanging: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    const key = request.headers["x-api-key"] as string | undefined;
    seen.push({ url: request.url ?? "", key });
    if (request.url === "/slow") {
      hanging.push(response);
      return;
    }
    const big = /^\/big\?bytes=(\d+)$/.exec(request.url ?? "");
    if (big) {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("x".repeat(Number(big[1])));
      return;
    }
    response.writeHead(200, { "content-type": "application/json", "x-echo-key": key ?? "" });
    // A careless API that echoes the credential back in every form.
    response.end(
      JSON.stringify({
        path: request.url,
        key,
        base64: key ? Buffer.from(key).toString("base64") : null,
        encoded: key ? encodeURIComponent(key) : null,
        items: [{ id: 7, name: "first" }],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const response of hanging) response.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const allowLoopback = (): OutboundPolicy => ({ allow: parseOutboundAllowList("127.0.0.1/32") });
const withPolicy = (policy: () => OutboundPolicy) => ({ executors: { ...createExecutors(), "step.http": createHttpRequestExecutor({ policy }) } });

const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: `Step ${id}`, config, ui: { x: 0, y: 0 } });
const trigger = node("trigger", "trigger.manual", {});

let n = 0;
async function newUser(label: string): Promise<string> {
  n += 1;
  return (await getDb().user.create({ data: { email: `${label}-${n}-${randomUUID().slice(0, 6)}@example.com` }, select: { id: true } })).id;
}

/** A project with an owner, a viewer and an API-key connection, and a flow whose draft holds `steps` after a manual trigger. */
async function seed(steps: TFlowNode[], edges?: TFlowDocument["edges"]) {
  const db = getDb();
  const ownerId = await newUser("owner");
  const viewerId = await newUser("viewer");
  const project = await db.project.create({
    data: {
      name: `Step test ${n}`,
      memberships: {
        create: [
          { userId: ownerId, role: "OWNER" },
          { userId: viewerId, role: "VIEWER" },
        ],
      },
    },
    select: { id: true },
  });
  const connectionId = randomUUID();
  await db.connection.create({
    data: {
      id: connectionId,
      projectId: project.id,
      name: "Echo API",
      type: "API_KEY",
      // Bound to the echo server's origin: a credential goes only where its connection allows.
      settings: { placement: "header", fieldName: "X-Api-Key", allowedOrigins: [base] },
      secretSealed: sealConnectionSecret<"API_KEY">({ apiKey: API_KEY }, project.id, connectionId),
    },
  });
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [trigger, ...steps.map((step) => (step.config.connectionId === "$connection" ? { ...step, config: { ...step.config, connectionId } } : step))],
    edges: edges ?? steps.map((step) => ({ id: `e_${step.id}`, source: "trigger", target: step.id })),
  };
  const flow = await db.flow.create({ data: { projectId: project.id, name: `Flow ${n}`, draft: document as never }, select: { id: true } });
  return { ownerId, viewerId, projectId: project.id, flowId: flow.id, connectionId };
}

function succeeded(result: TStepTestResult) {
  if (result.status !== "succeeded") throw new Error(`expected success, got: ${result.error}`);
  return result;
}

/** Replaces the saved draft (what the editor's save would have done). */
async function setDraft(flowId: string, nodes: TFlowNode[], edges: TFlowDocument["edges"] = []) {
  const draft: TFlowDocument = { schemaVersion: 1, nodes, edges };
  await getDb().flow.update({ where: { id: flowId }, data: { draft: draft as never } });
}

async function storedSamples(flowId: string) {
  return getDb().flowStepSample.findMany({ where: { flowId }, orderBy: { nodeId: "asc" } });
}

async function appErrorOf(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("testing a step", () => {
  it("runs a Transform on the typed trigger sample, returns its output and stores it sealed", async () => {
    const s = await seed([node("shape", "step.transform", { expression: '{"total": trigger.amount * 2, "label": "order-" & trigger.id}' })]);
    const result = succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape", triggerSample: { amount: 21, id: "x9" } }, meta));
    expect(result.sample).toMatchObject({ nodeId: "shape", source: "test", output: { total: 42, label: "order-x9" }, runId: null });
    expect(result.note).toBeNull();
    const [row] = await storedSamples(s.flowId);
    expect(row).toMatchObject({ nodeId: "shape", createdById: s.ownerId });
    expect(row!.outputSealed.startsWith("v1.")).toBe(true);
    expect(row!.outputSealed).not.toContain("order-x9");
    expect(openStepSample(row!.outputSealed, s.projectId, s.flowId, "shape")).toEqual({ total: 42, label: "order-x9" });
    // Bound to its node: copied to another node (or flow), it does not open.
    expect(() => openStepSample(row!.outputSealed, s.projectId, s.flowId, "other")).toThrow();
    // A newer test replaces the older sample; one row per node.
    succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape", triggerSample: { amount: 1, id: "y" } }, meta));
    const rows = await storedSamples(s.flowId);
    expect(rows).toHaveLength(1);
    expect(openStepSample(rows[0]!.outputSealed, s.projectId, s.flowId, "shape")).toEqual({ total: 2, label: "order-y" });
    const audit = await getDb().auditEvent.findMany({ where: { projectId: s.projectId, action: "flow.step_tested" } });
    expect(audit.map((event) => event.details)).toEqual([
      { flowId: s.flowId, nodeId: "shape", type: "step.transform" },
      { flowId: s.flowId, nodeId: "shape", type: "step.transform" },
    ]);
  });

  it("sends an HTTP step through the executor with the connection's key, and keeps every form of the key out of the result and the database", async () => {
    const s = await seed([
      node("call", "step.http", { method: "GET", url: `${base}/orders`, query: [{ name: "id", value: "{{trigger.id}}" }], connectionId: "$connection" }),
    ]);
    const before = seen.length;
    const result = succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "call", triggerSample: { id: 5 } }, meta, withPolicy(allowLoopback)));
    // The key reached the server, applied after mapping.
    expect(seen.slice(before)).toEqual([{ url: "/orders?id=5", key: API_KEY }]);
    const output = result.sample.output as { status: number; body: { path: string; items: unknown[] } };
    expect(output.status).toBe(200);
    expect(output.body.path).toBe("/orders?id=5");
    expect(output.body.items).toEqual([{ id: 7, name: "first" }]);
    const [row] = await storedSamples(s.flowId);
    const stored = JSON.stringify(openStepSample(row!.outputSealed, s.projectId, s.flowId, "call"));
    const rows = [
      ...(await getDb().$queryRawUnsafe<unknown[]>("SELECT * FROM flow_step_samples")),
      ...(await getDb().$queryRawUnsafe<unknown[]>("SELECT * FROM audit_events")),
    ];
    const dump = JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value));
    for (const form of FORMS) {
      expect(JSON.stringify(result)).not.toContain(form);
      expect(stored).not.toContain(form);
      expect(dump).not.toContain(form);
    }
    expect(stored).toContain("[redacted]");
  });

  it("scrubs a pasted sample and a failure's message with the flow's secrets before storing or returning them", async () => {
    const s = await seed([
      node("call", "step.http", { method: "GET", url: `${base}/x`, connectionId: "$connection" }),
      node("boom", "step.transform", { expression: "$error(trigger.note)" }),
    ]);
    const pasted = { note: `my key is ${API_KEY}`, encoded: encodeURIComponent(API_KEY), nested: { apiKey: "anything-under-a-credential-name" } };
    const result = succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "trigger", triggerSample: pasted }, meta));
    expect(result.sample.output).toMatchObject({ note: "my key is [redacted]", nested: { apiKey: "[redacted]" } });
    const failed = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "boom", triggerSample: pasted }, meta);
    expect(failed.status).toBe("failed");
    const [row] = await storedSamples(s.flowId);
    const stored = JSON.stringify(openStepSample(row!.outputSealed, s.projectId, s.flowId, "trigger"));
    for (const form of FORMS) {
      expect(JSON.stringify(result)).not.toContain(form);
      expect(JSON.stringify(failed)).not.toContain(form);
      expect(stored).not.toContain(form);
    }
    expect(stored).not.toContain("anything-under-a-credential-name");
  });

  it("is stopped by the SSRF guard: a metadata address and a private one without the allow-list fail clearly and store nothing", async () => {
    const s = await seed([
      node("meta", "step.http", { method: "GET", url: "http://169.254.169.254/latest/meta-data/" }),
      node("local", "step.http", { method: "GET", url: `${base}/internal` }),
    ]);
    const before = seen.length;
    const metadata = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "meta", triggerSample: {} }, meta, withPolicy(allowLoopback));
    expect(metadata).toMatchObject({ status: "failed", error: expect.stringMatching(/169\.254\.169\.254.*blocked/) });
    const local = await testFlowStep(
      s.ownerId,
      { flowId: s.flowId, nodeId: "local", triggerSample: {} },
      meta,
      withPolicy(() => ({})),
    );
    expect(local).toMatchObject({ status: "failed", error: expect.stringMatching(/127\.0\.0\.1.*blocked/) });
    expect(seen.length).toBe(before);
    expect(await storedSamples(s.flowId)).toEqual([]);
    const blocked = await getDb().auditEvent.findMany({ where: { projectId: s.projectId, action: "outbound.blocked" } });
    expect(blocked.map((event) => (event.details as { nodeId: string }).nodeId).sort()).toEqual(["local", "meta"]);
    const tested = await getDb().auditEvent.findMany({ where: { projectId: s.projectId, action: "flow.step_tested" } });
    expect(tested.map((event) => event.outcome)).toEqual(["failure", "failure"]);
  });

  it("maps from the stored samples of the trigger and upstream steps, and says which sample is missing", async () => {
    const s = await seed(
      [
        node("shape", "step.transform", { expression: '{"total": trigger.amount * 2}' }),
        node("check", "step.condition", { mode: "compare", left: "{{steps.shape.output.total}}", operator: "greater_than", right: "40" }),
        node("sum", "step.transform", { expression: "steps.shape.output.total + trigger.amount" }),
      ],
      [
        { id: "e1", source: "trigger", target: "shape" },
        { id: "e2", source: "shape", target: "check" },
        { id: "e3", source: "check", target: "sum", label: "true" },
      ],
    );
    const missing = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "check" }, meta);
    expect(missing).toMatchObject({ status: "failed", error: expect.stringContaining('"Step shape" has no sample data yet') });

    succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "trigger", triggerSample: { amount: 21 } }, meta));
    // No typed sample: the trigger's stored sample is the scope's trigger.
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape" }, meta)).sample.output).toEqual({ total: 42 });
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "check" }, meta)).sample.output).toBe(true);
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "sum" }, meta)).sample.output).toBe(63);
    // A typed sample wins over the stored one for this test, and is not stored.
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "sum", triggerSample: { amount: 1 } }, meta)).sample.output).toBe(43);
    const rows = await storedSamples(s.flowId);
    expect(rows.map((row) => row.nodeId)).toEqual(["check", "shape", "sum", "trigger"]);
    expect(openStepSample(rows[3]!.outputSealed, s.projectId, s.flowId, "trigger")).toEqual({ amount: 21 });
  });

  it("keeps the previous sample when a test fails, and refuses invalid settings by name", async () => {
    const s = await seed([node("shape", "step.transform", { expression: "trigger.amount" })]);
    succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape", triggerSample: { amount: 3 } }, meta));
    await setDraft(s.flowId, [trigger, node("shape", "step.transform", { expression: '$error("nope")' })], [{ id: "e", source: "trigger", target: "shape" }]);
    const failed = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape", triggerSample: {} }, meta);
    expect(failed).toMatchObject({ status: "failed", error: expect.stringContaining("nope") });
    const [row] = await storedSamples(s.flowId);
    expect(openStepSample(row!.outputSealed, s.projectId, s.flowId, "shape")).toBe(3);

    await setDraft(s.flowId, [trigger, node("call", "step.http", { method: "GET", url: "" })], [{ id: "e", source: "trigger", target: "call" }]);
    const invalid = await appErrorOf(testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "call", triggerSample: {} }, meta));
    expect([invalid.code, invalid.message]).toEqual(["BAD_INPUT", "Fix this HTTP request step's settings before testing it: Enter a URL. (url)"]);
    const unsaved = await appErrorOf(testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "notSavedYet" }, meta));
    expect(unsaved.message).toMatch(/not in the saved draft/);
  });

  it("tests triggers, delays and Respond steps without waiting or answering anybody", async () => {
    const s = await seed([
      node("pause", "step.delay", { mode: "duration", amount: 2, unit: "hours" }),
      node("reply", "step.respond", { status: 201, headers: [{ name: "X-Order", value: "{{trigger.id}}" }], body: '{"ok": true, "id": {{trigger.id}}}' }),
    ]);
    const noSample = await appErrorOf(testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "trigger" }, meta));
    expect([noSample.code, noSample.message]).toEqual(["BAD_INPUT", "Enter a sample payload to test the trigger with."]);

    const started = Date.now();
    const delay = succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "pause", triggerSample: {} }, meta));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(delay.sample.output).toEqual({ waitedMs: 2 * 3_600_000 });
    expect(delay.note).toBe("A test does not wait: in a run, this step waits 2 hours.");

    const reply = succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "reply", triggerSample: { id: 12 } }, meta));
    // The sample is what a run's Respond step outputs; the answer itself is only a preview.
    expect(reply.sample.output).toEqual({ status: 201 });
    expect(reply.preview).toEqual({ status: 201, headers: { "x-order": "12" }, body: '{"ok": true, "id": 12}' });
    const [replyRow] = (await storedSamples(s.flowId)).filter((row) => row.nodeId === "reply");
    expect(openStepSample(replyRow!.outputSealed, s.projectId, s.flowId, "reply")).toEqual({ status: 201 });
    expect(await getDb().runState.count()).toBe(0);

    // A schedule trigger needs no typed sample: it gets what the ticker sends.
    await setDraft(s.flowId, [node("tick", "trigger.schedule", { cron: "0 9 * * *", timezone: "UTC" })]);
    const tick = succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "tick" }, meta));
    expect(Object.keys(tick.sample.output as object).sort()).toEqual(["firedAt", "scheduledFor"]);
  });

  it("refuses viewers and outsiders (outsiders: not found, like a missing flow) and stores nothing", async () => {
    const s = await seed([node("shape", "step.transform", { expression: "1" })]);
    const outsiderId = await newUser("outsider");
    const input: TTestFlowStepInput = { flowId: s.flowId, nodeId: "shape", triggerSample: {} };
    const viewer = await appErrorOf(testFlowStep(s.viewerId, input, meta));
    const outsider = await appErrorOf(testFlowStep(outsiderId, input, meta));
    const missing = await appErrorOf(testFlowStep(s.ownerId, { ...input, flowId: randomUUID() }, meta));
    expect([viewer.code, viewer.message]).toEqual(["NOT_FOUND", "Flow not found."]);
    expect([outsider.code, outsider.message]).toEqual([missing.code, missing.message]);
    expect(outsider.code).toBe("NOT_FOUND");
    expect(await storedSamples(s.flowId)).toEqual([]);
    expect(await getDb().auditEvent.count({ where: { projectId: s.projectId, action: "flow.step_tested" } })).toBe(0);
    // Listing samples is reading run data: viewers may, outsiders may not.
    expect(await listStepSamples(s.viewerId, s.flowId)).toEqual({});
    expect((await appErrorOf(listStepSamples(outsiderId, s.flowId))).code).toBe("NOT_FOUND");
  });

  it("refuses unknown input fields and oversized samples", async () => {
    const s = await seed([node("shape", "step.transform", { expression: "1" })]);
    const other = await seed([]);
    const extra = await appErrorOf(testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape", projectId: other.projectId } as TTestFlowStepInput, meta));
    expect(extra.code).toBe("BAD_INPUT");
    const big = await appErrorOf(testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape", triggerSample: { text: "x".repeat(300 * 1024) } }, meta));
    expect([big.code, big.message]).toEqual(["BAD_INPUT", "The sample payload is larger than 256 KB."]);
    expect(await storedSamples(s.flowId)).toEqual([]);
  });

  it("limits each person to 30 tests a minute", async () => {
    const s = await seed([]);
    for (let i = 0; i < 30; i += 1) succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "trigger", triggerSample: { i } }, meta));
    const limited = await appErrorOf(testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "trigger", triggerSample: { i: 31 } }, meta));
    expect(limited.code).toBe("RATE_LIMITED");
    expect(limited.message).toMatch(/^You can test steps 30 times a minute\. Try again in \d+ seconds\.$/);
    const [row] = await storedSamples(s.flowId);
    expect(openStepSample(row!.outputSealed, s.projectId, s.flowId, "trigger")).toEqual({ i: 29 });
  });
});

describe("what a test reads", () => {
  it("refuses a JSONata expression that reads a step or the trigger without sample data, instead of giving null", async () => {
    const s = await seed(
      [
        node("shape", "step.transform", { expression: '{"total": trigger.amount * 2}' }),
        node("sum", "step.transform", { expression: "steps.shape.output.total + 1" }),
        node("quoted", "step.transform", { expression: "steps.`shape`.output.total" }),
        node("gate", "step.condition", { mode: "expression", expression: "steps.shape.output.total > 10" }),
      ],
      [
        { id: "e1", source: "trigger", target: "shape" },
        { id: "e2", source: "shape", target: "sum" },
        { id: "e3", source: "shape", target: "quoted" },
        { id: "e4", source: "shape", target: "gate" },
      ],
    );
    const noTrigger = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape" }, meta);
    expect(noTrigger).toMatchObject({
      status: "failed",
      error: "This step's expression reads trigger, and the trigger has no sample data yet: test the trigger first, or enter a sample payload.",
    });
    for (const nodeId of ["sum", "quoted", "gate"]) {
      const missing = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId, triggerSample: {} }, meta);
      expect(missing, nodeId).toMatchObject({
        status: "failed",
        error: 'This step\'s expression reads steps.shape, and "Step shape" has no sample data yet: test that step first.',
      });
    }
    expect(await storedSamples(s.flowId)).toEqual([]);
    succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape", triggerSample: { amount: 21 } }, meta));
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "sum" }, meta)).sample.output).toBe(43);
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "quoted" }, meta)).sample.output).toBe(42);
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "gate" }, meta)).sample.output).toBe(true);
  });

  it("reads only the steps that run before the tested one, like a run", async () => {
    // trigger → main; trigger → side (a parallel path) → after
    const s = await seed(
      [
        node("side", "step.transform", { expression: '"side output"' }),
        node("main", "step.transform", { expression: '{"template": "{{steps.side.output}}"}' }),
        node("reader", "step.transform", { expression: "steps.side.output" }),
        node("after", "step.transform", { expression: "steps.side.output" }),
      ],
      [
        { id: "e1", source: "trigger", target: "side" },
        { id: "e2", source: "trigger", target: "main" },
        { id: "e3", source: "trigger", target: "reader" },
        { id: "e4", source: "side", target: "after" },
      ],
    );
    succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "side", triggerSample: {} }, meta));
    const template = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "main", triggerSample: {} }, meta);
    expect(template).toMatchObject({ status: "failed", error: 'This step uses {{steps.side.output}}, but "Step side" does not run before it.' });
    const expression = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "reader", triggerSample: {} }, meta);
    expect(expression).toMatchObject({ status: "failed", error: 'This step\'s expression reads steps.side, but "Step side" does not run before it.' });
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "after", triggerSample: {} }, meta)).sample.output).toBe("side output");
  });

  it("keeps step ids such as toString and constructor apart from what every object inherits", async () => {
    const s = await seed(
      [
        node("toString", "step.transform", { expression: '{"v": trigger.n}' }),
        node("constructor", "step.transform", { expression: "steps.toString.output.v + 1" }),
        node("valueOf", "step.transform", { expression: '"{{steps.hasOwnProperty.output}}"' }),
      ],
      [
        { id: "e1", source: "trigger", target: "toString" },
        { id: "e2", source: "toString", target: "constructor" },
        { id: "e3", source: "trigger", target: "valueOf" },
      ],
    );
    const early = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "constructor", triggerSample: { n: 1 } }, meta);
    expect(early).toMatchObject({
      status: "failed",
      error: 'This step\'s expression reads steps.toString, and "Step toString" has no sample data yet: test that step first.',
    });
    const unknown = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "valueOf", triggerSample: {} }, meta);
    expect(unknown).toMatchObject({ status: "failed", error: 'This step uses {{steps.hasOwnProperty.output}}, but the flow has no step "hasOwnProperty".' });
    succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "trigger", triggerSample: { n: 20 } }, meta));
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "toString" }, meta)).sample.output).toEqual({ v: 20 });
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "constructor" }, meta)).sample.output).toBe(21);
    const samples = await listStepSamples(s.viewerId, s.flowId);
    expect(Object.keys(samples).sort()).toEqual(["constructor", "toString", "trigger"]);
    expect(samples.constructor).toMatchObject({ nodeId: "constructor", output: 21 });
    expect(Object.hasOwn(samples, "valueOf")).toBe(false);
  });

  it("ignores a sample made by another type of step under the same id, and deletes samples of removed steps on save", async () => {
    const s = await seed(
      [node("a", "step.transform", { expression: "trigger.v" }), node("b", "step.transform", { expression: "steps.a.output" })],
      [
        { id: "e1", source: "trigger", target: "a" },
        { id: "e2", source: "a", target: "b" },
      ],
    );
    succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "a", triggerSample: { v: 7 } }, meta));
    expect((await storedSamples(s.flowId)).map((row) => [row.nodeId, row.nodeType])).toEqual([["a", "step.transform"]]);
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "b", triggerSample: {} }, meta)).sample.output).toBe(7);
    // "a" becomes a Condition: the Transform's output is not its sample.
    await setDraft(
      s.flowId,
      [
        trigger,
        node("a", "step.condition", { mode: "compare", left: "1", operator: "equals", right: "1" }),
        node("b", "step.transform", { expression: "steps.a.output" }),
      ],
      [
        { id: "e1", source: "trigger", target: "a" },
        { id: "e2", source: "a", target: "b", label: "true" },
      ],
    );
    const stale = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "b", triggerSample: {} }, meta);
    expect(stale).toMatchObject({
      status: "failed",
      error: 'This step\'s expression reads steps.a, and "Step a" has no sample data yet: test that step first.',
    });
    expect(Object.keys(await listStepSamples(s.ownerId, s.flowId)).sort()).toEqual(["b"]);

    // Removing a step in the editor deletes its sample with the save.
    const revision = (await getDb().flow.findUniqueOrThrow({ where: { id: s.flowId }, select: { draftRevision: true } })).draftRevision;
    await saveFlowDraft(s.ownerId, { flowId: s.flowId, revision, operations: [{ op: "remove_node", nodeId: "a" }] });
    expect((await storedSamples(s.flowId)).map((row) => row.nodeId)).toEqual(["b"]);
  });

  it("uses a manual trigger's sample payload when the trigger has no stored sample", async () => {
    const s = await seed([node("shape", "step.transform", { expression: "trigger.amount * 2" })]);
    await setDraft(
      s.flowId,
      [node("trigger", "trigger.manual", { samplePayload: { amount: 4 } }), node("shape", "step.transform", { expression: "trigger.amount * 2" })],
      [{ id: "e", source: "trigger", target: "shape" }],
    );
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape" }, meta)).sample.output).toBe(8);
    succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "trigger", triggerSample: { amount: 50 } }, meta));
    expect(succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape" }, meta)).sample.output).toBe(100);
  });

  it("stores a Respond step's sample exactly as a run outputs it, and shows the answer only as a preview", async () => {
    const config = { status: 202, headers: [{ name: "X-Key", value: "{{trigger.key}}" }], body: '{"id": {{trigger.id}}}' };
    // The HTTP step makes the connection's key one of the flow's secrets.
    const s = await seed([node("reply", "step.respond", config), node("call", "step.http", { method: "GET", url: `${base}/x`, connectionId: "$connection" })]);
    const result = succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "reply", triggerSample: { id: 3, key: API_KEY } }, meta));
    const rendered = { ...config, headers: [{ name: "X-Key", value: API_KEY }], body: '{"id": 3}' };
    expect(result.sample.output).toEqual(respondOutputOf(buildWebhookResponse(config, rendered)));
    expect(result.sample.output).toEqual({ status: 202 });
    // Scrubbed like the output: the flow's connection key does not come back.
    expect(result.preview).toEqual({ status: 202, headers: { "x-key": "[redacted]" }, body: '{"id": 3}' });
    expect(JSON.stringify(result)).not.toContain(API_KEY);
    const [row] = await storedSamples(s.flowId);
    expect(openStepSample(row!.outputSealed, s.projectId, s.flowId, "reply")).toEqual({ status: 202 });
  });
});

describe("limits of a test", () => {
  it("is blocked by the app's own outbound policy (no executors injected) and audited as this person's step test", async () => {
    const s = await seed([node("local", "step.http", { method: "GET", url: `${base}/internal` })]);
    const before = seen.length;
    const result = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "local", triggerSample: {} }, meta);
    expect(result).toMatchObject({ status: "failed", error: expect.stringMatching(/127\.0\.0\.1.*blocked/) });
    expect(seen.length).toBe(before);
    expect(await storedSamples(s.flowId)).toEqual([]);
    const blocked = await getDb().auditEvent.findMany({ where: { projectId: s.projectId, action: "outbound.blocked" } });
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.userId).toBe(s.ownerId);
    expect(blocked[0]!.details).toMatchObject({ source: "step-test", runId: "step-test", nodeId: "local", reason: "blocked_address" });
  });

  it("stops a step that outlives the test's deadline, and stores nothing", async () => {
    const s = await seed([node("stuck", "step.transform", { expression: "1" })]);
    const neverEnds: TExecutor = () => new Promise(() => undefined);
    const started = Date.now();
    const result = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "stuck", triggerSample: {} }, meta, {
      executors: { "step.transform": neverEnds },
      maxTestMs: 200,
    });
    expect(result).toMatchObject({ status: "failed", error: "The test took longer than 200 ms and was stopped." });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await storedSamples(s.flowId)).toEqual([]);
  });

  it("cuts an HTTP request off at the test's deadline", async () => {
    const s = await seed([node("slow", "step.http", { method: "GET", url: `${base}/slow`, timeoutMs: 120_000 })]);
    const started = Date.now();
    const result = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "slow", triggerSample: {} }, meta, {
      ...withPolicy(allowLoopback),
      maxTestMs: 300,
    });
    expect(result.status).toBe("failed");
    // The request's own timeout, cut to the test's, stops it before the test's deadline does.
    expect((result as { error: string }).error).not.toMatch(/The test took longer/);
    expect(Date.now() - started).toBeLessThan(1200);
  });

  it("fails on an output over 1 MB and keeps the old sample; stops reading a response at twice that", async () => {
    const s = await seed([node("call", "step.http", { method: "GET", url: `${base}/big?bytes=10` })]);
    succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "call", triggerSample: {} }, meta, withPolicy(allowLoopback)));
    const edges = [{ id: "e", source: "trigger", target: "call" }];
    await setDraft(s.flowId, [trigger, node("call", "step.http", { method: "GET", url: `${base}/big?bytes=${1_500_000}` })], edges);
    const large = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "call", triggerSample: {} }, meta, withPolicy(allowLoopback));
    expect(large).toMatchObject({ status: "failed", error: "The step's output is larger than 1 MB, too large to keep as sample data." });
    // 3 MB is more than a test reads (the step's own limit, 10 MB, is for runs).
    await setDraft(s.flowId, [trigger, node("call", "step.http", { method: "GET", url: `${base}/big?bytes=${3_000_000}` })], edges);
    const huge = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "call", triggerSample: {} }, meta, withPolicy(allowLoopback));
    expect(huge).toMatchObject({ status: "failed", error: expect.stringContaining(`exceeded the ${2 * 1024 * 1024}-byte limit`) });
    const [row] = await storedSamples(s.flowId);
    expect(openStepSample(row!.outputSealed, s.projectId, s.flowId, "call")).toMatchObject({ status: 200, body: "xxxxxxxxxx" });
  });
});

describe("listing samples", () => {
  const t0 = Date.now() - 120 * 60_000;
  const at = (minutes: number) => new Date(t0 + minutes * 60_000);

  /** Writes finished runs and stored samples the way runs and tests do. */
  function history(s: Awaited<ReturnType<typeof seed>>) {
    const db = getDb();
    const scrubber = createScrubber({ secrets: [API_KEY] });
    let number = 0;
    return {
      version: async (nodes: TFlowNode[]) => {
        number += 1;
        const document: TFlowDocument = { schemaVersion: 1, nodes, edges: [] };
        return (await db.flowVersion.create({ data: { flowId: s.flowId, number, document: document as never }, select: { id: true } })).id;
      },
      run: async (versionId: string, minutes: number, payload: unknown, outputs: Record<string, unknown>, status: "SUCCEEDED" | "RUNNING" = "SUCCEEDED") => {
        const run = await db.flowRun.create({
          data: {
            projectId: s.projectId,
            flowId: s.flowId,
            versionId,
            trigger: "manual",
            status,
            createdAt: at(minutes),
            finishedAt: status === "RUNNING" ? null : at(minutes + 1),
          },
          select: { id: true },
        });
        await db.flowRun.update({ where: { id: run.id }, data: { payloadSealed: sealRunLogValue(payload, scrubber, s.projectId, run.id, "payload") } });
        for (const [nodeId, output] of Object.entries(outputs)) {
          await writeStepLog(
            { projectId: s.projectId, runId: run.id, nodeId, status: "succeeded", attempts: 1, record: { input: {}, output }, at: at(minutes + 1) },
            scrubber,
          );
        }
        return run.id;
      },
      store: async (nodeId: string, nodeType: string, output: unknown, minutes: number) => {
        const { sealed } = sealStepSample(output, scrubber, { projectId: s.projectId, flowId: s.flowId, nodeId });
        await db.flowStepSample.create({ data: { flowId: s.flowId, nodeId, nodeType, outputSealed: sealed, createdAt: at(minutes) } });
      },
    };
  }

  it("takes each node's newer sample from its step test or its newest successful output in the last finished runs", async () => {
    const steps = ["a", "b", "c", "d"].map((id) => node(id, "step.transform", { expression: "1" }));
    const s = await seed(steps);
    const h = history(s);
    const current = await h.version([trigger, ...steps]);
    // An older version in which "d" was an HTTP request.
    const older = await h.version([trigger, ...steps.slice(0, 3), node("d", "step.http", { method: "GET", url: base })]);
    const oldest = await h.run(current, 0, { from: "old run" }, { c: "old run c" });
    await h.run(older, 5, { from: "older version" }, { d: "d as an HTTP step" });
    const latest = await h.run(current, 10, { from: "latest run", key: API_KEY }, { a: "run a", b: "run b" });
    // A failed step is not a sample, and a running run is not a finished one.
    await writeStepLog(
      { projectId: s.projectId, runId: latest, nodeId: "c", status: "failed", attempts: 1, record: { input: {}, error: "boom" }, at: at(11) },
      createScrubber({ secrets: [] }),
    );
    await h.run(current, 30, { from: "running" }, { a: "running a" }, "RUNNING");
    await h.store("a", "step.transform", "test a (older than the run)", 5);
    await h.store("b", "step.transform", "test b (newer than the run)", 20);
    await h.store("gone", "step.transform", "a node no longer in the draft", 20);
    // Tested while "d" was another type of step: not "d"'s sample now.
    await h.store("d", "step.http", { status: 200 }, 20);

    const samples = await listStepSamples(s.ownerId, s.flowId);
    expect(Object.keys(samples).sort()).toEqual(["a", "b", "c", "trigger"]);
    expect(samples.a).toEqual({ nodeId: "a", source: "run", output: "run a", at: at(11).toISOString(), runId: latest });
    expect(samples.b).toEqual({ nodeId: "b", source: "test", output: "test b (newer than the run)", at: at(20).toISOString(), runId: null });
    // The newest successful output, even when later runs did not get that far.
    expect(samples.c).toEqual({ nodeId: "c", source: "run", output: "old run c", at: at(1).toISOString(), runId: oldest });
    // The trigger's sample is the newest run's payload, scrubbed when the run stored it.
    expect(samples.trigger).toEqual({
      nodeId: "trigger",
      source: "run",
      output: { from: "latest run", key: "[redacted]" },
      at: at(10).toISOString(),
      runId: latest,
    });
  });

  it(`looks back ${RUN_SAMPLE_DEPTH} finished runs, no further`, async () => {
    const s = await seed([node("a", "step.transform", { expression: "1" }), node("b", "step.transform", { expression: "2" })]);
    const h = history(s);
    const version = await h.version([trigger, node("a", "step.transform", {}), node("b", "step.transform", {})]);
    await h.run(version, 0, {}, { a: "too old" });
    const kept = await h.run(version, 1, {}, { b: "just in reach" });
    for (let i = 0; i < RUN_SAMPLE_DEPTH - 1; i += 1) await h.run(version, 2 + i, { i }, {});
    const samples = await listStepSamples(s.ownerId, s.flowId);
    expect(Object.keys(samples).sort()).toEqual(["b", "trigger"]);
    expect(samples.b).toMatchObject({ output: "just in reach", runId: kept });
  });

  it("lets a viewer read a stored sample, trimmed to what the picker uses", async () => {
    const s = await seed([node("shape", "step.transform", { expression: "trigger" })]);
    const long = "y".repeat(1000);
    const output = succeeded(
      await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape", triggerSample: { long, items: [1, 2, 3, 4, 5], ok: true } }, meta),
    ).sample.output;
    // The test itself shows the whole output.
    expect(output).toEqual({ long, items: [1, 2, 3, 4, 5], ok: true });
    const samples = await listStepSamples(s.viewerId, s.flowId);
    expect(Object.keys(samples)).toEqual(["shape"]);
    expect(samples.shape).toMatchObject({ nodeId: "shape", source: "test", output: { long: `${"y".repeat(200)}…`, items: [1, 2, 3, "… 2 more"], ok: true } });
  });

  it(`keeps a listing under ${MAX_LISTED_SAMPLES_BYTES / 1024 / 1024} MB by leaving out the largest samples`, async () => {
    const ids = ["a", "b", "c", "d", "e"];
    const s = await seed(ids.map((id) => node(id, "step.transform", { expression: "1" })));
    const h = history(s);
    // Wide enough that trimming keeps most of it: 200 fields of 20-22 strings of 200 characters.
    const wide = (inner: number) =>
      Object.fromEntries(
        Array.from({ length: 200 }, (_, i) => [`f${i}`, Object.fromEntries(Array.from({ length: inner }, (_, j) => [`g${j}`, "z".repeat(200)]))]),
      );
    for (const id of ids) await h.store(id, "step.transform", wide(id === "c" ? 22 : 20), 1);
    const samples = await listStepSamples(s.ownerId, s.flowId);
    expect(Object.keys(samples).sort()).toEqual(["a", "b", "d", "e"]);
    expect(Buffer.byteLength(JSON.stringify(samples))).toBeLessThanOrEqual(MAX_LISTED_SAMPLES_BYTES);
  });
});

describe("keeping samples", () => {
  it("prunes samples older than the run retention, and deletes them with their flow", async () => {
    const s = await seed([node("a", "step.transform", { expression: "1" }), node("b", "step.transform", { expression: "2" })]);
    const db = getDb();
    const now = new Date();
    const scrubber = createScrubber({ secrets: [] });
    for (const [nodeId, daysAgo] of [
      ["a", 40],
      ["b", 2],
    ] as const) {
      const { sealed } = sealStepSample(nodeId, scrubber, { projectId: s.projectId, flowId: s.flowId, nodeId });
      await db.flowStepSample.create({
        data: { flowId: s.flowId, nodeId, nodeType: "step.transform", outputSealed: sealed, createdAt: new Date(now.getTime() - daysAgo * 86_400_000) },
      });
    }
    const result = await pruneExpiredRecords(365, now, { runRetentionDays: 30, runRetryWindowDays: 7 });
    expect(result.stepSamples).toBe(1);
    expect((await storedSamples(s.flowId)).map((row) => row.nodeId)).toEqual(["b"]);
    await db.flow.delete({ where: { id: s.flowId } });
    expect(await storedSamples(s.flowId)).toEqual([]);
  });

  it("is re-sealed by key rotation and still opens with its own helper", async () => {
    const s = await seed([node("shape", "step.transform", { expression: "trigger" })]);
    succeeded(await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "shape", triggerSample: { v: 1 } }, meta));
    const keyA = getAppSecrets().encryptionKeys[0]!;
    const keyB: EncryptionKey = { id: "b2028", key: randomBytes(32) };
    const columns = SEALED_COLUMNS.filter((column) => column.table === "flow_step_samples");
    expect(columns).toHaveLength(1);
    const toB = await rotateSealedValues({ ring: [keyB, keyA], columns });
    expect(toB.failures).toEqual([]);
    expect(sealedKeyId((await storedSamples(s.flowId))[0]!.outputSealed)).toBe("b2028");
    const toA = await rotateSealedValues({ ring: [keyA, keyB], columns });
    expect(toA.failures).toEqual([]);
    const [row] = await storedSamples(s.flowId);
    expect(sealedKeyId(row!.outputSealed)).toBe(keyA.id);
    expect(openStepSample(row!.outputSealed, s.projectId, s.flowId, "shape")).toEqual({ v: 1 });
  });
});
