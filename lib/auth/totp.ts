import "server-only";
// TOTP (RFC 6238) with the parameters every authenticator app supports: SHA-1, six
// digits, 30-second steps, a 160-bit secret. otplib v13 does the arithmetic; this file
// fixes the parameters and the window in one place.
import { generateSecret, generateURI, verify } from "otplib";

export const TOTP_ISSUER = "Vaultflow";
const PERIOD_SECONDS = 30;
/** One step either side of now: covers clock drift and a code typed as it rolled over. */
const WINDOW_SECONDS = PERIOD_SECONDS;
const SECRET_BYTES = 20;

const TOTP_CODE = /^\d{6}$/;

/** A fresh Base32 secret (what authenticator apps expect). */
export function createTotpSecret(): string {
  return generateSecret({ length: SECRET_BYTES });
}

export function totpUri(secret: string, accountLabel: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: accountLabel, secret, period: PERIOD_SECONDS });
}

export function looksLikeTotpCode(code: string): boolean {
  return TOTP_CODE.test(code);
}

/**
 * The time step the code belongs to when it is valid within the window, else null.
 * Replay protection is the caller's: it must refuse a step at or before the last one
 * it accepted, atomically with recording the new one.
 */
export async function matchTotpStep(secret: string, code: string, epochSeconds?: number): Promise<number | null> {
  // otplib throws on a malformed token; anything but six digits is simply not a match.
  if (!looksLikeTotpCode(code)) return null;
  const result = await verify({
    secret,
    token: code,
    period: PERIOD_SECONDS,
    epochTolerance: WINDOW_SECONDS,
    epoch: epochSeconds,
  });
  // The functional API types results for TOTP and HOTP alike; only TOTP's has timeStep.
  return result.valid && "timeStep" in result ? result.timeStep : null;
}
