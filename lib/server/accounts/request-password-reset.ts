import "server-only";
import { normalizeEmail } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { getMailer, sendMailInBackground, type Mailer } from "@/lib/mail/mailer";
import { resetPasswordMessage } from "@/lib/mail/templates";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { consumeRateLimits } from "../rate-limit/limiters";
import type { TRequestMeta } from "../request-meta";
import { issueUserToken } from "./issue-user-token";

export const PASSWORD_RESET_REQUESTED = "If an account exists for that address, we sent a link. It is valid for 1 hour.";
export const MAIL_OFF_RESET = "This installation has no mail server, so it cannot email you a link. Ask your administrator to reset your password.";

/**
 * "Forgot password": emails a reset link (valid 1 hour) when an account has this
 * address. The answer is the same either way, and the mail is sent in the background
 * in both cases' time budget (never awaited), so neither the reply nor its timing
 * tells whether the account exists.
 */
export async function requestPasswordReset(email: string, meta: TRequestMeta, options: { mailer?: Mailer | null } = {}): Promise<{ message: string }> {
  const mailer = options.mailer === undefined ? getMailer() : options.mailer;
  if (!mailer) throw new AppError("BAD_INPUT", MAIL_OFF_RESET);
  const address = normalizeEmail(email);
  await consumeRateLimits([
    ["resetIp", meta.ip],
    ["resetEmailIp", `${address}|${meta.ip}`],
  ]);

  const db = getDb();
  const user = await db.user.findUnique({ where: { email: address }, select: { id: true, email: true, kind: true } });
  // An API key's service user has no password to reset: answered as an unknown address.
  if (!user || user.kind !== "PERSON") {
    await recordAuditEvent({ action: "auth.password_reset_requested", outcome: "failure", subject: address, meta });
    return { message: PASSWORD_RESET_REQUESTED };
  }
  const { token } = await db.$transaction(async (tx) => {
    const issued = await issueUserToken(user.id, "RESET_PASSWORD", tx);
    await recordAuditEvent({ action: "auth.password_reset_requested", userId: user.id, meta, details: { via: "email" } }, tx);
    return issued;
  });
  sendMailInBackground(mailer, resetPasswordMessage({ to: user.email, token }));
  return { message: PASSWORD_RESET_REQUESTED };
}
