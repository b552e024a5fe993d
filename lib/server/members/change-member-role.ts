import "server-only";
import type { TChangeMemberRoleInput } from "@/lib/projects/member-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { assertOwnerRemains, findManagedMembershipLocked } from "./member-guards";

/** Sets a member's role to Editor or Viewer (owners only; Owner comes by transfer). */
export async function changeMemberRole(userId: string, input: TChangeMemberRoleInput, meta: TRequestMeta): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const target = await findManagedMembershipLocked(tx, input.membershipId, userId);
    if (target.role === input.role) return;
    await assertOwnerRemains(tx, target.projectId, target.role);
    await tx.membership.update({ where: { id: target.id }, data: { role: input.role } });
    await recordAuditEvent(
      {
        action: "project.role_changed",
        userId,
        projectId: target.projectId,
        meta,
        details: { membershipId: target.id, memberUserId: target.userId, from: target.role, to: input.role },
      },
      tx,
    );
  });
}
