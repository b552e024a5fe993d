import "server-only";
// Who a Google sign-in is. The rules protect against account takeover:
// - Google must vouch for the email (email_verified: true), or nothing happens.
// - A Google identity already linked signs in to its user.
// - An unknown email gets a new account (verified by Google, no password).
// - An account whose email was never verified loses its password and goes to the
//   Google identity: whoever set that password never proved they own the mailbox,
//   and Google just proved the new person does. Its old sessions end.
// - A verified account is never linked automatically: its owner signs in first and
//   links Google from the account page (`linkToUserId`).
// - An account with two-factor authentication on signs in with password and code:
//   Google sign-in would skip the code, so it is refused.
// - An address in the API keys' reserved domain (a service user's) is refused.
import { isServiceUserEmail } from "@/lib/api-keys/service-user";
import { normalizeEmail } from "@/lib/auth/schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";

export const GOOGLE = "google";

export type TGoogleIdentity = { sub: string; email: string | null; emailVerified: boolean; name: string | null };

export type TGoogleSignInResult =
  | { ok: true; userId: string; sessionVersion: number; created: boolean }
  | {
      ok: false;
      reason: "email_unverified" | "account_exists" | "linked_elsewhere" | "already_linked" | "two_factor_required" | "verify_email_first";
    };

export async function resolveGoogleSignIn(identity: TGoogleIdentity, meta: TRequestMeta, linkToUserId: string | null = null): Promise<TGoogleSignInResult> {
  if (!identity.email || identity.emailVerified !== true) return { ok: false, reason: "email_unverified" };
  const email = normalizeEmail(identity.email);
  // The API keys' reserved domain: an identity provider claiming such an address is
  // refused before any look-up, so no Google identity ever attaches to a service user.
  if (isServiceUserEmail(email)) return { ok: false, reason: "account_exists" };
  const db = getDb();

  return db.$transaction(async (tx) => {
    const linked = await tx.oAuthAccount.findUnique({
      where: { provider_providerAccountId: { provider: GOOGLE, providerAccountId: identity.sub } },
      select: { user: { select: { id: true, sessionVersion: true, totpEnabledAt: true } } },
    });
    if (linked) {
      if (linkToUserId && linked.user.id !== linkToUserId) return { ok: false, reason: "linked_elsewhere" } as const;
      if (!linkToUserId && linked.user.totpEnabledAt) return { ok: false, reason: "two_factor_required" } as const;
      await recordAuditEvent({ action: "auth.sign_in", userId: linked.user.id, meta, details: { method: "google" } }, tx);
      return { ok: true, userId: linked.user.id, sessionVersion: linked.user.sessionVersion, created: false } as const;
    }

    if (linkToUserId) {
      // An unverified account could belong to someone squatting on the address; a
      // Google identity linked now would survive the real owner's takeover.
      const target = await tx.user.findUnique({
        where: { id: linkToUserId },
        select: { emailVerified: true, oauthAccounts: { where: { provider: GOOGLE }, select: { id: true } } },
      });
      if (!target?.emailVerified) return { ok: false, reason: "verify_email_first" } as const;
      if (target.oauthAccounts.length > 0) return { ok: false, reason: "already_linked" } as const;
      const user = await tx.user.update({
        where: { id: linkToUserId },
        data: { oauthAccounts: { create: { provider: GOOGLE, providerAccountId: identity.sub, email } } },
        select: { id: true, sessionVersion: true },
      });
      await recordAuditEvent({ action: "auth.google_linked", userId: user.id, meta, details: { googleEmail: email } }, tx);
      return { ok: true, userId: user.id, sessionVersion: user.sessionVersion, created: false } as const;
    }

    const existing = await tx.user.findUnique({
      where: { email },
      select: { id: true, emailVerified: true, sessionVersion: true },
    });
    if (existing && existing.emailVerified) return { ok: false, reason: "account_exists" } as const;

    if (existing) {
      const user = await tx.user.update({
        where: { id: existing.id },
        // Everything the unverified holder set up goes: password and second factor.
        data: {
          passwordHash: null,
          totpSecretSealed: null,
          totpEnabledAt: null,
          totpLastStep: null,
          recoveryCodes: { deleteMany: {} },
          tokens: { deleteMany: {} },
          emailVerified: new Date(),
          sessionVersion: { increment: 1 },
          oauthAccounts: { deleteMany: {}, create: { provider: GOOGLE, providerAccountId: identity.sub, email } },
        },
        select: { id: true, sessionVersion: true },
      });
      await recordAuditEvent({ action: "auth.google_takeover", userId: user.id, meta }, tx);
      await recordAuditEvent({ action: "auth.sign_in", userId: user.id, meta, details: { method: "google" } }, tx);
      return { ok: true, userId: user.id, sessionVersion: user.sessionVersion, created: false } as const;
    }

    const user = await tx.user.create({
      data: {
        email,
        name: identity.name?.slice(0, 100) ?? null,
        emailVerified: new Date(),
        oauthAccounts: { create: { provider: GOOGLE, providerAccountId: identity.sub, email } },
      },
      select: { id: true, sessionVersion: true },
    });
    await recordAuditEvent({ action: "auth.sign_up", userId: user.id, meta, details: { method: "google" } }, tx);
    return { ok: true, userId: user.id, sessionVersion: user.sessionVersion, created: true } as const;
  });
}
