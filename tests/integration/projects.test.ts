import { describe, expect, it } from "vitest";
import { ZCreateProjectInput, ZRenameProjectInput } from "@/lib/projects/schemas";
import { createProject } from "@/lib/server/projects/create-project";
import { deleteProject } from "@/lib/server/projects/delete-project";
import { getProject } from "@/lib/server/projects/get-project";
import { listProjects } from "@/lib/server/projects/list-projects";
import { renameProject } from "@/lib/server/projects/rename-project";
import { getDb } from "@/lib/server/db";
import { errorOf } from "../support/error-of";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.40", userAgent: "vitest" };
let n = 0;
const newUser = () => getDb().user.create({ data: { email: `member-${++n}@example.com` }, select: { id: true } });

describe("projects", () => {
  it("make the creator the owner and list only the caller's projects", async () => {
    const alice = await newUser();
    const bob = await newUser();
    const mine = await createProject(alice.id, { name: "Alice's automations" }, meta);
    await createProject(bob.id, { name: "Bob's automations" }, meta);
    expect(await listProjects(alice.id)).toEqual([expect.objectContaining({ id: mine.id, name: "Alice's automations", role: "OWNER", memberCount: 1 })]);
    expect(await getDb().auditEvent.count({ where: { projectId: mine.id, action: "project.created" } })).toBe(1);
  });

  it("answer another tenant's project exactly like a missing one", async () => {
    const owner = await newUser();
    const outsider = await newUser();
    const project = await createProject(owner.id, { name: "Private" }, meta);
    const foreign = await errorOf(getProject(outsider.id, project.id));
    const missing = await errorOf(getProject(outsider.id, "00000000-0000-4000-8000-000000000000"));
    expect([foreign.code, foreign.message]).toEqual(["NOT_FOUND", "Project not found."]);
    expect([missing.code, missing.message]).toEqual([foreign.code, foreign.message]);

    const rename = await errorOf(renameProject(outsider.id, { projectId: project.id, name: "Hijacked" }, meta));
    expect(rename.code).toBe("NOT_FOUND");
    const del = await errorOf(deleteProject(outsider.id, { projectId: project.id, confirmName: "Private" }, meta));
    expect(del.code).toBe("NOT_FOUND");
    expect((await getDb().project.findUniqueOrThrow({ where: { id: project.id } })).name).toBe("Private");
  });

  it("let only owners rename and delete, with the name typed out", async () => {
    const owner = await newUser();
    const editor = await newUser();
    const project = await createProject(owner.id, { name: "Ops" }, meta);
    await getDb().membership.create({ data: { projectId: project.id, userId: editor.id, role: "EDITOR" } });
    expect((await getProject(editor.id, project.id)).role).toBe("EDITOR");
    expect((await errorOf(renameProject(editor.id, { projectId: project.id, name: "Mine" }, meta))).code).toBe("NOT_FOUND");

    await renameProject(owner.id, { projectId: project.id, name: "Operations" }, meta);
    expect((await getProject(owner.id, project.id)).name).toBe("Operations");
    const wrong = await errorOf(deleteProject(owner.id, { projectId: project.id, confirmName: "Ops" }, meta));
    expect(wrong.fieldErrors?.confirmName).toBeDefined();
    await deleteProject(owner.id, { projectId: project.id, confirmName: "Operations" }, meta);
    expect(await getDb().project.count({ where: { id: project.id } })).toBe(0);
    expect(await getDb().membership.count({ where: { projectId: project.id } })).toBe(0);
    const trail = await getDb().auditEvent.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(trail.map((e) => e.action)).toEqual(["project.created", "project.renamed", "project.deleted"]);
  });

  it("refuse mass-assignment fields in inputs", () => {
    for (const extra of [{ role: "OWNER" }, { ownerId: "x" }, { projectId: "00000000-0000-4000-8000-000000000000" }]) {
      expect(ZCreateProjectInput.safeParse({ name: "x", ...extra }).success).toBe(false);
    }
    expect(ZRenameProjectInput.safeParse({ projectId: "00000000-0000-4000-8000-000000000000", name: "x", role: "OWNER" }).success).toBe(false);
  });
});
