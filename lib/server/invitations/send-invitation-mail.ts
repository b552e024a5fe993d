import "server-only";
import { ROLE_LABELS, type TProjectRole } from "@/lib/auth/permissions";
import { sendMailInBackground, type Mailer } from "@/lib/mail/mailer";
import { invitationLink, invitationMessage } from "@/lib/mail/invitation-template";

export type TIssuedInvitation = {
  invitationId: string;
  email: string;
  role: TProjectRole;
  expiresAt: Date;
  /** Shown once to the inviter, to share by hand; without SMTP the only way. */
  link: string;
  isEmailed: boolean;
};

/**
 * Mails the link without waiting, so the answer never depends on the mail server and
 * is the same whether or not the address has an account.
 */
export function deliverInvitation(
  invitation: {
    id: string;
    email: string;
    role: TProjectRole;
    expiresAt: Date;
    projectName: string;
    /** Who sends it: the mail names them, so the recipient knows whom to ask. */
    inviter: { name: string | null; email: string };
  },
  token: string,
  mailer: Mailer | null,
): TIssuedInvitation {
  if (mailer) {
    sendMailInBackground(
      mailer,
      invitationMessage({
        to: invitation.email,
        token,
        projectName: invitation.projectName,
        roleLabel: ROLE_LABELS[invitation.role],
        inviter: invitation.inviter,
      }),
    );
  }
  return {
    invitationId: invitation.id,
    email: invitation.email,
    role: invitation.role,
    expiresAt: invitation.expiresAt,
    link: invitationLink(token),
    isEmailed: mailer !== null,
  };
}
