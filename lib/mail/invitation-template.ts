// The project invitation email. It names who invited: the recipient needs it to decide,
// and to ask that person if in doubt. A name is whatever its owner typed, so it never
// stands alone: the inviter's account address follows it, and both (like the project
// name) are escaped in the HTML and cut to a sane length.
import { appUrl } from "@/lib/env";
import type { TMailMessage } from "./mailer";

export function invitationLink(token: string, baseUrl: string = appUrl()): string {
  return `${baseUrl.replace(/\/$/, "")}/invitations/accept?token=${encodeURIComponent(token)}`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const MAX_NAME_LENGTH = 80;

/** "Olive Owner (olive@example.com)", or the address alone when the account has no name. */
export function inviterLabel(inviter: { name: string | null; email: string }): string {
  // Line breaks and other controls would let a name forge lines of the plain-text mail.
  const name = (inviter.name ?? "")
    .replace(/[\u0000-\u001f\u007f]+/g, " ")
    .trim()
    .slice(0, MAX_NAME_LENGTH);
  return name ? `${name} (${inviter.email})` : inviter.email;
}

export function invitationMessage(input: {
  to: string;
  token: string;
  projectName: string;
  roleLabel: string;
  inviter: { name: string | null; email: string };
  baseUrl?: string;
}): TMailMessage {
  const link = invitationLink(input.token, input.baseUrl);
  const who = inviterLabel(input.inviter);
  const intro = `${who} invited you to join the Vaultflow project "${input.projectName}" as ${input.roleLabel.toLowerCase()}.`;
  const how = 'Sign in (or create an account) with this email address, then open the link and press "Accept invitation".';
  const after = ["The link is valid for 7 days and works once.", "If you did not expect this, ignore this email."];
  const p = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  return {
    purpose: "project_invitation",
    to: input.to,
    subject: `${who} invited you to a Vaultflow project`,
    text: [intro, "", how, link, "", after.join("\n\n"), ""].join("\n"),
    html: [
      "<!doctype html>",
      '<html lang="en"><body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#0f172a;line-height:1.5;max-width:560px;margin:0 auto;padding:24px">',
      p(intro),
      p(how),
      `<p style="margin:0 0 16px"><a href="${escapeHtml(link)}" style="display:inline-block;background:#2456d6;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">Open the invitation</a></p>`,
      `<p style="margin:0 0 16px;word-break:break-all;font-size:14px">${escapeHtml(link)}</p>`,
      ...after.map(p),
      "</body></html>",
    ].join("\n"),
  };
}
