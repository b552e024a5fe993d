import "server-only";
import { AppError } from "@/lib/errors";
import type { TMembershipIdInput } from "@/lib/projects/member-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import type { TRequestMeta } from "../request-meta";
import { findManagedMembershipLocked } from "./member-guards";

/**
 * Makes another member the owner; the transferring owner becomes an editor (one owner
 * by design, so "who owns this" always has one answer).
 */
export async function transferOwnership(userId: string, input: TMembershipIdInput, meta: TRequestMeta): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const target = await findManagedMembershipLocked(tx, input.membershipId, userId);
    if (target.userId === userId) throw new AppError("BAD_INPUT", "You already own this project.");
    const actor = await tx.membership.findUnique({
      where: { projectId_userId: { projectId: target.projectId, userId } },
      select: { id: true, role: true },
    });
    if (!actor || actor.role !== "OWNER") throw projectNotFound();
    await tx.membership.update({ where: { id: target.id }, data: { role: "OWNER" } });
    await tx.membership.update({ where: { id: actor.id }, data: { role: "EDITOR" } });
    await recordAuditEvent(
      {
        action: "project.ownership_transferred",
        userId,
        projectId: target.projectId,
        meta,
        details: { toMembershipId: target.id, toUserId: target.userId, fromRole: target.role, previousOwnerRole: "EDITOR" },
      },
      tx,
    );
  });
}
