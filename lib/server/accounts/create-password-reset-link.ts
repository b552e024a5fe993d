import "server-only";
import { normalizeEmail } from "@/lib/auth/schemas";
import { userTokenLink } from "@/lib/mail/templates";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { issueUserToken } from "./issue-user-token";

/**
 * For the operator (`npm run user:reset-link`): a one-time reset link (valid 1 hour)
 * for the account with this email, or null when there is none. The same token as the
 * emailed one, so it replaces any reset link mailed earlier.
 */
export async function createPasswordResetLink(email: string, baseUrl?: string): Promise<{ link: string; expiresAt: Date } | null> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) }, select: { id: true } });
  if (!user) return null;
  const { token, expiresAt } = await db.$transaction(async (tx) => {
    const issued = await issueUserToken(user.id, "RESET_PASSWORD", tx);
    await recordAuditEvent({ action: "auth.password_reset_requested", userId: user.id, details: { via: "operator" } }, tx);
    return issued;
  });
  return { link: userTokenLink("reset-password", token, baseUrl), expiresAt };
}
