import "server-only";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { hashRecoveryCode, normalizeRecoveryCode } from "@/lib/auth/recovery-codes";
import { looksLikeTotpCode, matchTotpStep } from "@/lib/auth/totp";
import { AppError } from "@/lib/errors";
import { getDb } from "../db";
import { consumeRateLimits } from "../rate-limit/limiters";
import { openTotpSecret } from "./totp-secret";

export type TSecondFactorMethod = "totp" | "recovery_code";

const INVALID = "That code is not valid. Check it and try again.";

export class InvalidSecondFactorError extends AppError {
  constructor() {
    super("BAD_INPUT", INVALID, { code: [INVALID] });
  }
}

/**
 * Checks a code from the user's authenticator app or one of their recovery codes, and
 * uses it up: a TOTP code's time step (and every earlier one) is refused from then on,
 * a recovery code is marked used. Both happen in one conditional UPDATE, so two
 * requests racing with the same code cannot both succeed.
 *
 * Every attempt, right or wrong, counts against the "twoFactorUser" limit (10 per 15
 * minutes per user): the password may already be known to whoever is guessing, so the
 * limit is per account, not per address.
 */
export async function verifySecondFactor(userId: string, code: string): Promise<TSecondFactorMethod> {
  await consumeRateLimits([["twoFactorUser", userId]]);
  const db = getDb();
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { totpSecretSealed: true, totpEnabledAt: true },
  });
  if (!user?.totpEnabledAt || !user.totpSecretSealed) {
    throw new AppError("BAD_INPUT", "Two-factor authentication is not on for this account.");
  }

  const compact = code.replace(/\s/g, "");
  if (looksLikeTotpCode(compact)) {
    const step = await matchTotpStep(openTotpSecret(user.totpSecretSealed, userId), compact);
    if (step !== null) {
      const claimed = await db.user.updateMany({
        where: {
          id: userId,
          totpEnabledAt: { not: null },
          OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }],
        },
        data: { totpLastStep: step },
      });
      if (claimed.count === 1) return "totp";
    }
    throw new InvalidSecondFactorError();
  }

  const normalized = normalizeRecoveryCode(code);
  if (normalized) {
    const used = await db.recoveryCode.updateMany({
      where: { userId, codeHash: hashRecoveryCode(normalized, getAppSecrets().passwordPepper), usedAt: null },
      data: { usedAt: new Date() },
    });
    if (used.count >= 1) return "recovery_code";
  }
  throw new InvalidSecondFactorError();
}
