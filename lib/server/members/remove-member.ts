import "server-only";
import type { TMembershipIdInput } from "@/lib/projects/member-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { assertOwnerRemains, findManagedMembershipLocked } from "./member-guards";

/**
 * Removes a member (owners only). Takes effect on the removed user's next request:
 * every read puts the caller's membership in its query, so no session needs ending.
 */
export async function removeMember(userId: string, input: TMembershipIdInput, meta: TRequestMeta): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const target = await findManagedMembershipLocked(tx, input.membershipId, userId);
    await assertOwnerRemains(tx, target.projectId, target.role);
    await tx.membership.delete({ where: { id: target.id } });
    await recordAuditEvent(
      {
        action: "project.member_removed",
        userId,
        projectId: target.projectId,
        meta,
        details: { membershipId: target.id, memberUserId: target.userId, role: target.role },
      },
      tx,
    );
  });
}
