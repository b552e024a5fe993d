import "server-only";
import { isServiceUserEmail, RESERVED_EMAIL_MESSAGE } from "@/lib/api-keys/service-user";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { getMailer, type Mailer } from "@/lib/mail/mailer";
import { recordAuditEvent } from "../audit/record-audit-event";
import { assertInvitationAllowed, withLimitAudit } from "../billing/enforce-plan-limit";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import { consumeRateLimits } from "../rate-limit/limiters";
import type { TRequestMeta } from "../request-meta";
import { managedBy, newInvitationToken } from "./invitation-token";
import type { TInviteMemberInput } from "./invite-input";
import { deliverInvitation, type TIssuedInvitation } from "./send-invitation-mail";

export type TInvitationOptions = { mailer?: Mailer | null };

export const alreadyMemberMessage = (email: string) => `${email} is already a member of this project.`;
export const roleChangeQuestion = (email: string, from: string, to: string) =>
  `${email} already has a pending invitation as ${from}. Change it to ${to} and send it again?`;

/**
 * Invites an address to a project (owners only). Whether the address has an account
 * changes neither the answer nor the work done; only the project's own members (whom
 * the owner sees anyway) are refused. A newer invitation to the same address replaces
 * a pending one, so one link per address is live; replacing it with another role is
 * a CONFLICT until the input says `confirmRoleChange`, and then nothing has changed.
 */
export async function createInvitation(
  userId: string,
  input: TInviteMemberInput,
  meta: TRequestMeta,
  options: TInvitationOptions = {},
): Promise<TIssuedInvitation> {
  // Service users of API keys live under this domain; no person may ever hold one.
  if (isServiceUserEmail(input.email)) throw new AppError("BAD_INPUT", RESERVED_EMAIL_MESSAGE, { email: [RESERVED_EMAIL_MESSAGE] });
  const mailer = options.mailer === undefined ? getMailer() : options.mailer;
  const db = getDb();
  // Authorize before counting, so outsiders cannot spend a project's budget.
  const project = await db.project.findFirst({ where: { id: input.projectId, ...managedBy(userId) }, select: { id: true, name: true } });
  if (!project) throw projectNotFound();
  const inviter = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { name: true, email: true } });
  await consumeRateLimits([
    ["invitationsProject", project.id],
    ["invitationsUser", userId],
  ]);

  const { token, tokenHash, expiresAt } = newInvitationToken();
  const invitation = await withLimitAudit({ userId, meta }, () =>
    db.$transaction(async (tx) => {
      const still = await tx.project.findFirst({ where: { id: project.id, ...managedBy(userId) }, select: { id: true } });
      if (!still) throw projectNotFound();
      // Stored addresses may differ in case from the normalized input.
      const member = await tx.membership.findFirst({
        where: { projectId: project.id, user: { email: { equals: input.email, mode: "insensitive" } } },
        select: { id: true },
      });
      if (member) {
        const message = alreadyMemberMessage(input.email);
        throw new AppError("BAD_INPUT", message, { email: [message] });
      }
      const pending = await tx.invitation.findFirst({
        where: { projectId: project.id, email: input.email, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
        select: { role: true },
      });
      if (pending && pending.role !== input.role && input.confirmRoleChange !== true) {
        throw new AppError("CONFLICT", roleChangeQuestion(input.email, ROLE_LABELS[pending.role], ROLE_LABELS[input.role]));
      }
      // Billing on: people plus pending invitations stay within the plan's members.
      await assertInvitationAllowed(tx, project.id, input.email);
      await tx.invitation.updateMany({
        where: { projectId: project.id, email: input.email, acceptedAt: null, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      const created = await tx.invitation.create({
        data: { projectId: project.id, email: input.email, role: input.role, tokenHash, invitedById: userId, expiresAt },
        select: { id: true, email: true, role: true, expiresAt: true },
      });
      await recordAuditEvent(
        {
          action: "project.invitation_sent",
          userId,
          projectId: project.id,
          subject: created.email,
          meta,
          details: { invitationId: created.id, role: created.role },
        },
        tx,
      );
      return created;
    }),
  );
  return deliverInvitation({ ...invitation, projectName: project.name, inviter }, token, mailer);
}
