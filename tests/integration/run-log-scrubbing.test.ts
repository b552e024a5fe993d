// The scrubber corpus at run level: a service echoes a run's connection secret back in
// every form the design lists, in a successful output and in a failing one (which
// becomes the run's error). Nothing stored (every table) and nothing the run API gives
// back holds any form of it, while the run's ordinary data stays intact.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import { getDb } from "@/lib/server/db";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { createExecutors } from "@/lib/server/runs/executors";
import { createHttpRequestExecutor } from "@/lib/server/runs/executors/http-request";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { startRun } from "@/lib/server/runs/start-run";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const SECRET = "s3cr3t-Token_value/with+chars=9Zq";
const forms = {
  raw: SECRET,
  base64: Buffer.from(SECRET).toString("base64"),
  base64url: Buffer.from(SECRET).toString("base64url"),
  urlEncoded: encodeURIComponent(SECRET),
  hex: Buffer.from(SECRET).toString("hex"),
  jsonEscaped: JSON.stringify(SECRET).slice(1, -1),
  basic: Buffer.from(`robot:${SECRET}`).toString("base64"),
};
const leak = {
  ok: true,
  orderId: "ord-4711",
  raw: SECRET,
  nested: { deeper: [{ b64: forms.base64 }, { url: `https://x.example/cb?token=${forms.urlEncoded}` }] },
  hex: forms.hex,
  b64url: forms.base64url,
  jsonInString: JSON.stringify({ inner: SECRET, headers: { authorization: `Bearer ${SECRET}` } }),
  basicHeader: `Basic ${forms.basic}`,
  message: `upstream said: key ${SECRET} is valid`,
};
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((request, response) => {
    const status = request.url === "/fail" ? 500 : 200;
    response.writeHead(status, { "content-type": "application/json", "x-echo-token": SECRET }).end(JSON.stringify(leak));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function runAgainst(path: string) {
  const db = getDb();
  const user = await db.user.create({ data: { email: `scrub-${path.slice(1)}@example.com` }, select: { id: true } });
  const project = await db.project.create({
    data: { name: `Scrub ${path}`, memberships: { create: { userId: user.id, role: "OWNER" } } },
    select: { id: true },
  });
  const connectionId = crypto.randomUUID();
  await db.connection.create({
    // Bound to the upstream's origin: a credential goes only where its connection allows.
    data: {
      id: connectionId,
      projectId: project.id,
      name: "API",
      type: "BEARER",
      settings: { allowedOrigins: [base] },
      secretSealed: sealConnectionSecret({ token: SECRET }, project.id, connectionId),
    },
  });
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
      { id: "call", type: "step.http", name: "Call", config: { method: "GET", url: `${base}${path}`, connectionId }, ui: { x: 0, y: 0 } },
      {
        id: "keep",
        type: "step.transform",
        name: "Keep",
        config: { expression: "{ 'order': steps.call.output.body.orderId, 'all': steps.call.output }" },
        ui: { x: 0, y: 0 },
      },
    ],
    edges: [
      { id: "e1", source: "trigger", target: "call" },
      { id: "e2", source: "call", target: "keep" },
    ],
  };
  const flow = await db.flow.create({ data: { projectId: project.id, name: "F", draft: document as never }, select: { id: true } });
  const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as never }, select: { id: true } });
  await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
  const { runId } = await startRun({ flowId: flow.id, payload: { note: `payload carries ${SECRET}` }, trigger: "manual", userId: user.id });
  const executors = { ...createExecutors(), "step.http": createHttpRequestExecutor({ policy: () => ({ allow: parseOutboundAllowList("127.0.0.1/32") }) }) };
  let offset = 0;
  for (let pass = 0; pass < 6; pass += 1) {
    expect(await claimNextRun(`w${pass}`, 5)).toBe(runId);
    const outcome = await executeRun(runId, { owner: `w${pass}`, executors, secretsFor: listRunSecrets, now: () => new Date(Date.now() + offset) });
    if (outcome !== "suspended") break;
    const { wakeAt } = await db.flowRun.findUniqueOrThrow({ where: { id: runId }, select: { wakeAt: true } });
    offset = wakeAt!.getTime() - Date.now() + 1000;
    await db.flowRun.update({ where: { id: runId }, data: { wakeAt: new Date(0) } });
  }
  return { run: await getRun(user.id, runId), runId };
}

async function dumpAll(): Promise<string> {
  const db = getDb();
  const tables = await db.$queryRawUnsafe<{ table_name: string }[]>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
  let dump = "";
  for (const { table_name } of tables)
    dump += JSON.stringify(await db.$queryRawUnsafe(`SELECT * FROM "${table_name}"`), (_k, v) => (typeof v === "bigint" ? String(v) : v));
  return dump;
}

function expectNoForm(text: string, where: string) {
  for (const [name, form] of Object.entries(forms)) expect(text.includes(form), `${name} form in ${where}`).toBe(false);
}

describe("run log scrubbing", () => {
  it("keeps no form of a secret echoed in a successful output, and keeps the data", async () => {
    const { run } = await runAgainst("/ok");
    expect(run.status).toBe("SUCCEEDED");
    expect((run.steps.find((s) => s.nodeId === "keep")!.record!.output as { order: string }).order).toBe("ord-4711");
    expectNoForm(JSON.stringify(run), "the run view");
    expectNoForm(await dumpAll(), "the database");
  });

  it("keeps no form of it in a failing step's output, error or the run's error", async () => {
    const { run } = await runAgainst("/fail");
    expect(run.status).toBe("FAILED");
    expect(run.error).toBe("The service answered 500.");
    expectNoForm(JSON.stringify(run), "the run view");
    expectNoForm(await dumpAll(), "the database");
  });
});
