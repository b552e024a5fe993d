// The account emails, as plain text and simple HTML. They do not include the account's
// name: these go to addresses nobody has proven yet (sign-up), and a name is whatever
// the person signing up typed, so it could be used to dress up a phishing message.
import { appUrl } from "@/lib/env";
import type { TMailMessage } from "./mailer";

export type TUserTokenLinkKind = "verify-email" | "reset-password";

/** The link a token is mailed in, on the public base URL (APP_URL). */
export function userTokenLink(kind: TUserTokenLinkKind, token: string, baseUrl: string = appUrl()): string {
  return `${baseUrl.replace(/\/$/, "")}/${kind}?token=${encodeURIComponent(token)}`;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(paragraphs: string[], link: { href: string; label: string }, after: string[]): string {
  const p = (text: string) => `<p style="margin:0 0 16px">${escapeHtml(text)}</p>`;
  return [
    "<!doctype html>",
    '<html lang="en"><body style="font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#0f172a;line-height:1.5;max-width:560px;margin:0 auto;padding:24px">',
    ...paragraphs.map(p),
    `<p style="margin:0 0 16px"><a href="${escapeHtml(link.href)}" style="display:inline-block;background:#2456d6;color:#ffffff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(link.label)}</a></p>`,
    p("If the button does not work, copy this address into your browser:"),
    `<p style="margin:0 0 16px;word-break:break-all;font-size:14px">${escapeHtml(link.href)}</p>`,
    ...after.map(p),
    "</body></html>",
  ].join("\n");
}

export function verifyEmailMessage(input: { to: string; token: string; baseUrl?: string }): TMailMessage {
  const link = userTokenLink("verify-email", input.token, input.baseUrl);
  const intro = "Please confirm that this is your email address for Vaultflow.";
  const after = ["The link is valid for 24 hours and works once.", "If you did not create a Vaultflow account, ignore this email."];
  return {
    purpose: "verify_email",
    to: input.to,
    subject: "Confirm your email address for Vaultflow",
    text: [intro, "", 'Open this link and press "Confirm my email":', link, "", after.join("\n\n"), ""].join("\n"),
    html: html([intro], { href: link, label: "Confirm my email" }, after),
  };
}

export function resetPasswordMessage(input: { to: string; token: string; baseUrl?: string }): TMailMessage {
  const link = userTokenLink("reset-password", input.token, input.baseUrl);
  const intro = "Someone asked to reset the password of your Vaultflow account.";
  const after = [
    "The link is valid for 1 hour and works once. Setting a new password signs you out on every device.",
    "If you did not ask for this, ignore this email: your password stays as it is.",
  ];
  return {
    purpose: "reset_password",
    to: input.to,
    subject: "Reset your Vaultflow password",
    text: [intro, "", "Choose a new password here:", link, "", after.join("\n\n"), ""].join("\n"),
    html: html([intro], { href: link, label: "Choose a new password" }, after),
  };
}
