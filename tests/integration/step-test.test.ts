// "Test step" on a real database and a loopback server: the run's executors and SSRF
// guard, mapping from stored samples, the output scrubbed before it is returned or
// sealed, failures that store nothing, who may test and list, retention, key rotation
// and the per-user limit.
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { sealedKeyId } from "@/lib/crypto/seal";
import type { EncryptionKey } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import type { OutboundPolicy } from "@/lib/http/outbound-request";
import { createScrubber } from "@/lib/scrub";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { getDb } from "@/lib/server/db";
import { listStepSamples } from "@/lib/server/flows/list-step-samples";
import { openStepSample, sealStepSample } from "@/lib/server/flows/step-sample-seal";
import { testFlowStep, type TStepTestResult, type TTestFlowStepInput } from "@/lib/server/flows/test-flow-step";
import { rotateSealedValues } from "@/lib/server/keys/rotate-sealed-values";
import { SEALED_COLUMNS } from "@/lib/server/keys/sealed-columns";
import { pruneExpiredRecords } from "@/lib/server/maintenance/prune-expired-records";
import { createExecutors } from "@/lib/server/runs/executors";
import { createHttpRequestExecutor } from "@/lib/server/runs/executors/http-request";
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

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    const key = request.headers["x-api-key"] as string | undefined;
    seen.push({ url: request.url ?? "", key });
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
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
    data: { name: `Step test ${n}`, memberships: { create: [{ userId: ownerId, role: "OWNER" }, { userId: viewerId, role: "VIEWER" }] } },
    select: { id: true },
  });
  const connectionId = randomUUID();
  await db.connection.create({
    data: {
      id: connectionId,
      projectId: project.id,
      name: "Echo API",
      type: "API_KEY",
      settings: { placement: "header", fieldName: "X-Api-Key", testUrl: "" },
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
    const rows = [...(await getDb().$queryRawUnsafe<unknown[]>("SELECT * FROM flow_step_samples")), ...(await getDb().$queryRawUnsafe<unknown[]>("SELECT * FROM audit_events"))];
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
    const local = await testFlowStep(s.ownerId, { flowId: s.flowId, nodeId: "local", triggerSample: {} }, meta, withPolicy(() => ({})));
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
    expect(reply.sample.output).toEqual({ status: 201, headers: { "x-order": "12" }, body: '{"ok": true, "id": 12}' });
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

describe("listing samples", () => {
  it("takes each node's newer sample from its step test or the latest finished run, and opens only that run", async () => {
    const s = await seed([node("a", "step.transform", { expression: "1" }), node("b", "step.transform", { expression: "2" }), node("c", "step.transform", { expression: "3" })]);
    const db = getDb();
    const version = await db.flowVersion.create({ data: { flowId: s.flowId, number: 1, document: {} }, select: { id: true } });
    const scrubber = createScrubber({ secrets: [API_KEY] });
    const t0 = Date.now() - 60 * 60_000;
    const at = (minutes: number) => new Date(t0 + minutes * 60_000);
    const finishedRun = async (minutes: number, payload: unknown, outputs: Record<string, unknown>) => {
      const run = await db.flowRun.create({
        data: { projectId: s.projectId, flowId: s.flowId, versionId: version.id, trigger: "manual", status: "SUCCEEDED", createdAt: at(minutes), finishedAt: at(minutes + 1) },
        select: { id: true },
      });
      await db.flowRun.update({ where: { id: run.id }, data: { payloadSealed: sealRunLogValue(payload, scrubber, s.projectId, run.id, "payload") } });
      for (const [nodeId, output] of Object.entries(outputs)) {
        await writeStepLog({ projectId: s.projectId, runId: run.id, nodeId, status: "succeeded", attempts: 1, record: { input: {}, output }, at: at(minutes + 1) }, scrubber);
      }
      return run.id;
    };
    const store = async (nodeId: string, output: unknown, minutes: number) => {
      const { sealed } = sealStepSample(output, scrubber, { projectId: s.projectId, flowId: s.flowId, nodeId });
      await db.flowStepSample.create({ data: { flowId: s.flowId, nodeId, outputSealed: sealed, createdAt: at(minutes) } });
    };
    await finishedRun(0, { from: "old run" }, { c: "old run c" });
    const latest = await finishedRun(10, { from: "latest run", key: API_KEY }, { a: "run a", b: "run b" });
    // Still running: not a finished run, so not a source.
    await db.flowRun.create({ data: { projectId: s.projectId, flowId: s.flowId, versionId: version.id, trigger: "manual", status: "RUNNING", createdAt: at(30) } });
    await store("a", "test a (older than the run)", 5);
    await store("b", "test b (newer than the run)", 20);
    await store("gone", "a node no longer in the draft", 20);

    const samples = await listStepSamples(s.ownerId, s.flowId);
    expect(Object.keys(samples).sort()).toEqual(["a", "b", "trigger"]);
    expect(samples.a).toEqual({ nodeId: "a", source: "run", output: "run a", at: at(11).toISOString(), runId: latest });
    expect(samples.b).toEqual({ nodeId: "b", source: "test", output: "test b (newer than the run)", at: at(20).toISOString(), runId: null });
    // The trigger's sample is the run's payload, scrubbed when the run stored it.
    expect(samples.trigger).toEqual({ nodeId: "trigger", source: "run", output: { from: "latest run", key: "[redacted]" }, at: at(10).toISOString(), runId: latest });
  });
});

describe("keeping samples", () => {
  it("prunes samples older than the run retention, and deletes them with their flow", async () => {
    const s = await seed([node("a", "step.transform", { expression: "1" }), node("b", "step.transform", { expression: "2" })]);
    const db = getDb();
    const now = new Date();
    const scrubber = createScrubber({ secrets: [] });
    for (const [nodeId, daysAgo] of [["a", 40], ["b", 2]] as const) {
      const { sealed } = sealStepSample(nodeId, scrubber, { projectId: s.projectId, flowId: s.flowId, nodeId });
      await db.flowStepSample.create({ data: { flowId: s.flowId, nodeId, outputSealed: sealed, createdAt: new Date(now.getTime() - daysAgo * 86_400_000) } });
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
