// PKCE (RFC 7636) with S256 only: "plain" would hand the verifier to anyone who sees
// the authorization URL.
import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes in base64url: 43 characters, inside RFC 7636's 43-128. */
export function createPkceVerifier(): string {
  return randomBytes(32).toString("base64url");
}

export function pkceChallengeS256(verifier: string): string {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) throw new Error("a PKCE verifier is 43-128 unreserved characters");
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}
