import "server-only";
import type { TProjectRole } from "@/lib/auth/permissions";
import { isWellFormedUserToken, normalizeEmail } from "@/lib/auth/schemas";
import { isMailConfigured } from "@/lib/mail/mailer";
import { getDb } from "../db";
import { hashInvitationToken, usableInvitation } from "./invitation-token";

/**
 * What the accept page may show. Someone whose email does not match learns only that:
 * not the project, the role, nor the invited address.
 */
export type TInvitationForAccept =
  | { status: "invalid" }
  | { status: "wrong_email" }
  | { status: "ready"; projectName: string; role: TProjectRole; isEmailMatch: true; needsVerifiedEmail: boolean };

export async function getInvitationForAccept(userId: string, token: string, options: { requireVerifiedEmail?: boolean } = {}): Promise<TInvitationForAccept> {
  if (!isWellFormedUserToken(token)) return { status: "invalid" };
  const db = getDb();
  const invitation = await db.invitation.findFirst({
    where: { tokenHash: hashInvitationToken(token), ...usableInvitation() },
    select: { email: true, role: true, project: { select: { name: true } } },
  });
  if (!invitation) return { status: "invalid" };
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
  if (!user || normalizeEmail(user.email) !== invitation.email) return { status: "wrong_email" };
  const requireVerified = options.requireVerifiedEmail ?? isMailConfigured();
  return {
    status: "ready",
    projectName: invitation.project.name,
    role: invitation.role,
    isEmailMatch: true,
    needsVerifiedEmail: requireVerified && !user.emailVerified,
  };
}
