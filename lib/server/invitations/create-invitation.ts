import "server-only";
import { getMailer, type Mailer } from "@/lib/mail/mailer";
import type { TCreateInvitationInput } from "@/lib/projects/member-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { assertInvitationAllowed, withLimitAudit } from "../billing/enforce-plan-limit";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import { consumeRateLimits } from "../rate-limit/limiters";
import type { TRequestMeta } from "../request-meta";
import { managedBy, newInvitationToken } from "./invitation-token";
import { deliverInvitation, type TIssuedInvitation } from "./send-invitation-mail";

export type TInvitationOptions = { mailer?: Mailer | null };

/**
 * Invites an address to a project (owners only). Never looks the address up: whether
 * it has an account changes neither the answer nor the work done. A newer invitation
 * to the same address replaces a pending one, so one link per address is live.
 */
export async function createInvitation(
  userId: string,
  input: TCreateInvitationInput,
  meta: TRequestMeta,
  options: TInvitationOptions = {},
): Promise<TIssuedInvitation> {
  const mailer = options.mailer === undefined ? getMailer() : options.mailer;
  const db = getDb();
  // Authorize before counting, so outsiders cannot spend a project's budget.
  const project = await db.project.findFirst({ where: { id: input.projectId, ...managedBy(userId) }, select: { id: true, name: true } });
  if (!project) throw projectNotFound();
  await consumeRateLimits([
    ["invitationsProject", project.id],
    ["invitationsUser", userId],
  ]);

  const { token, tokenHash, expiresAt } = newInvitationToken();
  const invitation = await withLimitAudit({ userId, meta }, () => db.$transaction(async (tx) => {
    const still = await tx.project.findFirst({ where: { id: project.id, ...managedBy(userId) }, select: { id: true } });
    if (!still) throw projectNotFound();
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
  }));
  return deliverInvitation({ ...invitation, projectName: project.name }, token, mailer);
}
