import "server-only";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { verifyPasswordOrDummy } from "@/lib/auth/password-hasher";
import { TWO_FACTOR_REQUIRED } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { consumeRateLimits, RateLimitedError, resetRateLimit } from "../rate-limit/limiters";
import type { TRequestMeta } from "../request-meta";
import { verifySecondFactor, type TSecondFactorMethod } from "./verify-second-factor";

export type TAuthenticatedUser = { id: string; email: string; name: string | null; sessionVersion: number };

const WRONG = "Email or password is incorrect.";

/** The password was right and the account has 2FA on: ask for the code. */
export class TwoFactorRequiredError extends AppError {
  constructor() {
    super("UNAUTHENTICATED", TWO_FACTOR_REQUIRED);
  }
}

/**
 * Checks an email and password. Unknown email, a Google-only account and a wrong
 * password take the same time and give the same answer. For an account with 2FA on,
 * `code` (TOTP or recovery code) is then required: without it TwoFactorRequiredError,
 * which is only thrown once the password is known to be right.
 */
export async function authenticateWithPassword(email: string, password: string, meta: TRequestMeta, code?: string): Promise<TAuthenticatedUser> {
  const emailIpKey = `${email}|${meta.ip}`;
  try {
    await consumeRateLimits([
      ["signInIp", meta.ip],
      ["signInEmailIp", emailIpKey],
    ]);
  } catch (error) {
    if (error instanceof RateLimitedError) {
      await recordAuditEvent({ action: "auth.lockout", outcome: "failure", subject: email, meta });
    }
    throw error;
  }

  const db = getDb();
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, sessionVersion: true, totpEnabledAt: true, kind: true },
  });
  // An API key's service user never signs in (it has no password either): it reads as
  // an unknown email, after the same dummy hash.
  const ok = await verifyPasswordOrDummy(password, user?.kind === "PERSON" ? user.passwordHash : null, getAppSecrets().passwordPepper);
  if (!user || !ok || user.kind !== "PERSON") {
    await recordAuditEvent({
      action: "auth.sign_in_failed",
      outcome: "failure",
      userId: user?.id ?? null,
      subject: email,
      meta,
    });
    throw new AppError("INVALID_CREDENTIALS", WRONG);
  }
  await resetRateLimit("signInEmailIp", emailIpKey);
  let secondFactor: TSecondFactorMethod | undefined;
  if (user.totpEnabledAt) {
    if (!code) throw new TwoFactorRequiredError();
    try {
      secondFactor = await verifySecondFactor(user.id, code);
    } catch (error) {
      if (error instanceof AppError) {
        await recordAuditEvent({
          action: error instanceof RateLimitedError ? "auth.lockout" : "auth.sign_in_failed",
          outcome: "failure",
          userId: user.id,
          subject: email,
          meta,
          details: { reason: "second_factor" },
        });
      }
      throw error;
    }
  }
  await recordAuditEvent({
    action: "auth.sign_in",
    userId: user.id,
    meta,
    details: secondFactor ? { method: "password", secondFactor } : { method: "password" },
  });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}
