// The webhook address is a bearer secret (whoever has it starts the flow). Written as
// the attacker: a viewer of the project, a member of another project and an outsider
// try to read it back or to turn a test listen into a way in; and everything the flow
// page renders for an editor (before "Show address") is searched for the token.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { getDb } from "@/lib/server/db";
import { getFlow } from "@/lib/server/flows/get-flow";
import { listFlowVersions } from "@/lib/server/flows/list-flow-versions";
import { createWebhookAddress } from "@/lib/server/webhooks/create-webhook-address";
import { getWebhookSettings } from "@/lib/server/webhooks/get-webhook-settings";
import { listenForTestEvent } from "@/lib/server/webhooks/listen-for-test-event";
import { receiveWebhook } from "@/lib/server/webhooks/receive-webhook";
import { showWebhookAddress } from "@/lib/server/webhooks/show-webhook-address";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.66", userAgent: "vitest" };

const document: TFlowDocument = {
  schemaVersion: 1,
  nodes: [{ id: "hook", type: "trigger.webhook", name: "Hook", config: {}, ui: { x: 0, y: 0 } }],
  edges: [],
};

let ids: { owner: string; editor: string; viewer: string; stranger: string; flowId: string; token: string };

beforeAll(async () => {
  const db = getDb();
  const tag = randomBytes(3).toString("hex");
  const [owner, editor, viewer, stranger] = await Promise.all(
    ["owner", "editor", "viewer", "stranger"].map((role) => db.user.create({ data: { email: `addr-${role}-${tag}@example.com` }, select: { id: true } })),
  );
  const project = await db.project.create({
    data: {
      name: `Orders ${tag}`,
      memberships: {
        create: [
          { userId: owner!.id, role: "OWNER" },
          { userId: editor!.id, role: "EDITOR" },
          { userId: viewer!.id, role: "VIEWER" },
        ],
      },
    },
    select: { id: true },
  });
  // The stranger owns a project of their own: a member of Vaultflow, not of this project.
  await db.project.create({ data: { name: `Theirs ${tag}`, memberships: { create: { userId: stranger!.id, role: "OWNER" } } } });
  const flow = await db.flow.create({ data: { projectId: project.id, name: "Orders in", draft: document as never }, select: { id: true } });
  const { url } = await createWebhookAddress(owner!.id, { flowId: flow.id }, meta);
  ids = { owner: owner!.id, editor: editor!.id, viewer: viewer!.id, stranger: stranger!.id, flowId: flow.id, token: url.split("/").pop()! };
});

describe("the webhook address, as an attacker", () => {
  it("a viewer asking to show the address gets not found, like a stranger and like a flow that does not exist", async () => {
    const answers = await Promise.all(
      [
        showWebhookAddress(ids.viewer, { flowId: ids.flowId }),
        showWebhookAddress(ids.stranger, { flowId: ids.flowId }),
        showWebhookAddress(ids.editor, { flowId: crypto.randomUUID() }),
      ].map((attempt) =>
        attempt.then(
          () => null,
          (error: { code: string; message: string }) => [error.code, error.message],
        ),
      ),
    );
    expect(answers[0]).toEqual(["NOT_FOUND", expect.any(String)]);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it("a viewer or a stranger cannot listen (which would make a flow that is off answer its address)", async () => {
    for (const attacker of [ids.viewer, ids.stranger]) {
      await expect(listenForTestEvent(attacker, { flowId: ids.flowId, mode: "start" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(listenForTestEvent(attacker, { flowId: ids.flowId, mode: "check", since: new Date(0).toISOString() })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
    const row = await getDb().flowWebhook.findUniqueOrThrow({ where: { flowId: ids.flowId } });
    expect(row.listeningUntil).toBeNull();
    // The flow is off and nobody listens: its address reads as unknown to a caller.
    const answer = await receiveWebhook({
      token: ids.token,
      method: "POST",
      headers: new Headers({ "content-type": "application/json" }),
      body: Buffer.from("{}"),
      query: new URLSearchParams(),
    });
    expect(answer.status).toBe(404);
  });

  it("nothing the flow page renders for an editor carries the token until they ask", async () => {
    const rendered = JSON.stringify([
      await getFlow(ids.editor, ids.flowId),
      await getWebhookSettings(ids.editor, ids.flowId),
      await listFlowVersions(ids.editor, ids.flowId),
    ]);
    expect(rendered).toContain(ids.token.slice(-4));
    expect(rendered).not.toContain(ids.token);
    expect(rendered).not.toContain(ids.token.slice(0, 16));
    // Audit details name only the hint.
    const audit = await getDb().auditEvent.findMany({ where: { action: "flow.webhook_created" }, select: { details: true } });
    expect(JSON.stringify(audit)).not.toContain(ids.token.slice(0, 16));
  });
});
