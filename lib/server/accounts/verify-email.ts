import "server-only";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { consumeUserToken } from "./issue-user-token";

export const VERIFY_LINK_INVALID = "This verification link has expired or was already used.";

/**
 * Marks the token's user's email verified and uses the token up. The token alone
 * names the user: whoever is signed in (if anyone) plays no part.
 */
export async function verifyEmail(token: string, meta: TRequestMeta): Promise<{ verified: true }> {
  return getDb().$transaction(async (tx) => {
    const consumed = await consumeUserToken(token, "VERIFY_EMAIL", tx);
    if (!consumed) throw new AppError("NOT_FOUND", VERIFY_LINK_INVALID);
    // An address verified earlier (e.g. by a password reset) keeps its first date.
    await tx.user.updateMany({ where: { id: consumed.userId, emailVerified: null }, data: { emailVerified: new Date() } });
    await recordAuditEvent({ action: "auth.email_verified", userId: consumed.userId, meta }, tx);
    return { verified: true as const };
  });
}
