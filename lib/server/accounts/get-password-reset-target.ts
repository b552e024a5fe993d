import "server-only";
import { isWellFormedUserToken } from "@/lib/auth/token-schemas";
import { getDb } from "../db";
import { findUsableUserToken } from "./issue-user-token";

/**
 * The account a reset link is for, while the link is usable (the reset page shows
 * the address and measures the new password against it). Reading does not use the
 * token up. Only the link's holder, who received it at that address, sees this.
 */
export async function getPasswordResetTarget(token: string): Promise<{ email: string; name: string | null } | null> {
  if (!isWellFormedUserToken(token)) return null;
  const found = await findUsableUserToken(token, "RESET_PASSWORD");
  if (!found) return null;
  return getDb().user.findUnique({ where: { id: found.userId }, select: { email: true, name: true } });
}
