import "server-only";
import type { TDeleteAccountInput } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { confirmCurrentPassword } from "./confirm-current-password";
import { verifySecondFactor } from "./verify-second-factor";

/**
 * Deletes the caller's account after re-authentication. Tokens, recovery codes and
 * linked identities go with it (cascade); audit events stay, as the record that it
 * happened. (Projects arrive later: deleting the last owner of a project with other
 * members will be refused here, with a message that says to transfer ownership.)
 */
export async function deleteAccount(userId: string, input: TDeleteAccountInput, meta: TRequestMeta): Promise<void> {
  const db = getDb();
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, passwordHash: true, totpEnabledAt: true },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in again to continue.");
  if (input.confirmEmail !== user.email) {
    throw new AppError("BAD_INPUT", "Type your email address exactly as shown.", {
      confirmEmail: ["Type your email address exactly as shown."],
    });
  }
  if (user.passwordHash) await confirmCurrentPassword(userId, input.password ?? "", "password");
  if (user.totpEnabledAt) {
    if (!input.code) throw new AppError("BAD_INPUT", "Enter a code from your authenticator app.", { code: ["Enter a code from your authenticator app."] });
    await verifySecondFactor(userId, input.code);
  }
  await db.$transaction(async (tx) => {
    await tx.user.delete({ where: { id: userId } });
    await recordAuditEvent({ action: "auth.account_deleted", userId, subject: user.email, meta }, tx);
  });
}
