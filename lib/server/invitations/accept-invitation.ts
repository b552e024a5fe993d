import "server-only";
import { normalizeEmail } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { isMailConfigured } from "@/lib/mail/mailer";
import { INVITATION_INVALID_MESSAGE, WRONG_EMAIL_MESSAGE } from "@/lib/projects/member-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { assertMemberJoinAllowed, withLimitAudit } from "../billing/enforce-plan-limit";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { hashInvitationToken, usableInvitation } from "./invitation-token";

export const VERIFY_BEFORE_ACCEPT_MESSAGE = "Verify your email address first (see your account page), then open the invitation again.";

/**
 * Accepts an invitation as the signed-in user. Their email must be the invited one,
 * and verified wherever mail is configured (an unverified address proves nothing).
 * Consuming the invitation is a conditional update in the same transaction as the
 * membership, so of two concurrent clicks exactly one joins, and a failure uses
 * nothing up. An existing member keeps their role; the invitation is just used.
 */
export async function acceptInvitation(
  userId: string,
  token: string,
  meta: TRequestMeta,
  options: { requireVerifiedEmail?: boolean } = {},
): Promise<{ projectId: string; isAlreadyMember: boolean }> {
  const requireVerified = options.requireVerifiedEmail ?? isMailConfigured();
  const tokenHash = hashInvitationToken(token);
  return withLimitAudit({ userId, meta }, () =>
    getDb().$transaction(async (tx) => {
      const invitation = await tx.invitation.findFirst({
        where: { tokenHash, ...usableInvitation() },
        select: { id: true, projectId: true, email: true, role: true },
      });
      if (!invitation) throw new AppError("NOT_FOUND", INVITATION_INVALID_MESSAGE);
      const user = await tx.user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
      if (!user || normalizeEmail(user.email) !== invitation.email) throw new AppError("FORBIDDEN", WRONG_EMAIL_MESSAGE);
      if (requireVerified && !user.emailVerified) throw new AppError("BAD_INPUT", VERIFY_BEFORE_ACCEPT_MESSAGE);

      const now = new Date();
      const { count } = await tx.invitation.updateMany({
        where: { id: invitation.id, tokenHash, ...usableInvitation(now) },
        data: { acceptedAt: now },
      });
      if (count !== 1) throw new AppError("NOT_FOUND", INVITATION_INVALID_MESSAGE);

      const existing = await tx.membership.findUnique({
        where: { projectId_userId: { projectId: invitation.projectId, userId } },
        select: { id: true },
      });
      if (!existing) {
        // Billing on: a plan that shrank since the invitation was sent may have no room left.
        await assertMemberJoinAllowed(tx, invitation.projectId);
        await tx.membership.create({ data: { projectId: invitation.projectId, userId, role: invitation.role } });
      }
      await recordAuditEvent(
        {
          action: "project.invitation_accepted",
          userId,
          projectId: invitation.projectId,
          meta,
          details: { invitationId: invitation.id, role: invitation.role, isAlreadyMember: Boolean(existing) },
        },
        tx,
      );
      return { projectId: invitation.projectId, isAlreadyMember: Boolean(existing) };
    }),
  );
}
