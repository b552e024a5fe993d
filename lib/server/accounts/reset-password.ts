import "server-only";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { hashPassword } from "@/lib/auth/password-hasher";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import { newPasswordSchemaFor, type TResetPasswordInput } from "@/lib/auth/token-schemas";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { resetRateLimit } from "../rate-limit/limiters";
import type { TRequestMeta } from "../request-meta";
import { consumeUserToken, findUsableUserToken } from "./issue-user-token";

export const RESET_LINK_INVALID = "This password reset link has expired or was already used.";

/**
 * Sets a new password through an emailed (or operator-issued) reset link. The link
 * proves control of the mailbox, so the address counts as verified; every session
 * ends (the session version moves on). The token names the user; nothing else does.
 */
export async function resetPassword(input: TResetPasswordInput, meta: TRequestMeta): Promise<{ email: string }> {
  const db = getDb();
  const found = await findUsableUserToken(input.token, "RESET_PASSWORD");
  const user = found ? await db.user.findUnique({ where: { id: found.userId }, select: { id: true, email: true, name: true, emailVerified: true } }) : null;
  if (!user) throw new AppError("NOT_FOUND", RESET_LINK_INVALID);

  const checked = newPasswordSchemaFor({ email: user.email, name: user.name }).safeParse({ password: input.password });
  if (!checked.success) {
    const fieldErrors = fieldErrorsOf(checked.error);
    throw new AppError("BAD_INPUT", fieldErrors.password?.[0] ?? "Choose another password.", fieldErrors);
  }
  // Hashed before the transaction: bcrypt takes about half a second.
  const passwordHash = await hashPassword(input.password, getAppSecrets().passwordPepper);

  await db.$transaction(async (tx) => {
    // The token is used up in the same transaction as the change: of two concurrent
    // submissions one wins; if the change fails, the link still works.
    const consumed = await consumeUserToken(input.token, "RESET_PASSWORD", tx);
    if (consumed?.userId !== user.id) throw new AppError("NOT_FOUND", RESET_LINK_INVALID);
    const now = new Date();
    await tx.user.update({
      where: { id: user.id },
      data: {
        passwordHash,
        passwordChangedAt: now,
        emailVerified: user.emailVerified ?? now,
        sessionVersion: { increment: 1 },
        // An address nobody had verified: whoever set the account up never proved
        // they own the mailbox, and the person resetting just did. Their second
        // factor and linked Google identities must not survive into the owner's account.
        ...(user.emailVerified
          ? {}
          : {
              totpSecretSealed: null,
              totpEnabledAt: null,
              totpLastStep: null,
              recoveryCodes: { deleteMany: {} },
              oauthAccounts: { deleteMany: {} },
            }),
      },
    });
    await tx.userToken.deleteMany({ where: { userId: user.id, purpose: "RESET_PASSWORD", usedAt: null } });
    await recordAuditEvent({ action: "auth.password_reset", userId: user.id, meta }, tx);
  });
  // Failed sign-ins from this address no longer count against the owner.
  await resetRateLimit("signInEmailIp", `${user.email}|${meta.ip}`);
  return { email: user.email };
}
