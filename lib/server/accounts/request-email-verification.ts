import "server-only";
import { AppError } from "@/lib/errors";
import { getMailer, sendMailInBackground, type Mailer } from "@/lib/mail/mailer";
import { verifyEmailMessage } from "@/lib/mail/templates";
import { getDb } from "../db";
import { consumeRateLimits } from "../rate-limit/limiters";
import { issueUserToken } from "./issue-user-token";

export const MAIL_OFF_VERIFICATION = "Email verification is off because this installation has no mail server.";

export type TRequestEmailVerificationOptions = {
  /** Defaults to the installation's mailer (SMTP_URL); tests pass their own. */
  mailer?: Mailer | null;
  /** Queue the send instead of waiting for the mail server (right after sign-up). */
  background?: boolean;
};

/**
 * Emails the user a link that proves they own their address (valid 24 hours). Acts
 * only on the user given, who is the signed-in caller. Rate-limited per user.
 */
export async function requestEmailVerification(
  userId: string,
  options: TRequestEmailVerificationOptions = {},
): Promise<{ status: "sent" | "already_verified" }> {
  const mailer = options.mailer === undefined ? getMailer() : options.mailer;
  if (!mailer) throw new AppError("BAD_INPUT", MAIL_OFF_VERIFICATION);
  // LIMITS has no per-user mail limit; the reset-mail budget (5 an hour) fits, and the
  // key prefix keeps these counts apart from the email|ip keys of password resets.
  await consumeRateLimits([["verifyEmailUser", userId]]);

  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
  if (!user) throw new AppError("NOT_FOUND", "This account no longer exists.");
  if (user.emailVerified) return { status: "already_verified" };

  const { token } = await db.$transaction((tx) => issueUserToken(userId, "VERIFY_EMAIL", tx));
  const message = verifyEmailMessage({ to: user.email, token });
  if (options.background) sendMailInBackground(mailer, message);
  else await mailer.send(message);
  return { status: "sent" };
}
