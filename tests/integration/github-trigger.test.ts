// The GitHub trigger end to end on a real database: the flow's webhook address and a
// generated secret shown to its editors, and deliveries as GitHub sends them. Attacker
// tests: a missing, wrong or other-secret signature, and a body changed after signing,
// are refused with 401 before anything is stored or started; an event the trigger did
// not select starts nothing; a replayed delivery id starts no second run.
import { describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { getDb } from "@/lib/server/db";
import { setUpGithubWebhook } from "@/lib/server/webhooks/github/set-up-github-webhook";
import { getGithubWebhookState, showGithubWebhook } from "@/lib/server/webhooks/github/show-github-webhook";
import { createWebhookAddress } from "@/lib/server/webhooks/create-webhook-address";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { GITHUB_ISSUE_SAMPLE } from "@/lib/apps/github/github-samples";
import { errorOf } from "../support/error-of";
import { GithubStandin, type TGithubDelivery } from "../support/github-standin";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const META = { ip: "192.0.2.7", userAgent: "vitest" };

const GITHUB_DOCUMENT: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "github", type: "trigger.github", name: "GitHub", config: { events: ["issues.opened", "issue_comment.created"] }, ui: { x: 0, y: 0 } },
    { id: "shape", type: "step.transform", name: "Shape", config: { expression: "$" }, ui: { x: 0, y: 100 } },
  ],
  edges: [{ id: "e1", source: "github", target: "shape" }],
} as TFlowDocument;

async function seedGithubFlow(options: { isActive?: boolean } = {}) {
  const flow = await seedPublishedFlow(GITHUB_DOCUMENT, "github-trigger", { isActive: options.isActive ?? true });
  await setUpGithubWebhook(flow.userId, { flowId: flow.flowId }, META);
  const { url, secret } = await showGithubWebhook(flow.userId, { flowId: flow.flowId }, META);
  return { ...flow, url, secret, token: url.split("/").pop()! };
}

let client = 0;
async function deliver(token: string, delivery: TGithubDelivery, method = "POST") {
  const { headers, body, deliveryId } = GithubStandin.delivery(delivery);
  client += 1;
  const answer = await receiveWebhook({
    token,
    method,
    headers: new Headers(headers),
    body: Buffer.from(body),
    query: new URLSearchParams(),
    clientIp: `198.51.100.${client % 250}`,
  });
  return { ...answer, deliveryId };
}

/** Everything a delivery could have stored for the flow. */
async function storedFor(flowId: string) {
  const db = getDb();
  const [runs, requests, samples] = await Promise.all([
    db.flowRun.count({ where: { flowId } }),
    db.webhookRequest.count({ where: { flowId } }),
    db.flowStepSample.count({ where: { flowId } }),
  ]);
  return { runs, requests, samples };
}

const opened = { action: "opened", issue: GITHUB_ISSUE_SAMPLE, repository: { full_name: "octocat/Hello-World" }, sender: { login: "octocat" } };

describe("GitHub trigger", () => {
  it("starts a run for a signed delivery of a chosen event, with the event, action, delivery id and payload", async () => {
    const flow = await seedGithubFlow();
    const answer = await deliver(flow.token, { event: "issues", payload: opened, secret: flow.secret });
    expect(answer.status).toBe(202);
    const runId = (answer.body as { runId: string }).runId;
    const run = await getDb().flowRun.findUniqueOrThrow({ where: { id: runId }, select: { flowId: true, trigger: true, status: true } });
    expect(run).toMatchObject({ flowId: flow.flowId, trigger: "webhook" });
    // The form-encoded content type GitHub offers works the same.
    const form = await deliver(flow.token, {
      event: "issue_comment",
      payload: { action: "created", comment: { body: "hi" } },
      secret: flow.secret,
      form: true,
    });
    expect(form.status).toBe(202);
    expect((await storedFor(flow.flowId)).runs).toBe(2);
  });

  it("starts no second run for a replayed delivery id", async () => {
    const flow = await seedGithubFlow();
    const first = await deliver(flow.token, { event: "issues", payload: opened, secret: flow.secret });
    const again = await deliver(flow.token, { event: "issues", payload: opened, secret: flow.secret, deliveryId: first.deliveryId });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ runId: (first.body as { runId: string }).runId, duplicate: true });
    expect((await storedFor(flow.flowId)).runs).toBe(1);
  });

  it("says why a payload too large for a run is refused, and a retry of it is not taken for a duplicate", async () => {
    const flow = await seedGithubFlow();
    const big = { ...opened, issue: { ...GITHUB_ISSUE_SAMPLE, body: "x".repeat(1_100_000) } };
    const first = await deliver(flow.token, { event: "issues", payload: big, secret: flow.secret });
    expect([first.status, first.body]).toEqual([413, { error: "The payload is larger than 1 MB." }]);
    expect(await storedFor(flow.flowId)).toEqual({ runs: 0, requests: 0, samples: 0 });
  });

  it("answers GitHub's ping without a run", async () => {
    const flow = await seedGithubFlow();
    const answer = await deliver(flow.token, { event: "ping", payload: { zen: "Design for failure.", hook_id: 292430182 }, secret: flow.secret });
    expect([answer.status, answer.body]).toEqual([200, { message: "pong" }]);
    expect(await storedFor(flow.flowId)).toEqual({ runs: 0, requests: 0, samples: 0 });
  });

  it("starts nothing for an event the trigger did not choose", async () => {
    const flow = await seedGithubFlow();
    const closed = await deliver(flow.token, { event: "issues", payload: { ...opened, action: "closed" }, secret: flow.secret });
    const push = await deliver(flow.token, { event: "push", payload: { ref: "refs/heads/main" }, secret: flow.secret });
    expect([closed.status, push.status]).toEqual([200, 200]);
    expect(closed.body).toMatchObject({ ignored: true });
    expect(await storedFor(flow.flowId)).toEqual({ runs: 0, requests: 0, samples: 0 });
  });

  it.each([
    ["no signature", { signature: null }],
    ["an empty signature", { signature: "" }],
    ["a signature made with another secret", { secret: "not-the-flow-secret-0123456789abcdef" }],
    ["the legacy SHA-1 signature", { signature: "sha1=01dc10d0c83e72ed246219cdd91669667fe2ca59" }],
    ["a body changed after signing", { tamper: (body: string) => body.replace('"opened"', '"closed"') }],
    ["a body with a byte added after signing", { tamper: (body: string) => `${body} ` }],
    ["a signature without its sha256= prefix", { signature: "0".repeat(64) }],
  ])("refuses %s with 401 and stores and starts nothing", async (_, attack) => {
    const flow = await seedGithubFlow();
    const delivery = { event: "issues", payload: opened, secret: flow.secret, ...attack } as TGithubDelivery;
    const answer = await deliver(flow.token, delivery);
    expect(answer.status).toBe(401);
    expect(JSON.stringify(answer.body)).not.toContain(flow.secret);
    expect(await storedFor(flow.flowId)).toEqual({ runs: 0, requests: 0, samples: 0 });
  });

  it("refuses another flow's secret, and the old secret once it is renewed", async () => {
    const flow = await seedGithubFlow();
    const other = await seedGithubFlow();
    expect((await deliver(flow.token, { event: "issues", payload: opened, secret: other.secret })).status).toBe(401);
    await setUpGithubWebhook(flow.userId, { flowId: flow.flowId, renewSecret: true }, META);
    const renewed = await showGithubWebhook(flow.userId, { flowId: flow.flowId }, META);
    expect(renewed.secret).not.toBe(flow.secret);
    // The address stays; only the secret changed.
    expect(renewed.url).toBe(flow.url);
    expect((await deliver(flow.token, { event: "issues", payload: opened, secret: flow.secret })).status).toBe(401);
    expect(await storedFor(flow.flowId)).toEqual({ runs: 0, requests: 0, samples: 0 });
    expect((await deliver(flow.token, { event: "issues", payload: opened, secret: renewed.secret })).status).toBe(202);
  });

  it("refuses every delivery while the trigger has no secret, and anything but POST", async () => {
    const flow = await seedPublishedFlow(GITHUB_DOCUMENT, "github-unset", { isActive: true });
    const { url } = await createWebhookAddress(flow.userId, { flowId: flow.flowId }, META);
    const token = url.split("/").pop()!;
    expect((await deliver(token, { event: "issues", payload: opened, secret: "anything-at-all-0000000000" })).status).toBe(401);
    expect(await getGithubWebhookState(flow.userId, flow.flowId)).toMatchObject({ isSetUp: false });
    const set = await seedGithubFlow();
    expect((await deliver(set.token, { event: "issues", payload: opened, secret: set.secret }, "GET")).status).toBe(405);
    expect(await storedFor(flow.flowId)).toEqual({ runs: 0, requests: 0, samples: 0 });
    expect((await storedFor(set.flowId)).runs).toBe(0);
  });

  it("does not replace another trigger's signature settings", async () => {
    const flow = await seedPublishedFlow(
      { schemaVersion: 1, nodes: [{ id: "hook", type: "trigger.webhook", name: "Hook", config: {}, ui: { x: 0, y: 0 } }], edges: [] } as TFlowDocument,
      "plain-hook",
      { isActive: true },
    );
    const error = await errorOf(setUpGithubWebhook(flow.userId, { flowId: flow.flowId }, META));
    expect([error.code, error.message]).toEqual(["BAD_INPUT", "This flow's trigger is not a GitHub trigger."]);
    expect(await getDb().flowWebhook.count({ where: { flowId: flow.flowId } })).toBe(0);
  });

  it("starts nothing on a flow that is off (the same 404 as an unknown address)", async () => {
    const flow = await seedGithubFlow({ isActive: false });
    const answer = await deliver(flow.token, { event: "issues", payload: opened, secret: flow.secret });
    expect(answer.status).toBe(404);
    expect(await storedFor(flow.flowId)).toEqual({ runs: 0, requests: 0, samples: 0 });
  });

  it("shows the address and secret to editors only, audited without the secret", async () => {
    const flow = await seedGithubFlow();
    const db = getDb();
    const viewer = await db.user.create({ data: { email: `viewer-${flow.flowId}@example.com` }, select: { id: true } });
    await db.membership.create({ data: { projectId: flow.projectId, userId: viewer.id, role: "VIEWER" } });
    const stranger = await db.user.create({ data: { email: `stranger-${flow.flowId}@example.com` }, select: { id: true } });
    for (const userId of [viewer.id, stranger.id]) {
      expect((await errorOf(showGithubWebhook(userId, { flowId: flow.flowId }, META))).code).toBe("NOT_FOUND");
      expect((await errorOf(setUpGithubWebhook(userId, { flowId: flow.flowId, renewSecret: true }, META))).code).toBe("NOT_FOUND");
    }
    const events = await db.auditEvent.findMany({
      where: { projectId: flow.projectId, action: { in: ["flow.webhook_address_viewed", "flow.webhook_signing_changed", "flow.webhook_created"] } },
    });
    expect(events.map((e) => e.action).sort()).toEqual(["flow.webhook_address_viewed", "flow.webhook_created", "flow.webhook_signing_changed"]);
    const dump = JSON.stringify(events.map(({ details, action }) => ({ details, action })));
    expect(dump).not.toContain(flow.secret);
    expect(dump).not.toContain(flow.token);
    expect(events.find((e) => e.action === "flow.webhook_address_viewed")!.details).toMatchObject({ withSecret: true });
  });
});
