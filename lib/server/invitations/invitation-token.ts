import "server-only";
// Invitation tokens (internal to the invitation use cases): 256 random bits in
// base64url, only the SHA-256 stored, so a database leak yields no usable link.
import { createHash, randomBytes } from "node:crypto";
import { rolesWith } from "@/lib/auth/permissions";

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function newInvitationToken(): { token: string; tokenHash: string; expiresAt: Date } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token), expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS) };
}

/** The `where` of a project the user may manage members of: the authorization of every invitation change. */
export function managedBy(userId: string) {
  return { memberships: { some: { userId, role: { in: rolesWith("members.manage") } } } };
}

/** Not accepted, not revoked, not expired: the only invitations a token opens. */
export function usableInvitation(now: Date = new Date()) {
  return { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } };
}
