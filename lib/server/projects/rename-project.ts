import "server-only";
import { rolesWith } from "@/lib/auth/permissions";
import type { TRenameProjectInput } from "@/lib/projects/schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { projectNotFound } from "./project-not-found";

export async function renameProject(userId: string, input: TRenameProjectInput, meta: TRequestMeta): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const before = await tx.project.findFirst({
      where: { id: input.projectId, memberships: { some: { userId, role: { in: rolesWith("project.rename") } } } },
      select: { name: true },
    });
    if (!before) throw projectNotFound();
    await tx.project.update({ where: { id: input.projectId }, data: { name: input.name } });
    await recordAuditEvent({ action: "project.renamed", userId, projectId: input.projectId, meta, details: { from: before.name, to: input.name } }, tx);
  });
}
