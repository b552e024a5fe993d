import "server-only";
import type { TCreateProjectInput } from "@/lib/projects/schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";

/** Creates a project; its creator becomes its owner. */
export async function createProject(userId: string, input: TCreateProjectInput, meta: TRequestMeta): Promise<{ id: string; name: string }> {
  return getDb().$transaction(async (tx) => {
    const project = await tx.project.create({
      data: { name: input.name, memberships: { create: { userId, role: "OWNER" } } },
      select: { id: true, name: true },
    });
    await recordAuditEvent({ action: "project.created", userId, projectId: project.id, meta, details: { name: project.name } }, tx);
    return project;
  });
}
