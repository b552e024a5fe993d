import "server-only";
import { toString as renderQrCode } from "qrcode";
import { createTotpSecret, totpUri } from "@/lib/auth/totp";
import type { TTotpEnrollment } from "@/lib/auth/totp-enrollment";
import { AppError } from "@/lib/errors";
import { getDb } from "../db";
import { sealTotpSecret } from "./totp-secret";

/**
 * Starts (or restarts) setting up an authenticator app: a new secret is stored sealed
 * while totpEnabledAt stays null, so nothing changes at sign-in until
 * confirmTotpEnrollment proves the app has it. The secret goes back to its owner only,
 * in this answer; it is never logged.
 */
export async function beginTotpEnrollment(userId: string): Promise<TTotpEnrollment> {
  const db = getDb();
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, totpEnabledAt: true, passwordHash: true },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in again to continue.");
  // The code step guards password sign-in; an account without a password signs in
  // through Google, whose own 2-Step Verification is the second factor there.
  if (!user.passwordHash) {
    throw new AppError("BAD_INPUT", "This account signs in with Google. Turn on 2-Step Verification in your Google account instead.");
  }
  if (user.totpEnabledAt) throw new AppError("CONFLICT", "Two-factor authentication is already on.");
  const secret = createTotpSecret();
  // Conditional on "still off", so a confirmation racing in another tab is not undone.
  const stored = await db.user.updateMany({
    where: { id: userId, totpEnabledAt: null },
    data: { totpSecretSealed: sealTotpSecret(secret, userId), totpLastStep: null },
  });
  if (stored.count !== 1) throw new AppError("CONFLICT", "Two-factor authentication is already on.");
  const uri = totpUri(secret, user.email);
  const svg = await renderQrCode(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { uri, secret, qrCodeDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}` };
}
