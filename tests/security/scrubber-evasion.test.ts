// A hostile flow author versus the scrubber. The author cannot read a connection's
// secret, but controls an upstream service that receives it: the service echoes the key
// back in forms the old HTTP-step filter did not know (hex in any case, base64url,
// unpadded base64, base64 inside a larger blob at each byte offset, double and triple
// URL-encoding), and the flow sends the HTTP answer to whoever called its webhook
// (webhook → HTTP with the connection → Respond with `{{steps.http.output}}`). Nobody
// signs in: the webhook caller is the attacker. The key must reach the caller, the run
// page, the run API, the editor's step samples and the database in no form.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import { toRunJson } from "@/lib/runs/run-json";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { getDb } from "@/lib/server/db";
import { testFlowStep } from "@/lib/server/flows/test-flow-step";
import { startEmbeddedDriver, type TEmbeddedDriver } from "@/lib/server/runs/embedded/embedded-driver";
import { createExecutors } from "@/lib/server/runs/executors";
import { createHttpRequestExecutor } from "@/lib/server/runs/executors/http-request";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { createWebhookAddress } from "@/lib/server/webhooks/create-webhook-address";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

// An API key with characters URL-encoding changes, and no shape the scrubber knows by
// itself: only its value can find it.
const KEY = "Vf9/Kq+Zr=Tw&Ly7Mx3Pn~8Hd";
const bytes = Buffer.from(KEY);
const hex = bytes.toString("hex");
let letter = 0;
const hexMixed = [...hex].map((c) => (/[a-f]/.test(c) && letter++ % 2 === 0 ? c.toUpperCase() : c)).join("");
const once = encodeURIComponent(KEY);
const twice = encodeURIComponent(once);
const thrice = encodeURIComponent(twice);
const lowerEscapes = (text: string) => text.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

/** base64 of `prefix + KEY + suffix`: the key sits at byte offset prefix.length inside a larger blob. */
const blob = (prefix: string) => Buffer.from(`${prefix}${KEY}","expires":3600,"scope":"all"}`).toString("base64");
/** The characters of that blob that depend only on the key's bytes (the rest mix in neighbours). */
function stableCore(prefix: string): string {
  const offset = Buffer.byteLength(prefix);
  const first = Math.ceil((offset * 8) / 6);
  const last = Math.floor(((offset + bytes.length) * 8) / 6);
  return blob(prefix).slice(first, last);
}
// Prefix lengths 15, 16 and 17: the key at each offset mod 3.
const PREFIXES = ['{"access_key":"', '{"access_key": "', '{"access_key":  "'];

/** What the hostile upstream sends back: the key in every form, next to ordinary data. */
const ECHO = {
  orderId: "ord-4711",
  hexLower: hex,
  hexUpper: hex.toUpperCase(),
  hexMixed,
  base64url: bytes.toString("base64url"),
  base64Unpadded: bytes.toString("base64").replace(/=+$/, ""),
  blobs: PREFIXES.map(blob),
  next: `https://cb.example/return?state=${twice}`,
  nextLower: `https://cb.example/return?state=${encodeURIComponent(lowerEscapes(once))}`,
  deeper: `https://cb.example/return?state=${thrice}`,
  // Two halves that are no secret each: only a later step can join them.
  left: KEY.slice(0, 12),
  right: KEY.slice(12),
};

/** Every form the key takes above; none may be found anywhere the attacker or a member can read. */
const FORMS: Record<string, string> = {
  raw: KEY,
  base64: bytes.toString("base64"),
  base64Unpadded: ECHO.base64Unpadded,
  base64url: ECHO.base64url,
  urlEncoded: once,
  doubleUrlEncoded: twice,
  doubleUrlEncodedLower: encodeURIComponent(lowerEscapes(once)),
  tripleUrlEncoded: thrice,
  ...Object.fromEntries(PREFIXES.map((prefix, index) => [`blobCore${index}`, stableCore(prefix)])),
  ...Object.fromEntries(PREFIXES.map((prefix, index) => [`blobCoreUrl${index}`, stableCore(prefix).replaceAll("+", "-").replaceAll("/", "_")])),
};

function expectNoForm(value: unknown, where: string): void {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  for (const [name, form] of Object.entries(FORMS)) expect(text.includes(form), `${name} form of the key in ${where}`).toBe(false);
  // Hex in any case at all.
  expect(text.toLowerCase().includes(hex), `hex form of the key in ${where}`).toBe(false);
}

let upstream: Server;
let base = "";
let driver: TEmbeddedDriver;
const policy = () => ({ allow: parseOutboundAllowList("127.0.0.1/32") });
const executors = () => ({ ...createExecutors(), "step.http": createHttpRequestExecutor({ policy }) });
const meta = { ip: "192.0.2.66", userAgent: "vitest" };

beforeAll(async () => {
  upstream = createServer((request, response) => {
    // The credential arrived: the hostile service plays it back.
    response.writeHead(200, { "content-type": "application/json", "x-echo": hexMixed, "x-echo-b64": ECHO.base64url }).end(JSON.stringify(ECHO));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  driver = startEmbeddedDriver({ executors: executors(), secretsFor: listRunSecrets, pollMs: 50 });
});
afterAll(async () => {
  await driver.stop();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } });
let seeded = 0;

/** An owner's project with an API-key connection bound to the upstream, and the hostile flow, live. */
async function seedHostileFlow(respondBody: string) {
  const db = getDb();
  seeded += 1;
  const user = await db.user.create({ data: { email: `evasion-${seeded}@example.com` }, select: { id: true } });
  const project = await db.project.create({
    data: { name: `Evasion ${seeded}`, memberships: { create: { userId: user.id, role: "OWNER" } } },
    select: { id: true },
  });
  const connectionId = crypto.randomUUID();
  await db.connection.create({
    data: {
      id: connectionId,
      projectId: project.id,
      name: "Partner API",
      type: "API_KEY",
      settings: { placement: "header", fieldName: "x-api-key", testUrl: `${base}/me`, allowedOrigins: [base] },
      secretSealed: sealConnectionSecret({ apiKey: KEY }, project.id, connectionId),
    },
  });
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      node("trigger", "trigger.webhook", { respondMode: "respond_step", responseTimeoutMs: 10_000 }),
      node("http", "step.http", { method: "GET", url: `${base}/echo`, connectionId }),
      node("join", "step.transform", { expression: "{ 'joined': steps.http.output.body.left & steps.http.output.body.right }" }),
      node("answer", "step.respond", { status: 200, body: respondBody }),
    ],
    edges: [
      { id: "e1", source: "trigger", target: "http" },
      { id: "e2", source: "http", target: "join" },
      { id: "e3", source: "join", target: "answer" },
    ],
  };
  const flow = await db.flow.create({ data: { projectId: project.id, name: "Echo", draft: document as never, isActive: true }, select: { id: true } });
  const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as never }, select: { id: true } });
  await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
  const { url } = await createWebhookAddress(user.id, { flowId: flow.id }, meta);
  return { userId: user.id, flowId: flow.id, token: url.split("/").pop()! };
}

/** The attacker calls the webhook (no sign-in) and waits for the Respond step. */
function callWebhook(token: string) {
  return receiveWebhook(
    { token, method: "POST", headers: new Headers({ "content-type": "application/json" }), body: Buffer.from("{}"), query: new URLSearchParams() },
    { pollMs: 20 },
  );
}

async function finishedRun(userId: string, flowId: string) {
  const { id } = await getDb().flowRun.findFirstOrThrow({ where: { flowId }, select: { id: true } });
  for (let i = 0; i < 200; i += 1) {
    const run = await getRun(userId, id);
    if (run.status !== "QUEUED" && run.status !== "RUNNING") return run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the run did not finish");
}

async function dumpAll(): Promise<string> {
  const db = getDb();
  const tables = await db.$queryRawUnsafe<{ table_name: string }[]>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
  let dump = "";
  for (const { table_name } of tables)
    dump += JSON.stringify(await db.$queryRawUnsafe(`SELECT * FROM "${table_name}"`), (_k, v) => (typeof v === "bigint" ? String(v) : v));
  return dump;
}

describe("a hostile upstream echoes a connection's key back in encodings", () => {
  it("sends none of them to the webhook caller through the Respond step", async () => {
    const flow = await seedHostileFlow("{{steps.http.output}}");
    const answer = await callWebhook(flow.token);
    expect(answer.status).toBe(200);
    const text = answer.raw ?? JSON.stringify(answer.body);
    // The flow worked: ordinary data came through, the key's forms did not.
    expect(text).toContain("ord-4711");
    expect(text).toContain("[redacted]");
    expectNoForm(text, "the webhook caller's answer");
    expectNoForm(answer.headers ?? {}, "the webhook caller's headers");
  });

  it("scrubs the Respond step's answer itself: a key joined from two harmless halves does not go out", async () => {
    const flow = await seedHostileFlow("{{steps.join.output}}");
    const answer = await callWebhook(flow.token);
    expect(answer.status).toBe(200);
    const text = answer.raw ?? JSON.stringify(answer.body);
    expect(text).toContain("[redacted]");
    expectNoForm(text, "the joined answer");
  });

  it("keeps every form out of the run page, the run API and the database", async () => {
    const flow = await seedHostileFlow("{{steps.http.output}}");
    await callWebhook(flow.token);
    const run = await finishedRun(flow.userId, flow.flowId);
    expect(run.status).toBe("SUCCEEDED");
    const http = run.steps.find((step) => step.nodeId === "http")!;
    expect((http.record?.output as { body: { orderId: string } }).body.orderId).toBe("ord-4711");
    expectNoForm(run, "the run page data");
    expectNoForm(toRunJson(run, new Date()), "the run API");
    expectNoForm(await dumpAll(), "the database");
  });

  it("keeps every form out of the editor's step samples (Test step)", async () => {
    const flow = await seedHostileFlow("{{steps.http.output}}");
    const tested = await testFlowStep(flow.userId, { flowId: flow.flowId, nodeId: "http", triggerSample: { body: {} } }, meta, { executors: executors() });
    expect(tested.status).toBe("succeeded");
    expect(JSON.stringify(tested)).toContain("ord-4711");
    expectNoForm(tested, "the step test result");
    const joined = await testFlowStep(flow.userId, { flowId: flow.flowId, nodeId: "answer", triggerSample: { body: {} } }, meta, { executors: executors() });
    expectNoForm(joined, "the Respond step's preview");
    expectNoForm(await dumpAll(), "the database after step tests");
  });
});
