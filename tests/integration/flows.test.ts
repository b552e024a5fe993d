import { describe, expect, it } from "vitest";
import type { TFlowNode } from "@/lib/flows/document";
import type { TFlowOperation } from "@/lib/flows/operations";
import { getDb } from "@/lib/server/db";
import { createFlow } from "@/lib/server/flows/create-flow";
import { deleteFlow } from "@/lib/server/flows/delete-flow";
import { getFlow } from "@/lib/server/flows/get-flow";
import { listFlows } from "@/lib/server/flows/list-flows";
import { FlowNotRunnableError, publishFlow } from "@/lib/server/flows/publish-flow";
import { renameFlow } from "@/lib/server/flows/rename-flow";
import { saveFlowDraft } from "@/lib/server/flows/save-flow-draft";
import { setFlowActive } from "@/lib/server/flows/set-flow-active";
import { errorOf } from "../support/error-of";
import { createTeamProject } from "../support/project-team";
import { stepAfterTrigger } from "../support/flow-operations";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.41", userAgent: "vitest" };
let n = 0;
const newUser = () => getDb().user.create({ data: { email: `flows-${++n}@example.com` }, select: { id: true } });

async function team() {
  const [owner, editor, viewer, outsider] = await Promise.all([newUser(), newUser(), newUser(), newUser()]);
  return createTeamProject({ owner, editor, viewer, outsider }, `Team ${n}`, meta);
}

const transform = (id: string): TFlowNode => ({ id, type: "step.transform", name: `Shape ${id}`, config: { expression: "$" }, ui: { x: 0, y: 100 } });
const addStep: TFlowOperation[] = stepAfterTrigger(transform("shape"));

describe("flows", () => {
  it("editors create and edit, viewers read, outsiders see nothing", async () => {
    const { editor, viewer, outsider, project } = await team();
    const flow = await createFlow(editor.id, { projectId: project.id, name: "Sync orders" }, meta);
    expect((await listFlows(viewer.id, project.id)).map((f) => f.name)).toEqual(["Sync orders"]);
    expect((await getFlow(viewer.id, flow.id)).draft.nodes.map((node) => node.id)).toEqual(["trigger"]);

    expect((await errorOf(createFlow(viewer.id, { projectId: project.id, name: "Nope" }, meta))).code).toBe("NOT_FOUND");
    expect((await errorOf(saveFlowDraft(viewer.id, { flowId: flow.id, revision: 1, operations: addStep }))).code).toBe("NOT_FOUND");
    const foreign = await errorOf(getFlow(outsider.id, flow.id));
    const missing = await errorOf(getFlow(outsider.id, "00000000-0000-4000-8000-000000000000"));
    expect([foreign.code, foreign.message]).toEqual(["NOT_FOUND", "Flow not found."]);
    expect([missing.code, missing.message]).toEqual([foreign.code, foreign.message]);
    expect((await errorOf(deleteFlow(outsider.id, { flowId: flow.id }, meta))).code).toBe("NOT_FOUND");
    expect((await errorOf(renameFlow(viewer.id, { flowId: flow.id, name: "Mine" }, meta))).code).toBe("NOT_FOUND");
    expect(await getDb().flow.count({ where: { projectId: project.id } })).toBe(1);
    expect(await getDb().auditEvent.count({ where: { projectId: project.id, action: "flow.created" } })).toBe(1);
  });

  it("saves typed operations with compare-and-swap on the revision", async () => {
    const { editor, project } = await team();
    const flow = await createFlow(editor.id, { projectId: project.id, name: "Draft" }, meta);
    const saved = await saveFlowDraft(editor.id, { flowId: flow.id, revision: 1, operations: addStep });
    expect(saved.revision).toBe(2);
    expect(saved.problems).toEqual([]);
    // A second tab still at revision 1 is refused and changes nothing.
    const stale = await errorOf(saveFlowDraft(editor.id, { flowId: flow.id, revision: 1, operations: [{ op: "remove_node", nodeId: "shape" }] }));
    expect(stale.code).toBe("CONFLICT");
    // An operation that would break the document is refused with its reason.
    const loop = await errorOf(
      saveFlowDraft(editor.id, { flowId: flow.id, revision: 2, operations: [{ op: "connect", edge: { id: "x", source: "shape", target: "trigger" } }] }),
    );
    expect([loop.code, loop.message]).toEqual(["BAD_INPUT", "Nothing can lead into the trigger."]);
    const stored = await getFlow(editor.id, flow.id);
    expect([stored.draftRevision, stored.draft.nodes.map((node) => node.id)]).toEqual([2, ["trigger", "shape"]]);
  });

  it("publishes immutable, numbered versions only when the draft can run", async () => {
    const { owner, editor, project } = await team();
    const flow = await createFlow(editor.id, { projectId: project.id, name: "Publishable" }, meta);
    await saveFlowDraft(editor.id, {
      flowId: flow.id,
      revision: 1,
      operations: [{ op: "add_node", node: { ...transform("lonely"), config: {} } }],
    });
    const refused = await errorOf(publishFlow(editor.id, { flowId: flow.id }, meta));
    expect(refused).toBeInstanceOf(FlowNotRunnableError);
    expect((refused as FlowNotRunnableError).problems.map((p) => p.nodeId)).toEqual(["lonely", "lonely"]);
    expect(await getDb().flowVersion.count({ where: { flowId: flow.id } })).toBe(0);
    expect((await errorOf(setFlowActive(editor.id, { flowId: flow.id, isActive: true }, meta))).message).toBe("Publish the flow before turning it on.");

    await saveFlowDraft(editor.id, {
      flowId: flow.id,
      revision: 2,
      operations: [{ op: "remove_node", nodeId: "lonely" }, ...addStep],
    });
    const first = await publishFlow(editor.id, { flowId: flow.id, note: "first" }, meta);
    const second = await publishFlow(owner.id, { flowId: flow.id }, meta);
    expect([first.number, second.number]).toEqual([1, 2]);
    await setFlowActive(editor.id, { flowId: flow.id, isActive: true }, meta);
    const view = await getFlow(editor.id, flow.id);
    expect([view.isActive, view.activeVersion?.number, view.latestVersion]).toEqual([true, 2, 2]);
    const versions = await getDb().flowVersion.findMany({ where: { flowId: flow.id }, orderBy: { number: "asc" }, select: { note: true, authorId: true } });
    expect(versions).toEqual([
      { note: "first", authorId: editor.id },
      { note: "", authorId: owner.id },
    ]);
    const actions = (await getDb().auditEvent.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" }, select: { action: true } })).map(
      (e) => e.action,
    );
    expect(actions).toEqual(["project.created", "flow.created", "flow.published", "flow.published", "flow.activated"]);
  });

  it("refuses at publish a step that uses another project's connection", async () => {
    const { editor, project } = await team();
    const other = await team();
    const foreign = await getDb().connection.create({
      data: { projectId: other.project.id, name: "Theirs", type: "BEARER", settings: {}, secretSealed: "v1.x.y.z" },
      select: { id: true },
    });
    const flow = await createFlow(editor.id, { projectId: project.id, name: "Borrower" }, meta);
    await saveFlowDraft(editor.id, {
      flowId: flow.id,
      revision: 1,
      operations: stepAfterTrigger({
        id: "call",
        type: "step.http",
        name: "Call",
        config: { method: "GET", url: "https://api.example.com", connectionId: foreign.id },
        ui: { x: 0, y: 0 },
      }),
    });
    const refused = (await errorOf(publishFlow(editor.id, { flowId: flow.id }, meta))) as FlowNotRunnableError;
    expect(refused.problems).toEqual([
      { nodeId: "call", field: "connectionId", message: "This step's connection is not one of this project's connections. Choose another." },
    ]);
  });

  it("keeps names unique per project and deletes with versions", async () => {
    const { editor, project } = await team();
    const flow = await createFlow(editor.id, { projectId: project.id, name: "Same" }, meta);
    expect((await errorOf(createFlow(editor.id, { projectId: project.id, name: "Same" }, meta))).code).toBe("CONFLICT");
    await saveFlowDraft(editor.id, { flowId: flow.id, revision: 1, operations: addStep });
    await publishFlow(editor.id, { flowId: flow.id }, meta);
    await deleteFlow(editor.id, { flowId: flow.id }, meta);
    expect(await getDb().flowVersion.count({ where: { flowId: flow.id } })).toBe(0);
    expect(await getDb().auditEvent.count({ where: { projectId: project.id, action: "flow.deleted" } })).toBe(1);
  });

  it("refuses unknown fields at the data layer too", async () => {
    const { editor, project } = await team();
    const bad = await errorOf(createFlow(editor.id, { projectId: project.id, name: "X", ownerId: editor.id } as never, meta));
    expect(bad.code).toBe("BAD_INPUT");
    expect(await getDb().flow.count({ where: { projectId: project.id } })).toBe(0);
  });
});
