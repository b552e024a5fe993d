import "server-only";
import { getMailer } from "@/lib/mail/mailer";
import type { TInvitationIdInput } from "@/lib/projects/member-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { consumeRateLimits } from "../rate-limit/limiters";
import type { TRequestMeta } from "../request-meta";
import type { TInvitationOptions } from "./create-invitation";
import { invitationNotFound } from "./invitation-not-found";
import { managedBy, newInvitationToken } from "./invitation-token";
import { deliverInvitation, type TIssuedInvitation } from "./send-invitation-mail";

/**
 * Issues a pending (or expired, unaccepted, unrevoked) invitation a new token and a
 * new 7 days. Replacing the stored hash is what kills the old link.
 */
export async function resendInvitation(
  userId: string,
  input: TInvitationIdInput,
  meta: TRequestMeta,
  options: TInvitationOptions = {},
): Promise<TIssuedInvitation> {
  const mailer = options.mailer === undefined ? getMailer() : options.mailer;
  const db = getDb();
  const pending = { id: input.invitationId, acceptedAt: null, revokedAt: null, project: managedBy(userId) };
  const found = await db.invitation.findFirst({ where: pending, select: { projectId: true, project: { select: { name: true } } } });
  if (!found) throw invitationNotFound();
  // The owner who sends it again is the one the mail names.
  const inviter = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
  await consumeRateLimits([
    ["invitationsProject", found.projectId],
    ["invitationsUser", userId],
  ]);

  const { token, tokenHash, expiresAt } = newInvitationToken();
  const invitation = await db.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({ where: pending, data: { tokenHash, expiresAt } });
    if (count !== 1) throw invitationNotFound();
    const updated = await tx.invitation.findUniqueOrThrow({
      where: { id: input.invitationId },
      select: { id: true, email: true, role: true, expiresAt: true, projectId: true },
    });
    await recordAuditEvent(
      {
        action: "project.invitation_resent",
        userId,
        projectId: updated.projectId,
        subject: updated.email,
        meta,
        details: { invitationId: updated.id },
      },
      tx,
    );
    return updated;
  });
  return deliverInvitation({ ...invitation, projectName: found.project.name, inviter }, token, mailer);
}
