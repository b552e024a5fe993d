// Flow files: export lists the connections steps use and redacts secret-looking values a
// person typed; import re-maps connections by id or by name and type, says which steps
// need one, refuses broken files and unknown fields, and saves nothing then.
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/server/db";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { createFlow } from "@/lib/server/flows/create-flow";
import { exportFlow } from "@/lib/server/flows/export-flow";
import { importFlow } from "@/lib/server/flows/import-flow";
import { saveFlowDraft } from "@/lib/server/flows/save-flow-draft";
import { createProject } from "@/lib/server/projects/create-project";
import { errorOf } from "../support/error-of";
import { stepAfterTrigger } from "../support/flow-operations";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.44", userAgent: "vitest" };
let n = 0;

async function projectWithConnection(name: string) {
  n += 1;
  const user = await getDb().user.create({ data: { email: `files-${n}@example.com` }, select: { id: true } });
  const project = await createProject(user.id, { name: `Files ${n}` }, meta);
  const id = crypto.randomUUID();
  await getDb().connection.create({
    data: {
      id,
      projectId: project.id,
      name,
      type: "BEARER",
      settings: {},
      secretSealed: sealConnectionSecret({ token: "tok-files-0123456789abcdef" }, project.id, id),
    },
  });
  return { userId: user.id, projectId: project.id, connectionId: id };
}

const TYPED_SECRET = "ghp_0123456789abcdefghijABCDEFGHIJ012345";

describe("flow files", () => {
  it("exports the draft with its connections listed and typed secrets redacted", async () => {
    const source = await projectWithConnection("GitHub API");
    const flow = await createFlow(source.userId, { projectId: source.projectId, name: "Sync issues" }, meta);
    await saveFlowDraft(source.userId, {
      flowId: flow.id,
      revision: 1,
      operations: stepAfterTrigger({
        id: "call",
        type: "step.http",
        name: "Call",
        config: {
          method: "GET",
          url: "https://api.github.com/issues",
          headers: [{ name: "Authorization", value: `token ${TYPED_SECRET}` }],
          connectionId: source.connectionId,
        },
        ui: { x: 0, y: 100 },
      }),
    });
    const file = await exportFlow(source.userId, flow.id);
    expect(file.connections).toEqual([{ id: source.connectionId, name: "GitHub API", type: "BEARER" }]);
    expect(JSON.stringify(file)).not.toContain(TYPED_SECRET);
    expect((file.document as { nodes: { id: string }[] }).nodes.map((node) => node.id)).toEqual(["trigger", "call"]);

    // Into another project: the connection is found by name and type and re-mapped.
    const target = await projectWithConnection("GitHub API");
    const imported = await importFlow(target.userId, { projectId: target.projectId, file: JSON.stringify(file) }, meta);
    expect(imported.remapped).toEqual([{ nodeId: "call", connectionName: "GitHub API" }]);
    expect(imported.unresolved).toEqual([]);
    const stored = await getDb().flow.findUniqueOrThrow({ where: { id: imported.flowId }, select: { draft: true, projectId: true, name: true } });
    expect(stored.projectId).toBe(target.projectId);
    expect(stored.name).toBe("Sync issues");
    const call = (stored.draft as { nodes: { id: string; config: { connectionId: string } }[] }).nodes.find((node) => node.id === "call")!;
    expect(call.config.connectionId).toBe(target.connectionId);

    // Into a project without a matching connection: the step is left without one, and said so.
    const bare = await projectWithConnection("Something else");
    const asked = await importFlow(bare.userId, { projectId: bare.projectId, file: JSON.stringify(file), name: "Needs a connection" }, meta);
    expect(asked.unresolved).toEqual([{ nodeId: "call", connectionName: "GitHub API", type: "BEARER" }]);
    expect(await getDb().auditEvent.count({ where: { projectId: bare.projectId, action: "flow.imported" } })).toBe(1);
  });

  it("refuses broken files, unknown fields and other people's projects, saving nothing", async () => {
    const me = await projectWithConnection("API");
    const other = await projectWithConnection("API");
    const loop = {
      vaultflow: "flow",
      version: 1,
      document: {
        schemaVersion: 1,
        nodes: [
          { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
          { id: "a", type: "step.transform", name: "A", config: { expression: "1" }, ui: { x: 0, y: 0 } },
          { id: "b", type: "step.transform", name: "B", config: { expression: "1" }, ui: { x: 0, y: 0 } },
        ],
        edges: [
          { id: "e1", source: "trigger", target: "a" },
          { id: "e2", source: "a", target: "b" },
          { id: "e3", source: "b", target: "a" },
        ],
      },
    };
    const cases = [
      ["not json", "{"],
      ["loop", JSON.stringify(loop)],
      ["unknown field", JSON.stringify({ ...loop, ownerId: me.userId })],
      ["wrong kind", JSON.stringify({ vaultflow: "project", version: 1, document: {} })],
    ] as const;
    for (const [label, file] of cases) {
      const error = await errorOf(importFlow(me.userId, { projectId: me.projectId, file }, meta));
      expect([label, error.code]).toEqual([label, "BAD_INPUT"]);
    }
    expect(
      (await errorOf(importFlow(me.userId, { projectId: other.projectId, file: JSON.stringify({ ...loop, document: { ...loop.document, edges: [] } }) }, meta)))
        .code,
    ).toBe("NOT_FOUND");
    expect(await getDb().flow.count({ where: { projectId: { in: [me.projectId, other.projectId] } } })).toBe(0);
  });
});
