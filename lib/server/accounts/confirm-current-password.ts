import "server-only";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { verifyPasswordOrDummy } from "@/lib/auth/password-hasher";
import { AppError } from "@/lib/errors";
import { getDb } from "../db";
import { consumeRateLimits } from "../rate-limit/limiters";

/**
 * Re-authentication for sensitive changes by a signed-in user. Limited per user, so
 * a stolen session cannot be used to guess the password (which would outlive it).
 */
export async function confirmCurrentPassword(userId: string, password: string, field = "currentPassword"): Promise<void> {
  await consumeRateLimits([["reauthUser", userId]]);
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in again to continue.");
  const ok = await verifyPasswordOrDummy(password, user.passwordHash, getAppSecrets().passwordPepper);
  if (!ok) {
    const message = field === "currentPassword" ? "The current password is not correct." : "The password is not correct.";
    throw new AppError("BAD_INPUT", message, { [field]: [message] });
  }
}
