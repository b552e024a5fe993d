import "server-only";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from "@/lib/auth/recovery-codes";
import type { Prisma } from "@/prisma/generated/client";

/**
 * Replaces every recovery code of a user with a fresh set, inside the caller's
 * transaction. Only the hashes are stored; the plaintext is returned to be shown once.
 */
export async function replaceRecoveryCodes(userId: string, tx: Prisma.TransactionClient): Promise<string[]> {
  const codes = generateRecoveryCodes();
  const pepper = getAppSecrets().passwordPepper;
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({
    data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(normalizeRecoveryCode(code)!, pepper) })),
  });
  return codes;
}
