import "server-only";
// Two-factor recovery codes: ten per user, shown once, stored as hashes, each usable once.
//
// A code is ten characters of Crockford's base32 alphabet (no I, L, O or U) as
// `xxxxx-xxxxx`: 5 bits a character, 50 random bits a code. On input, case, spaces and
// dashes are ignored and the look-alikes o→0, i/l→1 are folded, so a code read aloud
// or copied from paper still matches.
//
// Stored hash: HMAC-SHA-256 keyed with the password pepper. A slow hash (bcrypt) is not
// needed: 50 random bits are not a guessable password, and online guessing is rate
// limited. A plain SHA-256 would leave 50 bits as the only protection of a stolen
// database against offline search across every user's codes at once; the pepper, which
// lives in configuration and not in the database, takes that away.
import { createHmac, randomInt } from "node:crypto";

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const CODE_LENGTH = 10;
const NORMALIZED = new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`);

/** Fresh codes for display, e.g. `7k2mq-x9d4h`. All distinct. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    let raw = "";
    for (let i = 0; i < CODE_LENGTH; i++) raw += ALPHABET[randomInt(ALPHABET.length)];
    codes.add(`${raw.slice(0, 5)}-${raw.slice(5)}`);
  }
  return [...codes];
}

/** The canonical form of what someone typed, or null when it cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | null {
  const folded = input.toLowerCase().replace(/[\s-]/g, "").replace(/o/g, "0").replace(/[il]/g, "1");
  return NORMALIZED.test(folded) ? folded : null;
}

/** Hex HMAC-SHA-256 of the normalized code; `pepper` is PASSWORD_PEPPER (base64). */
export function hashRecoveryCode(normalized: string, pepper: string): string {
  return createHmac("sha256", Buffer.from(pepper, "base64")).update(`vaultflow:recovery-code:v1:${normalized}`, "utf8").digest("hex");
}
