import "server-only";
import type { TLeaveProjectInput } from "@/lib/projects/member-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import type { TRequestMeta } from "../request-meta";
import { assertOwnerRemains, lockProject } from "./member-guards";

/** The caller leaves a project they belong to; the last owner cannot. */
export async function leaveProject(userId: string, input: TLeaveProjectInput, meta: TRequestMeta): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const where = { projectId_userId: { projectId: input.projectId, userId } };
    if (!(await tx.membership.findUnique({ where, select: { id: true } }))) throw projectNotFound();
    await lockProject(tx, input.projectId);
    const membership = await tx.membership.findUnique({ where, select: { id: true, role: true } });
    if (!membership) throw projectNotFound();
    await assertOwnerRemains(tx, input.projectId, membership.role);
    await tx.membership.delete({ where: { id: membership.id } });
    await recordAuditEvent({ action: "project.member_left", userId, projectId: input.projectId, meta, details: { role: membership.role } }, tx);
  });
}
