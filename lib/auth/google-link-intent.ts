import "server-only";
// Linking a Google identity to a signed-in account happens only after the user asked
// for it on the account page and re-entered their password: that request leaves this
// short-lived, signed, httpOnly cookie, and the Google sign-in that follows links only
// when it carries one for the same user and session version. A Google sign-in that
// merely happens while a session exists links nothing.
import { createHmac, timingSafeEqual } from "node:crypto";
import { getAppSecrets } from "@/lib/config/app-secrets";

export const GOOGLE_LINK_COOKIE = "vaultflow.google-link";
export const GOOGLE_LINK_TTL_SECONDS = 10 * 60;

function key(): Buffer {
  // Derived for this one purpose from the session secret.
  return createHmac("sha256", getAppSecrets().authSecret).update("vaultflow:google-link-intent:v1").digest();
}

function sign(payload: string): string {
  return createHmac("sha256", key()).update(payload).digest("base64url");
}

export function createGoogleLinkIntent(userId: string, sessionVersion: number, now = Date.now()): string {
  const payload = `${userId}.${sessionVersion}.${Math.floor(now / 1000) + GOOGLE_LINK_TTL_SECONDS}`;
  return `${payload}.${sign(payload)}`;
}

/** The user id the intent was made for, when it is authentic, unexpired and for this session version. */
export function readGoogleLinkIntent(value: string | undefined, sessionVersion: number, now = Date.now()): string | null {
  if (!value) return null;
  const parts = value.split(".");
  if (parts.length !== 4) return null;
  const [userId, version, expires, signature] = parts as [string, string, string, string];
  const expected = Buffer.from(sign(`${userId}.${version}.${expires}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  if (Number(version) !== sessionVersion || Number(expires) * 1000 < now) return null;
  return userId;
}
