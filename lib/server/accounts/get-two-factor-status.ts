import "server-only";
import { getDb } from "../db";

export type TTwoFactorStatus = { isEnabled: boolean; enabledAt: Date | null; recoveryCodesLeft: number };

/** What the account page shows about two-factor authentication. Never the secret. */
export async function getTwoFactorStatus(userId: string): Promise<TTwoFactorStatus> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true } });
  const enabledAt = user?.totpEnabledAt ?? null;
  const recoveryCodesLeft = enabledAt ? await db.recoveryCode.count({ where: { userId, usedAt: null } }) : 0;
  return { isEnabled: enabledAt !== null, enabledAt, recoveryCodesLeft };
}
