import "server-only";
// The emailed link's token: 256 random bits, base64url; only its SHA-256 is stored, so a
// database read does not give out working links. The request itself is decided once and
// expires, so the token is single use and expires with it.
import { createHash, randomBytes } from "node:crypto";

export function createApprovalToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashApprovalToken(token) };
}

export function hashApprovalToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
