// Creating a flow from a template: the stored draft is the server's copy of the
// template's document, the audit event names the template, an unknown template id is
// refused with a clear message and stores nothing, and a document sent by the client
// is an unknown field (the strict schema refuses it) instead of becoming the draft.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/server/db";
import { createFlow } from "@/lib/server/flows/create-flow";
import { getFlow } from "@/lib/server/flows/get-flow";
import { createProject } from "@/lib/server/projects/create-project";
import { findTemplate, FLOW_TEMPLATES } from "@/lib/templates/catalog";
import { HTTP_STATUS } from "@/lib/errors";
import { errorOf } from "../support/error-of";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.77", userAgent: "vitest" };
let n = 0;

async function editorWithProject() {
  const owner = await getDb().user.create({ data: { email: `templates-${++n}@example.com` }, select: { id: true } });
  const project = await createProject(owner.id, { name: `Templates ${n}` }, meta);
  return { userId: owner.id, projectId: project.id };
}

const flowsOf = (projectId: string) => getDb().flow.count({ where: { projectId } });
const createdEvents = (projectId: string) => getDb().auditEvent.findMany({ where: { projectId, action: "flow.created" }, select: { details: true } });

describe("creating a flow from a template", () => {
  it("stores each template's document as the draft and names the template in the audit log", async () => {
    const { userId, projectId } = await editorWithProject();
    for (const template of FLOW_TEMPLATES) {
      const flow = await createFlow(userId, { projectId, name: template.title.slice(0, 80), templateId: template.id }, meta);
      const stored = await getFlow(userId, flow.id);
      expect(stored.draft).toEqual(template.document());
      const row = await getDb().flow.findUniqueOrThrow({ where: { id: flow.id }, select: { draft: true, activeVersionId: true } });
      expect(row.activeVersionId).toBeNull();
      expect(JSON.stringify(row.draft)).not.toContain('"connectionId":"');
    }
    const events = await createdEvents(projectId);
    expect(events.map((event) => (event.details as { templateId?: string }).templateId).sort()).toEqual(FLOW_TEMPLATES.map((t) => t.id).sort());
  });

  it("a blank flow is still a manual trigger, with no template in its audit event", async () => {
    const { userId, projectId } = await editorWithProject();
    const flow = await createFlow(userId, { projectId, name: "Blank" }, meta);
    expect((await getFlow(userId, flow.id)).draft.nodes.map((node) => node.type)).toEqual(["trigger.manual"]);
    const [event] = await createdEvents(projectId);
    expect(event!.details).toEqual({ flowId: flow.id, name: "Blank" });
  });

  it("refuses an unknown template id with a clear 400 and stores nothing", async () => {
    const { userId, projectId } = await editorWithProject();
    for (const templateId of ["no-such-template", "constructor", "__proto__", "../webhook-forward", ""]) {
      const error = await errorOf(createFlow(userId, { projectId, name: "Ghost", templateId }, meta));
      expect([error.code, HTTP_STATUS[error.code as keyof typeof HTTP_STATUS]], templateId).toEqual(["BAD_INPUT", 400]);
      expect(error.message).toBe("That template does not exist. Choose one from the list, or start blank.");
      expect(error.fieldErrors?.templateId).toEqual([error.message]);
    }
    expect(await flowsOf(projectId)).toBe(0);
    expect(await createdEvents(projectId)).toEqual([]);
  });

  it("does not take a document from the client, with or without a template id", async () => {
    const { userId, projectId } = await editorWithProject();
    const hostile = {
      schemaVersion: 1,
      nodes: [
        { id: "trigger", type: "trigger.manual", name: "Run", config: {}, ui: { x: 0, y: 0 } },
        { id: "leak", type: "step.http", name: "Leak", config: { method: "GET", url: "http://169.254.169.254/latest/meta-data" }, ui: { x: 0, y: 160 } },
      ],
      edges: [{ id: "e", source: "trigger", target: "leak" }],
    };
    for (const extra of [{ document: hostile }, { document: hostile, templateId: "webhook-forward" }, { draft: hostile, templateId: "webhook-forward" }]) {
      const error = await errorOf(createFlow(userId, { projectId, name: "Sneaky", ...extra } as never, meta));
      expect(error.code).toBe("BAD_INPUT");
    }
    expect(await flowsOf(projectId)).toBe(0);
    // The template's own document, not the client's, whatever the client had in mind.
    const flow = await createFlow(userId, { projectId, name: "Honest", templateId: "webhook-forward" }, meta);
    const draft = (await getFlow(userId, flow.id)).draft;
    expect(draft).toEqual(findTemplate("webhook-forward")!.document());
    expect(JSON.stringify(draft)).not.toContain("169.254");
  });

  it("a viewer cannot create from a template either", async () => {
    const { projectId } = await editorWithProject();
    const viewer = await getDb().user.create({ data: { email: `templates-viewer-${++n}@example.com` }, select: { id: true } });
    await getDb().membership.create({ data: { projectId, userId: viewer.id, role: "VIEWER" } });
    const error = await errorOf(createFlow(viewer.id, { projectId, name: "Nope", templateId: "webhook-forward" }, meta));
    expect(error.code).toBe("NOT_FOUND");
    expect(await flowsOf(projectId)).toBe(0);
  });
});
