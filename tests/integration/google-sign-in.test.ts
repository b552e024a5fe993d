import { describe, expect, it } from "vitest";
import { ZSignUpInput } from "@/lib/auth/password-schemas";
import { createUserWithPassword } from "@/lib/server/accounts/create-user-with-password";
import { beginTotpEnrollment } from "@/lib/server/accounts/begin-totp-enrollment";
import { resolveGoogleSignIn } from "@/lib/server/accounts/resolve-google-sign-in";
import { getDb } from "@/lib/server/db";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.10", userAgent: "vitest" };
let counter = 0;
const google = (email: string, emailVerified = true) => ({
  sub: `google-${++counter}`,
  email,
  emailVerified,
  name: "Lin Google",
});

async function passwordUser(email: string, verified: boolean) {
  const user = await createUserWithPassword(
    ZSignUpInput.parse({ name: "Pat Password", email, password: "meadow copper violin 4 sails" }),
    meta,
  );
  if (verified) await getDb().user.update({ where: { id: user.id }, data: { emailVerified: new Date() } });
  return user;
}

describe("Google sign-in", () => {
  it("refuses an identity whose email Google has not verified, and creates nothing", async () => {
    const before = await getDb().user.count();
    expect(await resolveGoogleSignIn(google("unverified@example.com", false), meta)).toEqual({
      ok: false,
      reason: "email_unverified",
    });
    expect(await getDb().user.count()).toBe(before);
  });

  it("creates a verified account without a password for a new email, then signs the same identity in", async () => {
    const identity = google("New.Person@Example.com");
    const first = await resolveGoogleSignIn(identity, meta);
    expect(first).toMatchObject({ ok: true, created: true });
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "new.person@example.com" } });
    expect(user.passwordHash).toBeNull();
    expect(user.emailVerified).not.toBeNull();
    const again = await resolveGoogleSignIn(identity, meta);
    expect(again).toMatchObject({ ok: true, created: false, userId: user.id });
    // No password, so no code step to guard: Google's own 2-Step Verification applies.
    await expect(beginTotpEnrollment(user.id)).rejects.toThrow(/signs in with Google/);
  });

  it("takes over an unverified password account: the password is removed and old sessions end", async () => {
    const squatter = await passwordUser("takeover@example.com", false);
    const result = await resolveGoogleSignIn(google("takeover@example.com"), meta);
    expect(result).toMatchObject({ ok: true, userId: squatter.id, sessionVersion: 1 });
    const user = await getDb().user.findUniqueOrThrow({ where: { id: squatter.id } });
    expect(user.passwordHash).toBeNull();
    expect(user.emailVerified).not.toBeNull();
    expect(await getDb().auditEvent.count({ where: { userId: squatter.id, action: "auth.google_takeover" } })).toBe(1);
  });

  it("refuses Google sign-in for an account with two-factor on, and clears a squatter's second factor on takeover", async () => {
    const guarded = await passwordUser("guarded@example.com", true);
    const identity = google("guarded@example.com");
    expect(await resolveGoogleSignIn(identity, meta, guarded.id)).toMatchObject({ ok: true });
    await getDb().user.update({ where: { id: guarded.id }, data: { totpEnabledAt: new Date(), totpSecretSealed: "x" } });
    expect(await resolveGoogleSignIn(identity, meta)).toEqual({ ok: false, reason: "two_factor_required" });

    const squatter = await passwordUser("squatted@example.com", false);
    await getDb().user.update({
      where: { id: squatter.id },
      data: { totpEnabledAt: new Date(), totpSecretSealed: "x", recoveryCodes: { create: [{ codeHash: "h" }] } },
    });
    expect(await resolveGoogleSignIn(google("squatted@example.com"), meta)).toMatchObject({ ok: true, userId: squatter.id });
    const after = await getDb().user.findUniqueOrThrow({ where: { id: squatter.id }, include: { recoveryCodes: true } });
    expect(after).toMatchObject({ totpEnabledAt: null, totpSecretSealed: null, recoveryCodes: [] });
  });

  it("never links a verified password account automatically", async () => {
    const owner = await passwordUser("verified@example.com", true);
    expect(await resolveGoogleSignIn(google("verified@example.com"), meta)).toEqual({
      ok: false,
      reason: "account_exists",
    });
    const user = await getDb().user.findUniqueOrThrow({ where: { id: owner.id }, include: { oauthAccounts: true } });
    expect(user.passwordHash).not.toBeNull();
    expect(user.oauthAccounts).toEqual([]);
  });

  it("links Google to the signed-in user on request, and refuses an identity linked to someone else", async () => {
    const owner = await passwordUser("linker@example.com", true);
    const identity = google("linker.personal@gmail.example");
    expect(await resolveGoogleSignIn(identity, meta, owner.id)).toMatchObject({ ok: true, userId: owner.id });
    expect(await resolveGoogleSignIn(identity, meta)).toMatchObject({ ok: true, userId: owner.id });

    const other = await passwordUser("other@example.com", true);
    expect(await resolveGoogleSignIn(identity, meta, other.id)).toEqual({ ok: false, reason: "linked_elsewhere" });
    expect(await getDb().auditEvent.count({ where: { userId: owner.id, action: "auth.google_linked" } })).toBe(1);
  });
});
