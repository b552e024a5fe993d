import { describe, expect, it } from "vitest";
import { ZSignUpInput } from "@/lib/auth/password-schemas";
import { createUserWithPassword } from "@/lib/server/accounts/create-user-with-password";
import { beginTotpEnrollment } from "@/lib/server/accounts/begin-totp-enrollment";
import { createPasswordResetLink } from "@/lib/server/accounts/create-password-reset-link";
import { resetPassword } from "@/lib/server/accounts/reset-password";
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
  const user = await createUserWithPassword(ZSignUpInput.parse({ name: "Pat Password", email, password: "meadow copper violin 4 sails" }), meta);
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

  it("links only to a verified account, and only one Google identity per account", async () => {
    const unverified = await passwordUser("squat-link@example.com", false);
    expect(await resolveGoogleSignIn(google("attacker@gmail.example"), meta, unverified.id)).toEqual({
      ok: false,
      reason: "verify_email_first",
    });
    const owner = await passwordUser("one-link@example.com", true);
    expect(await resolveGoogleSignIn(google("first@gmail.example"), meta, owner.id)).toMatchObject({ ok: true });
    expect(await resolveGoogleSignIn(google("second@gmail.example"), meta, owner.id)).toEqual({
      ok: false,
      reason: "already_linked",
    });
    expect(await getDb().oAuthAccount.count({ where: { userId: owner.id } })).toBe(1);
  });

  it("takeover and reset of an unverified account drop whatever its holder attached", async () => {
    // The holder of an unverified account could have linked Google before that was
    // refused, or turned on two-factor: seed both directly.
    const squatted = await passwordUser("victim@example.com", false);
    await getDb().oAuthAccount.create({
      data: { userId: squatted.id, provider: "google", providerAccountId: "attacker-sub", email: "attacker@gmail.example" },
    });
    const result = await resolveGoogleSignIn(google("victim@example.com"), meta);
    expect(result).toMatchObject({ ok: true, userId: squatted.id });
    const links = await getDb().oAuthAccount.findMany({ where: { userId: squatted.id } });
    expect(links.map((l) => l.providerAccountId)).not.toContain("attacker-sub");

    const other = await passwordUser("victim2@example.com", false);
    await getDb().user.update({
      where: { id: other.id },
      data: {
        totpEnabledAt: new Date(),
        totpSecretSealed: "x",
        oauthAccounts: { create: { provider: "google", providerAccountId: "attacker-2", email: "a2@gmail.example" } },
      },
    });
    const issued = await createPasswordResetLink("victim2@example.com", "http://localhost");
    const token = new URL(issued!.link).searchParams.get("token")!;
    await resetPassword({ token, password: "lagoon thistle copper 58 drum" }, meta);
    const after = await getDb().user.findUniqueOrThrow({ where: { id: other.id }, include: { oauthAccounts: true } });
    expect(after).toMatchObject({ totpEnabledAt: null, totpSecretSealed: null, oauthAccounts: [] });
    expect(after.emailVerified).not.toBeNull();
  });
});
