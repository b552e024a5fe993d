import "server-only";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { checkPassword } from "@/lib/auth/password-policy";
import { hashPassword } from "@/lib/auth/password-hasher";
import type { TChangePasswordInput } from "@/lib/auth/password-schemas";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { confirmCurrentPassword } from "./confirm-current-password";

/**
 * Changes the password after checking the current one, and ends every session but
 * the caller's: returns the new session version for the caller's refreshed token.
 */
export async function changePassword(userId: string, input: TChangePasswordInput, meta: TRequestMeta): Promise<{ sessionVersion: number }> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, name: true, passwordHash: true } });
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in again to continue.");
  await confirmCurrentPassword(userId, input.currentPassword);
  const problems = checkPassword(input.password, { email: user.email, name: user.name }).problems;
  if (problems.length) throw new AppError("BAD_INPUT", problems[0]!, { password: problems });
  const passwordHash = await hashPassword(input.password, getAppSecrets().passwordPepper);
  return db.$transaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id: userId },
      data: { passwordHash, passwordChangedAt: new Date(), sessionVersion: { increment: 1 } },
      select: { sessionVersion: true },
    });
    // A reset link mailed before the change must not undo it.
    await tx.userToken.deleteMany({ where: { userId, purpose: "RESET_PASSWORD" } });
    await recordAuditEvent({ action: "auth.password_changed", userId, meta }, tx);
    return updated;
  });
}
