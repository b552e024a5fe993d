import "server-only";
// The authorization `state`: 256 random bits handed to the browser, stored only as
// SHA-256, so a database dump gives nobody a state to complete someone's authorization.
// The PKCE verifier is sealed to the state row (key rotation re-seals
// oauth_states.verifierSealed with exactly this context).
import { createHash, randomBytes } from "node:crypto";
import type { SealContext } from "@/lib/crypto/seal";

export const OAUTH_STATE_LIFETIME_MS = 10 * 60 * 1000;
export const OAUTH_VERIFIER_PURPOSE = "oauth-verifier";

export function hashOAuthState(state: string): string {
  return createHash("sha256").update(state, "utf8").digest("hex");
}

export function newOAuthState(now = new Date()): { state: string; stateHash: string; expiresAt: Date } {
  const state = randomBytes(32).toString("base64url");
  return { state, stateHash: hashOAuthState(state), expiresAt: new Date(now.getTime() + OAUTH_STATE_LIFETIME_MS) };
}

export function oauthVerifierContext(projectId: string, stateHash: string): SealContext {
  return { purpose: OAUTH_VERIFIER_PURPOSE, projectId, recordId: stateHash };
}
