import "server-only";
// Keys are stored as SHA-256 of the key text, not bcrypt or an HMAC: a key holds 256
// random bits, so a leaked hash cannot be brute-forced back (a slow hash guards
// low-entropy passwords, not this), and a plain digest keeps keys valid across
// rotations of the server's secrets, which a keyed HMAC would tie them to. The look-up
// is by the digest's unique index: timing of that look-up depends on the digest, which
// an attacker cannot steer toward a real key's, so it reveals nothing usable.
import { createHash, randomBytes } from "node:crypto";
import { apiKeyDisplayPrefix, formatApiKey } from "@/lib/api-keys/key-format";

export function hashApiKey(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** A new key: its text (shown once), the digest stored, and the prefix shown in lists. */
export function newApiKey(): { text: string; tokenHash: string; prefix: string } {
  const text = formatApiKey(randomBytes(32));
  return { text, tokenHash: hashApiKey(text), prefix: apiKeyDisplayPrefix(text) };
}
