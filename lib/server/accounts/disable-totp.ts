import "server-only";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { verifySecondFactor } from "./verify-second-factor";

/**
 * Turns two-factor authentication off after a valid current code (TOTP or recovery):
 * the secret and every recovery code are deleted, and every session ends, the
 * caller's included, as after a password change. A weaker account should not stay
 * signed in on devices its owner may have forgotten.
 */
export async function disableTotp(userId: string, code: string, meta: TRequestMeta): Promise<{ sessionVersion: number }> {
  const method = await verifySecondFactor(userId, code);
  return getDb().$transaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id: userId },
      data: { totpSecretSealed: null, totpEnabledAt: null, totpLastStep: null, sessionVersion: { increment: 1 } },
      select: { sessionVersion: true },
    });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await recordAuditEvent({ action: "auth.two_factor_disabled", userId, meta, details: { secondFactor: method } }, tx);
    return updated;
  });
}
