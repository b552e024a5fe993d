import "server-only";
import type { TInvitationIdInput } from "@/lib/projects/member-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { invitationNotFound } from "./invitation-not-found";
import { managedBy } from "./invitation-token";

/** Revokes a pending invitation (owners only); its link stops working at once. */
export async function revokeInvitation(userId: string, input: TInvitationIdInput, meta: TRequestMeta): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const pending = { id: input.invitationId, acceptedAt: null, revokedAt: null, project: managedBy(userId) };
    const found = await tx.invitation.findFirst({ where: pending, select: { projectId: true, email: true } });
    if (!found) throw invitationNotFound();
    const { count } = await tx.invitation.updateMany({ where: pending, data: { revokedAt: new Date() } });
    if (count !== 1) throw invitationNotFound();
    await recordAuditEvent(
      {
        action: "project.invitation_revoked",
        userId,
        projectId: found.projectId,
        subject: found.email,
        meta,
        details: { invitationId: input.invitationId },
      },
      tx,
    );
  });
}
