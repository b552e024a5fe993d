// The webhook address shown again (sealed token), regenerated (the old one void at
// once), re-sealed by key rotation, and "Listen for a test event" (the next call becomes
// the trigger's sample; an inactive flow starts no run), on a real database.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, sealedKeyId } from "@/lib/crypto/seal";
import type { EncryptionKey } from "@/lib/env";
import type { TFlowDocument } from "@/lib/flows/document";
import { getDb } from "@/lib/server/db";
import { listStepSamples } from "@/lib/server/flows/list-step-samples";
import { rotateSealedValues } from "@/lib/server/keys/rotate-sealed-values";
import { SEALED_COLUMNS } from "@/lib/server/keys/sealed-columns";
import { startEmbeddedDriver, type TEmbeddedDriver } from "@/lib/server/runs/embedded/embedded-driver";
import { createExecutors } from "@/lib/server/runs/executors";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { createWebhookAddress } from "@/lib/server/webhooks/create-webhook-address";
import { getWebhookSettings } from "@/lib/server/webhooks/get-webhook-settings";
import { listenForTestEvent } from "@/lib/server/webhooks/listen-for-test-event";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { setWebhookSigning } from "@/lib/server/webhooks/set-webhook-signing";
import { ADDRESS_NOT_SHOWABLE_MESSAGE, showWebhookAddress } from "@/lib/server/webhooks/show-webhook-address";
import { webhookAddressContext } from "@/lib/server/webhooks/webhook-address-seal";
import { seedWebhookFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.61", userAgent: "vitest" };
let driver: TEmbeddedDriver;
beforeAll(() => {
  driver = startEmbeddedDriver({ executors: createExecutors(), secretsFor: listRunSecrets, pollMs: 50 });
});
afterAll(() => driver.stop());

const DOCUMENT: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "hook", type: "trigger.webhook", name: "Hook", config: {}, ui: { x: 0, y: 0 } },
    { id: "shape", type: "step.transform", name: "Shape", config: { expression: "{ 'n': trigger.body.n }" }, ui: { x: 0, y: 100 } },
  ],
  edges: [{ id: "e1", source: "hook", target: "shape" }],
};

function call(token: string, body: unknown, headers: Record<string, string> = {}) {
  return receiveWebhook({
    token,
    method: "POST",
    headers: new Headers({ "content-type": "application/json", ...headers }),
    body: Buffer.from(JSON.stringify(body)),
    query: new URLSearchParams("from=listen"),
  });
}

const tokenOf = (url: string) => url.split("/").pop()!;
const runsOf = (flowId: string) => getDb().flowRun.count({ where: { flowId } });

async function member(projectId: string, role: "VIEWER" | "EDITOR") {
  const db = getDb();
  const user = await db.user.create({ data: { email: `${role.toLowerCase()}-${randomBytes(4).toString("hex")}@example.com` }, select: { id: true } });
  await db.membership.create({ data: { projectId, userId: user.id, role } });
  return user.id;
}

describe("showing the webhook address again", () => {
  it("shows editors the same address the webhook accepts; the token is stored only sealed and hashed", async () => {
    const hook = await seedWebhookFlow(DOCUMENT, { meta });
    const editor = await member(hook.projectId, "EDITOR");
    const shown = await showWebhookAddress(editor, { flowId: hook.flowId });
    expect(shown.url).toBe(hook.url);
    expect((await call(tokenOf(shown.url), { n: 1 })).status).toBe(202);
    // Showing a secret is audited, by whom and for which flow, with only the token's hint.
    const viewed = await getDb().auditEvent.findMany({ where: { action: "flow.webhook_address_viewed", projectId: hook.projectId } });
    expect(viewed.map((event) => [event.userId, (event.details as { flowId?: string }).flowId])).toEqual([[editor, hook.flowId]]);
    expect(JSON.stringify(viewed.map((event) => event.details))).not.toContain(hook.token);

    const row = await getDb().flowWebhook.findUniqueOrThrow({ where: { flowId: hook.flowId } });
    expect(JSON.stringify(row)).not.toContain(hook.token);
    expect(row.tokenSealed).toMatch(/^v1\./);
    // Bound to this flow: the same sealed text does not open as another flow's address.
    expect(open(row.tokenSealed!, webhookAddressContext(hook.projectId, hook.flowId), getAppSecrets().encryptionKeys)).toBe(hook.token);
    expect(() => open(row.tokenSealed!, webhookAddressContext(hook.projectId, crypto.randomUUID()), getAppSecrets().encryptionKeys)).toThrow();
    const settings = await getWebhookSettings(editor, hook.flowId);
    expect(settings.canShowAddress).toBe(true);
    expect(JSON.stringify(settings)).not.toContain(hook.token);
  });

  it("refuses viewers and other projects' members as not found", async () => {
    const hook = await seedWebhookFlow(DOCUMENT, { meta });
    const viewer = await member(hook.projectId, "VIEWER");
    const other = await seedWebhookFlow(DOCUMENT, { meta });
    await expect(showWebhookAddress(viewer, { flowId: hook.flowId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(showWebhookAddress(other.userId, { flowId: hook.flowId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // The viewer still sees that an address exists (its hint), never the address.
    expect(await getWebhookSettings(viewer, hook.flowId)).toMatchObject({ hasAddress: true, tokenHint: hook.token.slice(-4) });
  });

  it("asks to regenerate an address made before tokens were sealed", async () => {
    const hook = await seedWebhookFlow(DOCUMENT, { meta });
    await getDb().flowWebhook.update({ where: { flowId: hook.flowId }, data: { tokenSealed: null } });
    expect((await getWebhookSettings(hook.userId, hook.flowId)).canShowAddress).toBe(false);
    await expect(showWebhookAddress(hook.userId, { flowId: hook.flowId })).rejects.toMatchObject({ code: "BAD_INPUT", message: ADDRESS_NOT_SHOWABLE_MESSAGE });
    const { url } = await createWebhookAddress(hook.userId, { flowId: hook.flowId }, meta);
    expect((await showWebhookAddress(hook.userId, { flowId: hook.flowId })).url).toBe(url);
  });

  it("regenerating voids the old address at once and is audited without the address", async () => {
    const hook = await seedWebhookFlow(DOCUMENT, { meta });
    const { url } = await createWebhookAddress(hook.userId, { flowId: hook.flowId }, meta);
    expect(url).not.toBe(hook.url);
    expect((await call(hook.token, { n: 1 })).status).toBe(404);
    expect((await call(tokenOf(url), { n: 2 })).status).toBe(202);
    expect((await showWebhookAddress(hook.userId, { flowId: hook.flowId })).url).toBe(url);
    const events = await getDb().auditEvent.findMany({ where: { projectId: hook.projectId, action: "flow.webhook_created" }, orderBy: { at: "asc" } });
    expect(events.map((event) => (event.details as { regenerated: boolean }).regenerated)).toEqual([false, true]);
    expect(JSON.stringify(events.map((event) => event.details))).not.toContain(tokenOf(url));
    expect(JSON.stringify(events.map((event) => event.details))).not.toContain(hook.token);
  });

  it("key rotation re-seals the address, which then still shows and still works", async () => {
    const hook = await seedWebhookFlow(DOCUMENT, { meta });
    const keyB: EncryptionKey = { id: `w${randomBytes(3).toString("hex")}`, key: randomBytes(32) };
    const ring = [keyB, ...getAppSecrets().encryptionKeys];
    const entry = SEALED_COLUMNS.find((column) => column.table === "flow_webhooks" && column.column === "tokenSealed");
    expect(entry).toBeDefined();
    const result = await rotateSealedValues({ ring, columns: [entry!] });
    expect(result.failures).toEqual([]);
    const row = await getDb().flowWebhook.findUniqueOrThrow({ where: { flowId: hook.flowId } });
    expect(sealedKeyId(row.tokenSealed!)).toBe(keyB.id);
    expect(open(row.tokenSealed!, webhookAddressContext(hook.projectId, hook.flowId), ring)).toBe(hook.token);
    expect((await call(hook.token, { n: 3 })).status).toBe(202);
  });
});

describe("listening for a test event", () => {
  it("on an inactive flow: the next call becomes the trigger's sample, is answered 202 and starts no run", async () => {
    const hook = await seedWebhookFlow(DOCUMENT, { meta, isActive: false });
    const editor = await member(hook.projectId, "EDITOR");
    // Not listening: an inactive flow's address is an unknown address.
    expect((await call(hook.token, { n: 0 })).status).toBe(404);

    const started = await listenForTestEvent(editor, { flowId: hook.flowId, mode: "start" });
    expect(started.status).toBe("listening");
    if (started.status !== "listening") return;
    expect(await listenForTestEvent(editor, { flowId: hook.flowId, mode: "check", since: started.since })).toMatchObject({ status: "listening" });

    const answer = await call(hook.token, { n: 42, order: { id: "A-1" } }, { cookie: "session=stolen", "x-github-event": "push" });
    expect(answer).toMatchObject({ status: 202, body: { message: "Test event received." } });
    expect(await runsOf(hook.flowId)).toBe(0);

    const checked = await listenForTestEvent(editor, { flowId: hook.flowId, mode: "check", since: started.since });
    expect(checked.status).toBe("received");
    const sample =
      checked.status === "received" ? (checked.sample.output as { method: string; headers: Record<string, string>; query: unknown; body: unknown }) : null;
    expect(sample).toMatchObject({ method: "POST", query: { from: "listen" }, body: { n: 42, order: { id: "A-1" } } });
    expect(sample!.headers["x-github-event"]).toBe("push");
    expect(sample!.headers.cookie).toBeUndefined();
    // The editor's mapping picker reads it as the trigger's sample, stored as the listener's.
    const samples = await listStepSamples(editor, hook.flowId);
    expect(samples.hook).toMatchObject({ source: "test", output: { body: { n: 42 } } });
    const row = await getDb().flowStepSample.findUniqueOrThrow({ where: { flowId_nodeId: { flowId: hook.flowId, nodeId: "hook" } } });
    expect(row.createdById).toBe(editor);
    expect(row.outputSealed).not.toContain("A-1");

    // One event only: listening stopped, and the address is unknown again.
    expect((await call(hook.token, { n: 43 })).status).toBe(404);
    expect(await runsOf(hook.flowId)).toBe(0);
  });

  it("on an active flow: the call runs as usual and the sample is recorded too", async () => {
    const hook = await seedWebhookFlow(DOCUMENT, { meta, isActive: true });
    const started = await listenForTestEvent(hook.userId, { flowId: hook.flowId, mode: "start" });
    const answer = await call(hook.token, { n: 7 });
    expect(answer.status).toBe(202);
    expect((answer.body as { runId?: string }).runId).toEqual(expect.any(String));
    expect(await runsOf(hook.flowId)).toBe(1);
    const checked = await listenForTestEvent(hook.userId, { flowId: hook.flowId, mode: "check", since: (started as { since: string }).since });
    expect(checked).toMatchObject({ status: "received", sample: { output: { body: { n: 7 } } } });
  });

  it("stops on cancel and on expiry; a signed address still needs its signature", async () => {
    let now = Date.now();
    const hook = await seedWebhookFlow(DOCUMENT, { meta, isActive: false });
    await listenForTestEvent(hook.userId, { flowId: hook.flowId, mode: "start" });
    expect(await listenForTestEvent(hook.userId, { flowId: hook.flowId, mode: "stop" })).toEqual({ status: "stopped" });
    expect((await call(hook.token, { n: 1 })).status).toBe(404);

    await setWebhookSigning(hook.userId, { flowId: hook.flowId, enabled: true }, meta);
    await listenForTestEvent(hook.userId, { flowId: hook.flowId, mode: "start" }, { now: () => now });
    expect((await call(hook.token, { n: 2 })).status).toBe(401);
    now -= 3 * 60 * 1000;
    await listenForTestEvent(hook.userId, { flowId: hook.flowId, mode: "start" }, { now: () => now });
    await setWebhookSigning(hook.userId, { flowId: hook.flowId, enabled: false }, meta);
    // Its two minutes are over: the address is unknown again.
    expect((await call(hook.token, { n: 3 })).status).toBe(404);
    expect(await getDb().flowStepSample.count({ where: { flowId: hook.flowId } })).toBe(0);
  });

  it("is refused to viewers and to other projects", async () => {
    const hook = await seedWebhookFlow(DOCUMENT, { meta, isActive: false });
    const viewer = await member(hook.projectId, "VIEWER");
    const other = await seedWebhookFlow(DOCUMENT, { meta });
    await expect(listenForTestEvent(viewer, { flowId: hook.flowId, mode: "start" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listenForTestEvent(other.userId, { flowId: hook.flowId, mode: "start" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await getDb().flowWebhook.findUniqueOrThrow({ where: { flowId: hook.flowId } })).listeningUntil).toBeNull();
  });
});
