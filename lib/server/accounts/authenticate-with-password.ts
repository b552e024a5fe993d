import "server-only";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { verifyPasswordOrDummy } from "@/lib/auth/password-hasher";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { consumeRateLimits, RateLimitedError, resetRateLimit } from "../rate-limit/limiters";
import type { TRequestMeta } from "../request-meta";

export type TAuthenticatedUser = { id: string; email: string; name: string | null; sessionVersion: number };

const WRONG = "Email or password is incorrect.";

/**
 * Checks an email and password. Unknown email, a Google-only account and a wrong
 * password take the same time and give the same answer.
 */
export async function authenticateWithPassword(
  email: string,
  password: string,
  meta: TRequestMeta,
): Promise<TAuthenticatedUser> {
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
    select: { id: true, email: true, name: true, passwordHash: true, sessionVersion: true },
  });
  const ok = await verifyPasswordOrDummy(password, user?.passwordHash ?? null, getAppSecrets().passwordPepper);
  if (!user || !ok) {
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
  await recordAuditEvent({ action: "auth.sign_in", userId: user.id, meta, details: { method: "password" } });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}
