// The Slack and Stripe app steps end to end: a published flow on a real database, run by
// the embedded driver, sending through the HTTP step's machinery to loopback stand-ins
// that speak Slack's and Stripe's protocols; Slack's channel picker with its
// authorization. The token never appears in a step's output, the run log or the state.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import { createAppExecutors } from "@/lib/server/apps";
import { listAppChoices } from "@/lib/server/apps/list-app-choices";
import { testFlowStep } from "@/lib/server/flows/test-flow-step";
import { FlowNotRunnableError, publishFlow } from "@/lib/server/flows/publish-flow";
import { auditSentenceText, describeAuditEvent } from "@/lib/projects/audit-sentences";
import { listProjectAuditEvents } from "@/lib/server/audit/list-project-audit-events";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { getDb } from "@/lib/server/db";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { startRun } from "@/lib/server/runs/start-run";
import { errorOf } from "../support/error-of";
import { setupTestDatabase } from "../support/setup-test-database";
import { SlackStandin } from "../support/slack-standin";
import { StripeApiStandin } from "../support/stripe-api-standin";

setupTestDatabase();
const SLACK_TOKEN = "xoxb-1234567890-0987654321-standinSecretToken42";
const STRIPE_KEY = "rk_test_51StandinRestrictedKey0000000000abcd";
const STRIPE_CUSTOMERS_ONLY = "rk_test_51StandinCustomersOnly00000000wxyz";
const allowLoopback = () => ({ allow: parseOutboundAllowList("127.0.0.1/32") });
let slack: SlackStandin;
let stripe: StripeApiStandin;

beforeAll(async () => {
  slack = await SlackStandin.start({
    token: SLACK_TOKEN,
    channels: [
      { id: "C01GENERAL", name: "general" },
      { id: "C02DEPLOYS", name: "deploys" },
      { id: "C03SECRET", name: "leadership", isPrivate: true },
      { id: "C04OLD", name: "old-stuff", isArchived: true },
      { id: "C05OUTSIDE", name: "outside", isMember: false },
    ],
    pageSize: 2,
  });
  stripe = await StripeApiStandin.start({
    keys: { [STRIPE_KEY]: ["customers", "charges"], [STRIPE_CUSTOMERS_ONLY]: ["customers"] },
    customers: [
      { id: "cus_A1", email: "jenny@example.com", name: "Jenny Rosen", created: 1_700_000_000 },
      { id: "cus_B2", email: "sam@example.com", name: "Sam Lee", created: 1_700_000_100 },
    ],
    charges: Array.from({ length: 5 }, (_, i) => ({
      id: `ch_${i + 1}`,
      amount: 1000 + i,
      currency: "usd",
      customer: i % 2 === 0 ? "cus_A1" : "cus_B2",
      status: "succeeded",
      created: 1_700_001_000 + i,
    })),
  });
});
afterAll(async () => {
  await slack.stop();
  await stripe.stop();
});

let n = 0;
type TSeed = { userId: string; projectId: string; flowId: string; connectionId: string };

async function seedProject() {
  const db = getDb();
  n += 1;
  const user = await db.user.create({ data: { email: `apps-${n}-${Date.now()}@example.com` }, select: { id: true } });
  const project = await db.project.create({ data: { name: `Apps ${n}`, memberships: { create: { userId: user.id, role: "OWNER" } } }, select: { id: true } });
  return { userId: user.id, projectId: project.id };
}

async function seedConnection(projectId: string, options: { token: string; base: string; origin: string; type?: "BEARER" | "API_KEY"; name?: string }) {
  const id = crypto.randomUUID();
  const type = options.type ?? "BEARER";
  const settings =
    type === "BEARER"
      ? { allowedOrigins: [options.origin], apiBaseUrl: options.base }
      : { placement: "header", fieldName: "X-Key", allowedOrigins: [options.origin], apiBaseUrl: options.base };
  const secret = type === "BEARER" ? { token: options.token } : { apiKey: options.token };
  await getDb().connection.create({
    data: { id, projectId, name: options.name ?? `Conn ${id.slice(0, 6)}`, type, settings, secretSealed: sealConnectionSecret(secret as never, projectId, id) },
  });
  return id;
}

async function seedFlow(projectId: string, step: Omit<TFlowNode, "ui" | "name" | "id"> & { id?: string }, more: TFlowNode[] = []): Promise<string> {
  const db = getDb();
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
      { id: step.id ?? "app", type: step.type, name: "App step", config: step.config, ui: { x: 0, y: 100 } },
      ...more,
    ],
    edges: [
      { id: "e1", source: "trigger", target: step.id ?? "app" },
      ...more.map((node, i) => ({ id: `m${i}`, source: i === 0 ? (step.id ?? "app") : more[i - 1]!.id, target: node.id })),
    ],
  };
  const flow = await db.flow.create({ data: { projectId, name: `Flow ${n}`, draft: document as never }, select: { id: true } });
  const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as never }, select: { id: true } });
  await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
  return flow.id;
}

async function slackSeed(config: Record<string, unknown>, type = "app.slack.post_message", more: TFlowNode[] = []): Promise<TSeed> {
  const { userId, projectId } = await seedProject();
  const connectionId = await seedConnection(projectId, { token: SLACK_TOKEN, base: slack.apiBase, origin: slack.origin });
  const flowId = await seedFlow(projectId, { type, config: { connectionId, ...config } }, more);
  return { userId, projectId, flowId, connectionId };
}

async function stripeSeed(config: Record<string, unknown>, type: string, key = STRIPE_KEY): Promise<TSeed> {
  const { userId, projectId } = await seedProject();
  const connectionId = await seedConnection(projectId, { token: key, base: stripe.apiBase, origin: stripe.origin });
  const flowId = await seedFlow(projectId, { type, config: { connectionId, ...config } });
  return { userId, projectId, flowId, connectionId };
}

/** Runs the flow to its end on the embedded driver, skipping backoff waits by moving the clock. */
async function runToEnd(seed: TSeed, payload: unknown = {}) {
  const db = getDb();
  const { runId } = await startRun({ flowId: seed.flowId, payload, trigger: "manual", userId: seed.userId });
  let offset = 0;
  for (let pass = 0; pass < 6; pass += 1) {
    expect(await claimNextRun(`w${pass}`, 5)).toBe(runId);
    const outcome = await executeRun(runId, {
      owner: `w${pass}`,
      executors: createAppExecutors({ policy: allowLoopback }),
      secretsFor: listRunSecrets,
      now: () => new Date(Date.now() + offset),
    });
    if (outcome !== "suspended") break;
    const { wakeAt } = await db.flowRun.findUniqueOrThrow({ where: { id: runId }, select: { wakeAt: true } });
    offset = wakeAt!.getTime() - Date.now() + 1000;
    await db.flowRun.update({ where: { id: runId }, data: { wakeAt: new Date(0) } });
  }
  return getRun(seed.userId, runId);
}

async function storedEverywhere(): Promise<string> {
  const db = getDb();
  return (
    JSON.stringify(await db.$queryRawUnsafe("SELECT * FROM run_state")) +
    JSON.stringify(await db.$queryRawUnsafe("SELECT * FROM flow_run_steps")) +
    JSON.stringify(await db.$queryRawUnsafe("SELECT * FROM flow_runs"))
  );
}

describe("Slack: post a message", () => {
  it("posts text and blocks with the bot token, mapped from the trigger, and returns channel and ts", async () => {
    const seed = await slackSeed({
      channel: "{{trigger.channel}}",
      text: "Deploy {{trigger.version}} finished",
      blocks: '[{"type":"section","text":{"type":"mrkdwn","text":"*{{trigger.version}}* is live"}}]',
    });
    const run = await runToEnd(seed, { channel: "#deploys", version: "v1.2.3" });
    expect(run.status).toBe("SUCCEEDED");
    const request = slack.requests.at(-1)!;
    expect([request.method, request.path, request.authorization, request.contentType]).toEqual([
      "POST",
      "/api/chat.postMessage",
      `Bearer ${SLACK_TOKEN}`,
      "application/json; charset=utf-8",
    ]);
    expect(request.body).toEqual({
      channel: "#deploys",
      text: "Deploy v1.2.3 finished",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "*v1.2.3* is live" } }],
    });
    const posted = slack.messages.at(-1)!;
    expect(posted.channel).toBe("C02DEPLOYS");
    expect(run.steps[0]!.record!.output).toEqual({ channel: "C02DEPLOYS", ts: posted.ts, threadTs: null, text: "Deploy v1.2.3 finished" });
  });

  it("replies in the thread of an earlier post, reading its ts through a reference", async () => {
    const reply: TFlowNode = {
      id: "reply",
      type: "app.slack.reply_in_thread",
      name: "Reply",
      config: {
        connectionId: "",
        channel: "{{steps.app.output.channel}}",
        threadTs: "{{steps.app.output.ts}}",
        text: "Details follow",
        alsoSendToChannel: true,
      },
      ui: { x: 0, y: 200 },
    };
    const seed = await slackSeed({ channel: "C01GENERAL", text: "Incident opened" }, "app.slack.post_message", [reply]);
    // The reply uses the same connection.
    const flow = await getDb().flowVersion.findFirstOrThrow({ where: { flowId: seed.flowId }, select: { id: true, document: true } });
    const document = flow.document as unknown as TFlowDocument;
    document.nodes.find((node) => node.id === "reply")!.config.connectionId = seed.connectionId;
    await getDb().flowVersion.update({ where: { id: flow.id }, data: { document: document as never } });
    const run = await runToEnd(seed);
    expect(run.status).toBe("SUCCEEDED");
    const [parent, child] = slack.messages.slice(-2);
    expect(child).toMatchObject({ channel: "C01GENERAL", text: "Details follow", thread_ts: parent!.ts, reply_broadcast: true });
    expect(run.steps.find((step) => step.nodeId === "reply")!.record!.output).toEqual({
      channel: "C01GENERAL",
      ts: child!.ts,
      threadTs: parent!.ts,
      text: "Details follow",
    });
  });

  it("says what to fix for Slack's errors, without retrying them", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ channel: "C99NOPE", text: "hi" }, /not found: check the channel/],
      [{ channel: "#outside", text: "hi" }, /not in that channel: invite it/],
      [{ channel: "#old-stuff", text: "hi" }, /archived/],
      [{ channel: "#general", text: "", blocks: "{{trigger.blocks}}" }, /blocks are not valid JSON|must be a JSON list/],
    ];
    for (const [config, message] of cases) {
      const before = slack.requests.length;
      const run = await runToEnd(await slackSeed(config), { blocks: "not json" });
      expect(run.status).toBe("FAILED");
      expect(run.error).toMatch(message);
      expect(run.steps[0]!.attempts).toBe(1);
      expect(slack.requests.length - before).toBeLessThanOrEqual(1);
    }
  });

  it("reads a refused token as 'reconnect it', not as a retry", async () => {
    const { userId, projectId } = await seedProject();
    const connectionId = await seedConnection(projectId, { token: "xoxb-revoked-0000000000000000000", base: slack.apiBase, origin: slack.origin });
    const flowId = await seedFlow(projectId, { type: "app.slack.post_message", config: { connectionId, channel: "#general", text: "hi" } });
    const run = await runToEnd({ userId, projectId, flowId, connectionId });
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(/Slack refused the connection's token\. Reconnect it/);
    expect(run.steps[0]!.attempts).toBe(1);
  });

  it("waits out a 429 ratelimited answer (Retry-After) and then posts", async () => {
    const seed = await slackSeed({ channel: "#general", text: "after the limit" });
    slack.rateLimitNext(1, 2);
    const run = await runToEnd(seed);
    expect([run.status, run.steps[0]!.attempts]).toEqual(["SUCCEEDED", 2]);
    expect(slack.messages.at(-1)!.text).toBe("after the limit");
  });

  it("keeps the token out of the output, the run log and the engine's state when Slack echoes it", async () => {
    slack.echoToken = true;
    try {
      const seed = await slackSeed({ channel: "#general", text: "echo me" });
      const run = await runToEnd(seed);
      expect(run.status).toBe("SUCCEEDED");
      const output = run.steps[0]!.record!.output as { text: string };
      expect(output.text).toMatch(/^echo me \(sent with /);
      expect(JSON.stringify(run)).not.toContain(SLACK_TOKEN);
      expect(await storedEverywhere()).not.toContain(SLACK_TOKEN);
    } finally {
      slack.echoToken = false;
    }
  });

  it("refuses a connection that does not fit Slack before sending anything", async () => {
    const { userId, projectId } = await seedProject();
    const connectionId = await seedConnection(projectId, { token: SLACK_TOKEN, base: slack.apiBase, origin: slack.origin, type: "API_KEY", name: "Some key" });
    const flowId = await seedFlow(projectId, { type: "app.slack.post_message", config: { connectionId, channel: "#general", text: "hi" } });
    const before = slack.requests.length;
    const run = await runToEnd({ userId, projectId, flowId, connectionId });
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(/"Some key" cannot sign Slack requests/);
    expect(slack.requests.length).toBe(before);
  });
});

describe("Stripe (read only)", () => {
  it("finds a customer by email", async () => {
    const run = await runToEnd(await stripeSeed({ email: "{{trigger.email}}", limit: 3 }, "app.stripe.find_customer"), { email: "jenny@example.com" });
    expect(run.status).toBe("SUCCEEDED");
    const request = stripe.requests.at(-1)!;
    expect([request.method, request.path, request.query, request.authorization]).toEqual([
      "GET",
      "/v1/customers",
      { email: "jenny@example.com", limit: "3" },
      `Bearer ${STRIPE_KEY}`,
    ]);
    expect(run.steps[0]!.record!.output).toMatchObject({ found: true, customer: { id: "cus_A1", email: "jenny@example.com" }, hasMore: false });
  });

  it("answers found: false for an email nobody has", async () => {
    const run = await runToEnd(await stripeSeed({ email: "nobody@example.com" }, "app.stripe.find_customer"));
    expect(run.steps[0]!.record!.output).toEqual({ found: false, customer: null, customers: [], hasMore: false });
  });

  it("lists charges newest first and pages on with starting_after", async () => {
    const first = await runToEnd(await stripeSeed({ limit: 2 }, "app.stripe.list_charges"));
    const page1 = first.steps[0]!.record!.output as { charges: { id: string }[]; hasMore: boolean; nextStartingAfter: string | null };
    expect([page1.charges.map((c) => c.id), page1.hasMore, page1.nextStartingAfter]).toEqual([["ch_5", "ch_4"], true, "ch_4"]);
    const second = await runToEnd(await stripeSeed({ limit: 2, startingAfter: "{{trigger.next}}" }, "app.stripe.list_charges"), {
      next: page1.nextStartingAfter,
    });
    expect(stripe.requests.at(-1)!.query).toEqual({ limit: "2", starting_after: "ch_4" });
    const page2 = second.steps[0]!.record!.output as typeof page1;
    expect(page2.charges.map((c) => c.id)).toEqual(["ch_3", "ch_2"]);
    const forCustomer = await runToEnd(await stripeSeed({ limit: 10, customer: "cus_A1" }, "app.stripe.list_charges"));
    expect((forCustomer.steps[0]!.record!.output as typeof page1).charges.map((c) => c.id)).toEqual(["ch_5", "ch_3", "ch_1"]);
  });

  it("maps Stripe's 401, 403 and 404 error objects to what to do, quoting no key", async () => {
    const wrongKey = await runToEnd(await stripeSeed({ limit: 1 }, "app.stripe.list_charges", "rk_test_51WrongKey000000000000000000000000zzzz"));
    expect(wrongKey.error).toMatch(/Stripe refused the connection's credential: reconnect it/);
    expect(wrongKey.error).not.toMatch(/rk_test/);
    const noPermission = await runToEnd(await stripeSeed({ limit: 1 }, "app.stripe.list_charges", STRIPE_CUSTOMERS_ONLY));
    expect(noPermission.error).toMatch(/the key lacks read access/);
    expect(noPermission.error).not.toMatch(/rk_test/);
    const unknown = await runToEnd(await stripeSeed({ limit: 1, customer: "cus_GONE" }, "app.stripe.list_charges"));
    expect(unknown.error).toMatch(/Stripe: not found: check the customer ID.*No such customer: 'cus_GONE'/);
    for (const run of [wrongKey, noPermission, unknown]) expect([run.status, run.steps[0]!.attempts]).toEqual(["FAILED", 1]);
  });

  it("retries a 429 rate limit", async () => {
    const seed = await stripeSeed({ email: "sam@example.com" }, "app.stripe.find_customer");
    stripe.rateLimitNext(1);
    const run = await runToEnd(seed);
    expect([run.status, run.steps[0]!.attempts]).toEqual(["SUCCEEDED", 2]);
  });
});

describe("Slack channel picker", () => {
  it("lists channels over every page of conversations.list, archived ones left out", async () => {
    const seed = await slackSeed({ channel: "#general", text: "x" });
    const before = slack.requests.length;
    const listed = await listAppChoices(
      seed.userId,
      { connectionId: seed.connectionId, nodeType: "app.slack.post_message", field: "channel" },
      { policy: allowLoopback },
    );
    expect(listed).toEqual({
      isComplete: true,
      choices: [
        { value: "C01GENERAL", label: "#general" },
        { value: "C02DEPLOYS", label: "#deploys" },
        { value: "C03SECRET", label: "#leadership (private)" },
        { value: "C05OUTSIDE", label: "#outside" },
      ],
    });
    const calls = slack.requests.slice(before);
    // Two pages of two: the second call carries the first answer's next_cursor.
    expect(calls.map((call) => call.query.cursor ?? "")).toEqual(["", expect.stringMatching(/.+/)]);
    expect(calls.every((call) => call.path === "/api/conversations.list" && call.authorization === `Bearer ${SLACK_TOKEN}`)).toBe(true);
  });

  it("is for the project's editors: a viewer and an outsider get not found, and nothing is sent", async () => {
    const seed = await slackSeed({ channel: "#general", text: "x" });
    const db = getDb();
    const viewer = await db.user.create({ data: { email: `viewer-${Date.now()}@example.com` }, select: { id: true } });
    await db.membership.create({ data: { userId: viewer.id, projectId: seed.projectId, role: "VIEWER" } });
    const outsider = await seedProject();
    const before = slack.requests.length;
    for (const userId of [viewer.id, outsider.userId]) {
      const error = await errorOf(
        listAppChoices(userId, { connectionId: seed.connectionId, nodeType: "app.slack.post_message", field: "channel" }, { policy: allowLoopback }),
      );
      expect(error.code).toBe("NOT_FOUND");
    }
    expect(slack.requests.length).toBe(before);
    // A field without a list, or a made-up step type, is refused as bad input.
    const noList = await errorOf(listAppChoices(seed.userId, { connectionId: seed.connectionId, nodeType: "app.slack.post_message", field: "text" }));
    expect(noList.code).toBe("BAD_INPUT");
  });

  it("is stopped by the SSRF guard like a run, audited as the picker's (no run in the sentence)", async () => {
    const seed = await slackSeed({ channel: "#general", text: "x" });
    const before = slack.requests.length;
    const error = await errorOf(listAppChoices(seed.userId, { connectionId: seed.connectionId, nodeType: "app.slack.post_message", field: "channel" }));
    expect(error.message).toMatch(/127\.0\.0\.1/);
    expect(slack.requests.length).toBe(before);
    const { events } = await listProjectAuditEvents(seed.userId, seed.projectId);
    const blocked = events.find((event) => event.action === "outbound.blocked")!;
    expect(blocked.details).toMatchObject({ source: "app-picker", reason: "blocked_address" });
    expect(blocked.details).not.toHaveProperty("runId");
    expect(auditSentenceText(describeAuditEvent({ ...blocked, projectId: seed.projectId }).segments)).toMatch(/while listing a step's choices from an app/);
  });

  it("says Slack's reason when the token is refused", async () => {
    const { userId, projectId } = await seedProject();
    const connectionId = await seedConnection(projectId, { token: "xoxb-revoked-1111111111111111111", base: slack.apiBase, origin: slack.origin });
    const error = await errorOf(listAppChoices(userId, { connectionId, nodeType: "app.slack.reply_in_thread", field: "channel" }, { policy: allowLoopback }));
    expect(error.message).toMatch(/Reconnect it/);
    expect(error.message).not.toContain("xoxb");
  });
});

describe("Slack channel picker limit", () => {
  it("shares the step tests' per-person budget: the 31st list in a minute is refused before anything is sent", async () => {
    const seed = await slackSeed({ channel: "#general", text: "x" });
    const input = { connectionId: seed.connectionId, nodeType: "app.slack.post_message", field: "channel" };
    for (let i = 0; i < 30; i += 1) await listAppChoices(seed.userId, input, { policy: allowLoopback });
    const before = slack.requests.length;
    const limited = await errorOf(listAppChoices(seed.userId, input, { policy: allowLoopback }));
    expect(limited.code).toBe("RATE_LIMITED");
    expect(limited.message).toMatch(/^You can list choices or test steps 30 times a minute\. Try again in \d+ seconds\.$/);
    expect(slack.requests.length).toBe(before);
  });
});

describe("Test step on an app step", () => {
  const meta = { ip: "192.0.2.61", userAgent: "vitest" };

  it("runs the app step with the run's executors and keeps its output as the sample", async () => {
    const seed = await slackSeed({ channel: "#general", text: "from a test" });
    const result = await testFlowStep(seed.userId, { flowId: seed.flowId, nodeId: "app", triggerSample: {} }, meta, {
      executors: createAppExecutors({ policy: allowLoopback }),
    });
    expect(result.status).toBe("succeeded");
    expect(result.status === "succeeded" ? result.sample.output : null).toMatchObject({ channel: "C01GENERAL", text: "from a test" });
    expect(JSON.stringify(result)).not.toContain(SLACK_TOKEN);
  });

  it("audits a blocked app request as this person's step test", async () => {
    const seed = await slackSeed({ channel: "#general", text: "blocked" });
    const before = slack.requests.length;
    const result = await testFlowStep(seed.userId, { flowId: seed.flowId, nodeId: "app", triggerSample: {} }, meta);
    expect(result.status).toBe("failed");
    expect(slack.requests.length).toBe(before);
    const audit = await getDb().auditEvent.findFirst({
      where: { projectId: seed.projectId, action: "outbound.blocked" },
      select: { userId: true, details: true },
    });
    expect(audit).toMatchObject({ userId: seed.userId, details: { source: "step-test", reason: "blocked_address" } });
  });
});

describe("Publishing an app step", () => {
  it("is refused when the connection may not be sent to the app's API, naming the step and what to change", async () => {
    const { userId, projectId } = await seedProject();
    const connectionId = await seedConnection(projectId, { token: SLACK_TOKEN, base: "", origin: "https://example.com", name: "Example key" });
    const flowId = await seedFlow(projectId, { type: "app.slack.post_message", config: { connectionId, channel: "#general", text: "hi" } });
    const error = await errorOf(publishFlow(userId, { flowId }, { ip: "192.0.2.62", userAgent: "vitest" }));
    expect(error).toBeInstanceOf(FlowNotRunnableError);
    expect((error as FlowNotRunnableError).problems).toEqual([
      expect.objectContaining({
        nodeId: "app",
        field: "connectionId",
        message: expect.stringMatching(/^Slack steps call https:\/\/slack\.com\. The connection "Example key" may only be sent to https:\/\/example\.com/),
      }),
    ]);
  });

  it("is accepted when the connection's own API base is one of its allowed origins", async () => {
    const seed = await slackSeed({ channel: "#general", text: "hi" });
    await expect(publishFlow(seed.userId, { flowId: seed.flowId }, { ip: "192.0.2.62", userAgent: "vitest" })).resolves.toMatchObject({
      number: expect.any(Number),
    });
  });
});
