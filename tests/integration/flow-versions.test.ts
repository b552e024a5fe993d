import { describe, expect, it } from "vitest";
import type { TFlowNode } from "@/lib/flows/document";
import type { TFlowOperation } from "@/lib/flows/operations";
import { getDb } from "@/lib/server/db";
import { createFlow } from "@/lib/server/flows/create-flow";
import { getFlow } from "@/lib/server/flows/get-flow";
import { listFlowVersions } from "@/lib/server/flows/list-flow-versions";
import { publishFlow } from "@/lib/server/flows/publish-flow";
import { restoreFlowVersion } from "@/lib/server/flows/restore-flow-version";
import { saveFlowDraft } from "@/lib/server/flows/save-flow-draft";
import { createProject } from "@/lib/server/projects/create-project";
import { errorOf } from "../support/error-of";
import { createTeamProject } from "../support/project-team";
import { stepAfterTrigger } from "../support/flow-operations";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.42", userAgent: "vitest" };
let n = 0;
const newUser = (name: string | null = null) =>
  getDb().user.create({ data: { email: `versions-${++n}@example.com`, name }, select: { id: true, email: true } });

async function team() {
  const [owner, editor, viewer, outsider] = await Promise.all([newUser("Olive Owner"), newUser("Eddie Editor"), newUser(), newUser()]);
  return createTeamProject({ owner, editor, viewer, outsider }, `Versions ${n}`, meta);
}

const transform = (id: string, expression = "$"): TFlowNode => ({
  id,
  type: "step.transform",
  name: `Shape ${id}`,
  config: { expression },
  ui: { x: 0, y: 100 },
});

/** A flow with version 1 (trigger → shape) by the editor and version 2 (shape renamed, + tail) by the owner; the draft then edited further. */
async function flowWithHistory() {
  const t = await team();
  const flow = await createFlow(t.editor.id, { projectId: t.project.id, name: `Flow ${n}` }, meta);
  const v1Ops: TFlowOperation[] = stepAfterTrigger(transform("shape"));
  await saveFlowDraft(t.editor.id, { flowId: flow.id, revision: 1, operations: v1Ops });
  const v1 = await publishFlow(t.editor.id, { flowId: flow.id, note: "first cut" }, meta);
  await saveFlowDraft(t.owner.id, {
    flowId: flow.id,
    revision: 2,
    operations: [
      { op: "rename", nodeId: "shape", name: "Shape the order" },
      { op: "add_node", node: transform("tail") },
      { op: "connect", edge: { id: "e2", source: "shape", target: "tail" } },
    ],
  });
  const v2 = await publishFlow(t.owner.id, { flowId: flow.id }, meta);
  // The draft now: shape's expression changed and moved, tail removed, a new step added.
  await saveFlowDraft(t.editor.id, {
    flowId: flow.id,
    revision: 3,
    operations: [
      { op: "update_config", nodeId: "shape", config: { expression: "$.order" } },
      { op: "move", nodeId: "shape", ui: { x: 50, y: 120 } },
      { op: "remove_node", nodeId: "tail" },
      { op: "add_node", node: transform("notify") },
      { op: "connect", edge: { id: "e3", source: "shape", target: "notify" } },
    ],
  });
  return { ...t, flowId: flow.id, v1, v2, revision: 4 };
}

describe("flow version history", () => {
  it("lists versions newest first with author, note and the diff against the draft, for any member", async () => {
    const { owner, editor, viewer, outsider, flowId, v1, v2 } = await flowWithHistory();
    const history = await listFlowVersions(viewer.id, flowId);
    expect(history.total).toBe(2);
    expect(history.versions.map((v) => [v.id, v.number, v.note, v.author, v.isLive])).toEqual([
      [v2.versionId, 2, "", { name: "Olive Owner", email: owner.email }, true],
      [v1.versionId, 1, "first cut", { name: "Eddie Editor", email: editor.email }, false],
    ]);
    expect(history.versions[0]!.createdAt).toBeInstanceOf(Date);

    const [second, first] = history.versions;
    expect(second!.diff.nodes).toEqual({
      added: [{ id: "notify", name: "Shape notify", type: "step.transform" }],
      removed: [{ id: "tail", name: "Shape tail", type: "step.transform" }],
      changed: [{ id: "shape", name: "Shape the order", type: "step.transform", fields: [], configKeys: ["expression"], isMoved: true }],
    });
    expect(second!.diff.edges).toEqual({ added: [{ source: "shape", target: "notify" }], removed: [{ source: "shape", target: "tail" }] });
    expect(first!.diff.summary).toEqual({ nodesAdded: 1, nodesRemoved: 0, nodesChanged: 1, edgesAdded: 1, edgesRemoved: 0, isSame: false });
    expect(first!.diff.nodes.changed[0]).toMatchObject({ id: "shape", fields: ["name"], configKeys: ["expression"], isMoved: true });

    // Config values stay out of the listing (viewers see it too).
    expect(JSON.stringify(history)).not.toContain("$.order");

    const foreign = await errorOf(listFlowVersions(outsider.id, flowId));
    expect([foreign.code, foreign.message]).toEqual(["NOT_FOUND", "Flow not found."]);
  });

  it("shows no author once the author's account is gone", async () => {
    const { owner, editor, flowId } = await flowWithHistory();
    await getDb().user.delete({ where: { id: editor.id } });
    const history = await listFlowVersions(owner.id, flowId);
    expect(history.versions.map((v) => [v.number, v.author?.email ?? null])).toEqual([
      [2, owner.email],
      [1, null],
    ]);
  });

  it("restores a version as a new draft revision, audited, leaving versions unchanged", async () => {
    const { editor, viewer, project, flowId, v1, revision } = await flowWithHistory();
    const before = await getDb().flowVersion.findMany({
      where: { flowId },
      orderBy: { number: "asc" },
      select: { id: true, number: true, document: true, note: true },
    });

    const restored = await restoreFlowVersion(editor.id, { flowId, versionId: v1.versionId, revision }, meta);
    expect(restored).toEqual({ revision: revision + 1, number: 1 });

    const view = await getFlow(viewer.id, flowId);
    expect(view.draftRevision).toBe(revision + 1);
    expect(view.draft).toEqual(before[0]!.document);
    expect(view.draft.nodes.map((node) => [node.id, node.name, node.config])).toEqual([
      ["trigger", "Run manually", {}],
      ["shape", "Shape shape", { expression: "$" }],
    ]);
    // Versions are immutable and no new one is made: restoring is not publishing.
    const after = await getDb().flowVersion.findMany({
      where: { flowId },
      orderBy: { number: "asc" },
      select: { id: true, number: true, document: true, note: true },
    });
    expect(after).toEqual(before);
    expect((await getFlow(viewer.id, flowId)).activeVersion?.number).toBe(2);

    const history = await listFlowVersions(viewer.id, flowId);
    expect(history.versions.map((v) => [v.number, v.diff.summary.isSame])).toEqual([
      [2, false],
      [1, true],
    ]);

    const events = await getDb().auditEvent.findMany({
      where: { projectId: project.id, action: "flow.version_restored" },
      select: { userId: true, details: true, ip: true },
    });
    expect(events).toEqual([{ userId: editor.id, details: { flowId, version: 1 }, ip: meta.ip }]);

    // The restored draft is edited and published like any other.
    await saveFlowDraft(editor.id, { flowId, revision: revision + 1, operations: [{ op: "rename", nodeId: "shape", name: "Back again" }] });
    const v3 = await publishFlow(editor.id, { flowId }, meta);
    expect(v3.number).toBe(3);
  });

  it("refuses a stale revision and changes nothing", async () => {
    const { editor, owner, project, flowId, v1, revision } = await flowWithHistory();
    const stale = await errorOf(restoreFlowVersion(owner.id, { flowId, versionId: v1.versionId, revision: revision - 1 }, meta));
    expect(stale.code).toBe("CONFLICT");
    const view = await getFlow(editor.id, flowId);
    expect([view.draftRevision, view.draft.nodes.map((node) => node.id)]).toEqual([revision, ["trigger", "shape", "notify"]]);
    expect(await getDb().auditEvent.count({ where: { projectId: project.id, action: "flow.version_restored" } })).toBe(0);
  });

  it("reads viewers, outsiders and another flow's version as not found", async () => {
    const { editor, viewer, outsider, project, flowId, v1, revision } = await flowWithHistory();
    // Another flow in the same project, and one in another project the editor also edits.
    const sibling = await createFlow(editor.id, { projectId: project.id, name: "Sibling" }, meta);
    const siblingVersion = await publishFlow(editor.id, { flowId: sibling.id }, meta);
    const elsewhere = await createProject(editor.id, { name: "Elsewhere" }, meta);
    const far = await createFlow(editor.id, { projectId: elsewhere.id, name: "Far" }, meta);
    const farVersion = await publishFlow(editor.id, { flowId: far.id }, meta);

    const cases = [
      () => restoreFlowVersion(viewer.id, { flowId, versionId: v1.versionId, revision }, meta),
      () => restoreFlowVersion(outsider.id, { flowId, versionId: v1.versionId, revision }, meta),
      () => restoreFlowVersion(editor.id, { flowId, versionId: siblingVersion.versionId, revision }, meta),
      () => restoreFlowVersion(editor.id, { flowId, versionId: farVersion.versionId, revision }, meta),
      () => restoreFlowVersion(editor.id, { flowId, versionId: "00000000-0000-4000-8000-000000000000", revision }, meta),
    ];
    const codes: string[] = [];
    for (const attempt of cases) codes.push((await errorOf(attempt())).code);
    expect(codes).toEqual(["NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND"]);

    const view = await getFlow(editor.id, flowId);
    expect([view.draftRevision, view.draft.nodes.map((node) => node.id)]).toEqual([revision, ["trigger", "shape", "notify"]]);
    expect(await getDb().auditEvent.count({ where: { projectId: { in: [project.id, elsewhere.id] }, action: "flow.version_restored" } })).toBe(0);
  });

  it("refuses unknown fields and malformed ids", async () => {
    const { editor, flowId, v1, revision } = await flowWithHistory();
    const extra = await errorOf(restoreFlowVersion(editor.id, { flowId, versionId: v1.versionId, revision, projectId: flowId } as never, meta));
    const malformed = await errorOf(restoreFlowVersion(editor.id, { flowId, versionId: "1", revision }, meta));
    expect([extra.code, malformed.code]).toEqual(["BAD_INPUT", "BAD_INPUT"]);
  });
});
