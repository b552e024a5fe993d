// Written as a hostile flow author (or an editor of the connection): app steps must not
// let anyone send a connection's token anywhere but its allowed origins. Mapped values
// ("../../evil", a full URL) stay data in the body or the query; a step config cannot
// carry an address; an API base address off the allowed origins is refused before a
// byte is sent (and audited); another project's connection is not found; and the SSRF
// guard still applies to the API base.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { validateRunnable } from "@/lib/flows/validate";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import type { OutboundPolicy } from "@/lib/http/outbound-request";
import { createAppExecutors } from "@/lib/server/apps";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { getDb } from "@/lib/server/db";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { startRun } from "@/lib/server/runs/start-run";
import { setupTestDatabase } from "../support/setup-test-database";
import { SlackStandin } from "../support/slack-standin";
import { StripeApiStandin } from "../support/stripe-api-standin";

setupTestDatabase();
const TOKEN = "xoxb-2222222222-3333333333-hostileTestToken99";
const KEY = "rk_test_51HostileTestRestrictedKey000000000qrst";
const allowLoopback = () => ({ allow: parseOutboundAllowList("127.0.0.1/32") });
let slack: SlackStandin;
let stripe: StripeApiStandin;
let evil: Server;
let evilOrigin = "";
const stolen: { url: string; authorization?: string; body: string }[] = [];

beforeAll(async () => {
  slack = await SlackStandin.start({ token: TOKEN, channels: [{ id: "C01GENERAL", name: "general" }] });
  stripe = await StripeApiStandin.start({
    keys: { [KEY]: ["customers", "charges"] },
    customers: [{ id: "cus_A1", email: "a@example.com", name: "A", created: 1 }],
    charges: [],
  });
  evil = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      stolen.push({ url: request.url ?? "", authorization: request.headers.authorization, body });
      response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true,"channel":"C1","ts":"1.2"}');
    });
  });
  await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
  evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await slack.stop();
  await stripe.stop();
  await new Promise<void>((resolve) => evil.close(() => resolve()));
});

let n = 0;
async function seed(
  type: string,
  config: Record<string, unknown>,
  connection: { base: string; origins: string[]; token?: string },
  options: { otherProjectConnection?: boolean } = {},
) {
  const db = getDb();
  n += 1;
  const user = await db.user.create({ data: { email: `hostile-app-${n}-${Date.now()}@example.com` }, select: { id: true } });
  const project = await db.project.create({
    data: { name: `Hostile ${n}`, memberships: { create: { userId: user.id, role: "OWNER" } } },
    select: { id: true },
  });
  let connectionProject = project.id;
  if (options.otherProjectConnection) {
    connectionProject = (await db.project.create({ data: { name: `Victim ${n}` }, select: { id: true } })).id;
  }
  const connectionId = crypto.randomUUID();
  await db.connection.create({
    data: {
      id: connectionId,
      projectId: connectionProject,
      name: "Bot",
      type: "BEARER",
      settings: { allowedOrigins: connection.origins, apiBaseUrl: connection.base },
      secretSealed: sealConnectionSecret({ token: connection.token ?? TOKEN }, connectionProject, connectionId),
    },
  });
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
      { id: "app", type, name: "App", config: { connectionId, ...config }, ui: { x: 0, y: 100 } },
    ],
    edges: [{ id: "e1", source: "trigger", target: "app" }],
  };
  const flow = await db.flow.create({ data: { projectId: project.id, name: "F", draft: document as never }, select: { id: true } });
  const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as never }, select: { id: true } });
  await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
  return { userId: user.id, projectId: project.id, flowId: flow.id, document };
}

async function run(seeded: { userId: string; flowId: string }, payload: unknown, policy: () => OutboundPolicy = allowLoopback) {
  const { runId } = await startRun({ flowId: seeded.flowId, payload, trigger: "manual", userId: seeded.userId });
  expect(await claimNextRun("w", 5)).toBe(runId);
  await executeRun(runId, { owner: "w", executors: createAppExecutors({ policy }), secretsFor: listRunSecrets });
  return getRun(seeded.userId, runId);
}

describe("a hostile flow cannot send the token elsewhere", () => {
  it("keeps a mapped channel of '../../evil' or a full URL as data in the body, sent only to Slack's method", async () => {
    for (const channel of ["../../evil", `${evilOrigin}/steal`, "//127.0.0.1/x", "chat.postMessage/../../../evil"]) {
      const seeded = await seed("app.slack.post_message", { channel: "{{trigger.channel}}", text: "hi" }, { base: slack.apiBase, origins: [slack.origin] });
      const before = slack.requests.length;
      const result = await run(seeded, { channel });
      expect(result.error).toMatch(/not found: check the channel/);
      const request = slack.requests.at(-1)!;
      expect(slack.requests.length).toBe(before + 1);
      expect([request.path, (request.body as { channel: string }).channel]).toEqual(["/api/chat.postMessage", channel]);
    }
    expect(stolen).toEqual([]);
  });

  it("keeps Stripe values in the query: an email or customer cannot add parameters or change the path", async () => {
    const seeded = await seed(
      "app.stripe.list_charges",
      { customer: "{{trigger.customer}}", startingAfter: "" },
      { base: stripe.apiBase, origins: [stripe.origin], token: KEY },
    );
    await run(seeded, { customer: "../customers/cus_A1?limit=100&expand[]=data" });
    const request = stripe.requests.at(-1)!;
    expect([request.path, request.query]).toEqual(["/v1/charges", { limit: "10", customer: "../customers/cus_A1?limit=100&expand[]=data" }]);
    const email = await seed("app.stripe.find_customer", { email: "{{trigger.email}}" }, { base: stripe.apiBase, origins: [stripe.origin], token: KEY });
    await run(email, { email: "a@example.com&limit=100" });
    expect(stripe.requests.at(-1)!.query).toEqual({ email: "a@example.com&limit=100", limit: "10" });
    expect(stolen).toEqual([]);
  });

  it("refuses a step config that carries an address (strict schema): nothing is sent", async () => {
    const seeded = await seed(
      "app.slack.post_message",
      { channel: "#general", text: "hi", url: `${evilOrigin}/steal`, apiBaseUrl: evilOrigin },
      { base: slack.apiBase, origins: [slack.origin] },
    );
    const problems = validateRunnable(seeded.document);
    expect(problems.map((p) => p.message).join("\n")).toMatch(/Unrecognized keys?: "url", "apiBaseUrl"/);
    const before = slack.requests.length;
    const result = await run(seeded, {});
    expect(result.error).toMatch(/settings are not valid/);
    expect(slack.requests.length).toBe(before);
    expect(stolen).toEqual([]);
  });

  it("refuses an API base address outside the connection's allowed origins before sending, and audits it", async () => {
    const seeded = await seed("app.slack.post_message", { channel: "#general", text: "hi" }, { base: `${evilOrigin}/api/`, origins: [slack.origin] });
    const result = await run(seeded, {});
    expect(result.status).toBe("FAILED");
    expect(result.error).toMatch(/may only be sent to/);
    expect(stolen).toEqual([]);
    const audit = await getDb().auditEvent.findFirst({ where: { projectId: seeded.projectId, action: "outbound.blocked" } });
    expect(audit?.details).toMatchObject({ reason: "connection_origin", origin: evilOrigin });
  });

  it("cannot use another project's connection", async () => {
    const seeded = await seed(
      "app.slack.post_message",
      { channel: "#general", text: "hi" },
      { base: slack.apiBase, origins: [slack.origin] },
      { otherProjectConnection: true },
    );
    const before = slack.requests.length;
    const result = await run(seeded, {});
    expect(result.error).toMatch(/not one of this project's connections/);
    expect(slack.requests.length).toBe(before);
  });

  it("is still stopped by the SSRF guard at a loopback API base when loopback is not allowed", async () => {
    const seeded = await seed("app.slack.post_message", { channel: "#general", text: "hi" }, { base: slack.apiBase, origins: [slack.origin] });
    const before = slack.requests.length;
    const result = await run(seeded, {}, () => ({}));
    expect(result.error).toMatch(/127\.0\.0\.1/);
    expect(slack.requests.length).toBe(before);
  });
});
