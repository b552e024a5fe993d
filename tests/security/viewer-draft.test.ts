// A viewer (read-only member) reads flows, but must not read a secret that an editor
// typed into a step's field (an Authorization header, a key in a URL): the export
// already redacts those, and the flow page and the editor hand a viewer the same
// redacted draft. Editors still get the real draft: they must be able to edit it.
import { beforeAll, describe, expect, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { getDb } from "@/lib/server/db";
import { exportFlow } from "@/lib/server/flows/export-flow";
import { getFlow } from "@/lib/server/flows/get-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

const TYPED_TOKEN = "sk_live_51HxQvTypedIntoAHeader0042";
const TYPED_KEY = "q8R2vN6tY4mK1pZ7";

const draft: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
    {
      id: "call",
      type: "step.http",
      name: "Charge the card",
      config: {
        method: "POST",
        url: `https://api.payments.example/v1/charges?api_key=${TYPED_KEY}`,
        headers: [
          { name: "Authorization", value: `Bearer ${TYPED_TOKEN}` },
          { name: "Accept", value: "application/json" },
        ],
      },
      ui: { x: 200, y: 0 },
    },
  ],
  edges: [{ id: "e1", source: "trigger", target: "call" }],
};

let ids: { viewer: string; editor: string; owner: string; flowId: string };

beforeAll(async () => {
  const db = getDb();
  const [owner, editor, viewer] = await Promise.all(
    ["owner", "editor", "viewer"].map((role) => db.user.create({ data: { email: `draft-${role}@example.com` }, select: { id: true } })),
  );
  const project = await db.project.create({
    data: {
      name: "Payments",
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
  const flow = await db.flow.create({ data: { projectId: project.id, name: "Charge", draft: draft as never }, select: { id: true } });
  ids = { viewer: viewer!.id, editor: editor!.id, owner: owner!.id, flowId: flow.id };
});

describe("a viewer reading a flow's draft", () => {
  it("gets the secrets typed into step fields redacted, and the rest of the draft as it is", async () => {
    const view = await getFlow(ids.viewer, ids.flowId);
    const text = JSON.stringify(view);
    expect(text).not.toContain(TYPED_TOKEN);
    expect(text).not.toContain(TYPED_KEY);
    const call = view.draft.nodes.find((node) => node.id === "call")!;
    expect(call.name).toBe("Charge the card");
    expect(call.config.headers).toEqual([
      { name: "Authorization", value: "[redacted]" },
      { name: "Accept", value: "application/json" },
    ]);
    expect(call.config.url).toBe("https://api.payments.example/v1/charges?api_key=[redacted]");
    // What the viewer sees is what the export gives anyone who may read the flow.
    expect(((await exportFlow(ids.viewer, ids.flowId)).document as TFlowDocument).nodes).toEqual(view.draft.nodes);
  });

  it("leaves editors and owners the real draft, so they can edit it", async () => {
    for (const userId of [ids.editor, ids.owner]) {
      const view = await getFlow(userId, ids.flowId);
      expect(view.draft).toEqual(draft);
    }
  });
});
