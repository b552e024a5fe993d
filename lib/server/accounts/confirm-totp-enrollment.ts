import "server-only";
import { matchTotpStep } from "@/lib/auth/totp";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { consumeRateLimits } from "../rate-limit/limiters";
import type { TRequestMeta } from "../request-meta";
import { replaceRecoveryCodes } from "./replace-recovery-codes";
import { openTotpSecret } from "./totp-secret";

const WRONG_CODE = "That code does not match. Check the time on your phone and try the current code.";

/**
 * Turns two-factor authentication on once the user proves their app holds the pending
 * secret (a 6-digit code within one step of now). Creates ten recovery codes and
 * returns them in clear, this once. The current session stays valid: turning 2FA on
 * strengthens the account, and the person doing it has just proven both factors.
 */
export async function confirmTotpEnrollment(userId: string, code: string, meta: TRequestMeta): Promise<{ recoveryCodes: string[] }> {
  await consumeRateLimits([["twoFactorUser", userId]]);
  const db = getDb();
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { totpSecretSealed: true, totpEnabledAt: true },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in again to continue.");
  if (user.totpEnabledAt) throw new AppError("CONFLICT", "Two-factor authentication is already on.");
  if (!user.totpSecretSealed) throw new AppError("BAD_INPUT", "Start setting up two-factor authentication again.");

  const step = await matchTotpStep(openTotpSecret(user.totpSecretSealed, userId), code.replace(/\s/g, ""));
  if (step === null) throw new AppError("BAD_INPUT", WRONG_CODE, { code: [WRONG_CODE] });

  return db.$transaction(async (tx) => {
    // Still the secret the code was checked against (no restart in another tab), still off.
    const enabled = await tx.user.updateMany({
      where: { id: userId, totpEnabledAt: null, totpSecretSealed: user.totpSecretSealed },
      // The confirmation code's step counts as used: it cannot be replayed at sign-in.
      data: { totpEnabledAt: new Date(), totpLastStep: step },
    });
    if (enabled.count !== 1) {
      throw new AppError("CONFLICT", "Two-factor setup changed in another window. Start again.");
    }
    const recoveryCodes = await replaceRecoveryCodes(userId, tx);
    await recordAuditEvent({ action: "auth.two_factor_enabled", userId, meta }, tx);
    return { recoveryCodes };
  });
}
