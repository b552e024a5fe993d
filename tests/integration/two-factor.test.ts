import { generate } from "otplib";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { ZSignUpInput } from "@/lib/auth/password-schemas";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, SealError } from "@/lib/crypto/seal";
import { AppError } from "@/lib/errors";
import { authenticateWithPassword, TwoFactorRequiredError } from "@/lib/server/accounts/authenticate-with-password";
import { beginTotpEnrollment } from "@/lib/server/accounts/begin-totp-enrollment";
import { confirmTotpEnrollment } from "@/lib/server/accounts/confirm-totp-enrollment";
import { createUserWithPassword } from "@/lib/server/accounts/create-user-with-password";
import { disableTotp } from "@/lib/server/accounts/disable-totp";
import { getSessionUser } from "@/lib/server/accounts/get-session-user";
import { getTwoFactorStatus } from "@/lib/server/accounts/get-two-factor-status";
import { regenerateRecoveryCodes } from "@/lib/server/accounts/regenerate-recovery-codes";
import { InvalidSecondFactorError, verifySecondFactor } from "@/lib/server/accounts/verify-second-factor";
import { getDb } from "@/lib/server/db";
import { RateLimitedError } from "@/lib/server/rate-limit/limiters";
import { setupTestDatabase } from "../support/setup-test-database";

const database = setupTestDatabase();
const meta = { ip: "198.51.100.23", userAgent: "vitest" };
const PASSWORD = "orbit lantern cactus meadow 42";
const RECOVERY_CODE = /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/;

async function signUp(email: string) {
  return createUserWithPassword(ZSignUpInput.parse({ name: "Ada Tester", email, password: PASSWORD }), meta);
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** The code an authenticator app shows `stepsAhead` steps from now. */
function totpCode(secret: string, stepsAhead = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsAhead * 30 });
}

/** A six-digit code that is none of the codes valid around now. */
async function wrongTotpCode(secret: string): Promise<string> {
  const valid = new Set(await Promise.all([-1, 0, 1, 2].map((steps) => totpCode(secret, steps))));
  let candidate = 0;
  while (valid.has(String(candidate).padStart(6, "0"))) candidate++;
  return String(candidate).padStart(6, "0");
}

async function enable(email: string) {
  const user = await signUp(email);
  const enrollment = await beginTotpEnrollment(user.id);
  const secret = new URL(enrollment.uri).searchParams.get("secret")!;
  const confirmationCode = await totpCode(secret);
  const { recoveryCodes } = await confirmTotpEnrollment(user.id, confirmationCode, meta);
  return { user, secret, confirmationCode, recoveryCodes };
}

describe("two-factor authentication", () => {
  it("stays pending until the user confirms a right code, then creates ten distinct recovery codes", async () => {
    const user = await signUp("enroll@example.com");
    const enrollment = await beginTotpEnrollment(user.id);

    // The URI is what an authenticator app expects; the QR code is an SVG made on the server.
    const uri = new URL(enrollment.uri);
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Vaultflow:enroll@example.com");
    expect(uri.searchParams.get("issuer")).toBe("Vaultflow");
    const secret = uri.searchParams.get("secret")!;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(enrollment.secret).toBe(secret);
    expect(enrollment.qrCodeDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(enrollment.qrCodeDataUrl.split(",")[1]!, "base64").toString("utf8")).toMatch(/^<svg /);

    // Stored sealed and bound to this user; not on yet.
    const pending = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(pending.totpEnabledAt).toBeNull();
    expect(pending.totpSecretSealed).toMatch(/^v1\./);
    const keys = getAppSecrets().encryptionKeys;
    expect(open(pending.totpSecretSealed!, { purpose: "totp-secret", recordId: user.id }, keys)).toBe(secret);
    expect(() => open(pending.totpSecretSealed!, { purpose: "totp-secret", recordId: crypto.randomUUID() }, keys)).toThrow(SealError);
    expect((await getTwoFactorStatus(user.id)).isEnabled).toBe(false);
    // A pending enrollment changes nothing at sign-in.
    expect((await authenticateWithPassword("enroll@example.com", PASSWORD, meta)).id).toBe(user.id);

    const wrong = await errorOf(confirmTotpEnrollment(user.id, await wrongTotpCode(secret), meta));
    expect(wrong).toBeInstanceOf(AppError);
    expect((wrong as AppError).code).toBe("BAD_INPUT");
    expect((wrong as AppError).fieldErrors?.code).toHaveLength(1);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).toBeNull();
    expect(await getDb().recoveryCode.count({ where: { userId: user.id } })).toBe(0);

    const { recoveryCodes } = await confirmTotpEnrollment(user.id, await totpCode(secret), meta);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(RECOVERY_CODE);
    const rows = await getDb().recoveryCode.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(10);
    expect(new Set(rows.map((r) => r.codeHash)).size).toBe(10);
    for (const row of rows) {
      expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.usedAt).toBeNull();
    }
    expect(await getTwoFactorStatus(user.id)).toMatchObject({ isEnabled: true, recoveryCodesLeft: 10 });
    expect(await getDb().auditEvent.count({ where: { userId: user.id, action: "auth.two_factor_enabled" } })).toBe(1);

    // Once on, neither a new enrollment nor a second confirmation can replace the secret.
    expect(((await errorOf(beginTotpEnrollment(user.id))) as AppError).code).toBe("CONFLICT");
    expect(((await errorOf(confirmTotpEnrollment(user.id, await totpCode(secret, 1), meta))) as AppError).code).toBe("CONFLICT");
  });

  it("keep neither the TOTP secret nor any recovery code in clear in the database", async () => {
    const { secret, recoveryCodes } = await enable("dump@example.com");
    const client = new pg.Client({ connectionString: database.current().connectionString });
    await client.connect();
    let dump = "";
    try {
      const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      for (const { table_name } of tables.rows) {
        dump += JSON.stringify((await client.query(`SELECT * FROM "${table_name}"`)).rows);
      }
    } finally {
      await client.end();
    }
    const lower = dump.toLowerCase();
    expect(lower).toContain("dump@example.com");
    const secretBytes = base32Decode(secret);
    for (const form of [secret, secretBytes.toString("hex"), secretBytes.toString("base64"), secretBytes.toString("base64url")]) {
      expect(lower).not.toContain(form.toLowerCase());
    }
    for (const code of recoveryCodes) {
      expect(lower).not.toContain(code);
      expect(lower).not.toContain(code.replace("-", ""));
    }
  });

  it("ask for the second factor only once the password is right", async () => {
    const { user, secret } = await enable("required@example.com");
    const missing = await errorOf(authenticateWithPassword("required@example.com", PASSWORD, meta));
    expect(missing).toBeInstanceOf(TwoFactorRequiredError);
    expect((missing as Error).message).toBe("TWO_FACTOR_REQUIRED");

    // A wrong password gets the usual answer, with or without a valid code.
    const wrongPassword = await errorOf(authenticateWithPassword("required@example.com", `${PASSWORD}x`, meta));
    expect((wrongPassword as AppError).message).toBe("Email or password is incorrect.");
    const wrongPasswordWithCode = await errorOf(authenticateWithPassword("required@example.com", `${PASSWORD}x`, meta, await totpCode(secret, 1)));
    expect((wrongPasswordWithCode as AppError).message).toBe("Email or password is incorrect.");
    // The code was never looked at, so it is still good.
    expect((await authenticateWithPassword("required@example.com", PASSWORD, meta, await totpCode(secret, 1))).id).toBe(user.id);
  });

  it("accept a TOTP code once: the enrollment code and a used code cannot be replayed", async () => {
    const { user, secret, confirmationCode } = await enable("totp@example.com");
    const replayedEnrollment = await errorOf(authenticateWithPassword("totp@example.com", PASSWORD, meta, confirmationCode));
    expect(replayedEnrollment).toBeInstanceOf(InvalidSecondFactorError);

    // The app's next code (within the ±1 step window) is accepted, once.
    const next = await totpCode(secret, 1);
    const ok = await authenticateWithPassword("totp@example.com", PASSWORD, meta, next);
    expect(ok).toMatchObject({ id: user.id, sessionVersion: 0 });
    const replay = await errorOf(authenticateWithPassword("totp@example.com", PASSWORD, meta, next));
    expect(replay).toBeInstanceOf(InvalidSecondFactorError);
    // Codes two steps out are outside the window.
    const tooFar = await errorOf(authenticateWithPassword("totp@example.com", PASSWORD, meta, await totpCode(secret, 3)));
    expect(tooFar).toBeInstanceOf(InvalidSecondFactorError);

    const events = await getDb().auditEvent.findMany({
      where: { userId: user.id, action: { in: ["auth.sign_in", "auth.sign_in_failed"] } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.action, e.details])).toEqual([
      ["auth.sign_in_failed", { reason: "second_factor" }],
      ["auth.sign_in", { method: "password", secondFactor: "totp" }],
      ["auth.sign_in_failed", { reason: "second_factor" }],
      ["auth.sign_in_failed", { reason: "second_factor" }],
    ]);
  });

  it("accept each recovery code once, however it is typed, even under concurrent use", async () => {
    const { user, recoveryCodes } = await enable("recovery@example.com");
    const [first, second, third] = recoveryCodes as [string, string, string];
    expect((await authenticateWithPassword("recovery@example.com", PASSWORD, meta, first)).id).toBe(user.id);
    const again = await errorOf(authenticateWithPassword("recovery@example.com", PASSWORD, meta, first));
    expect(again).toBeInstanceOf(InvalidSecondFactorError);

    // Upper case, no dash, spaces: the same code.
    const sloppy = ` ${second
      .replace("-", "")
      .toUpperCase()
      .replace(/(.{5})/, "$1 ")} `;
    expect((await authenticateWithPassword("recovery@example.com", PASSWORD, meta, sloppy)).id).toBe(user.id);

    // Two requests racing with one code: exactly one wins.
    const results = await Promise.allSettled([verifySecondFactor(user.id, third), verifySecondFactor(user.id, third)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(InvalidSecondFactorError)]);

    expect(await getDb().recoveryCode.count({ where: { userId: user.id, usedAt: { not: null } } })).toBe(3);
    expect((await getTwoFactorStatus(user.id)).recoveryCodesLeft).toBe(7);
    const signIn = await getDb().auditEvent.findFirstOrThrow({
      where: { userId: user.id, action: "auth.sign_in" },
      orderBy: { id: "asc" },
    });
    expect(signIn.details).toEqual({ method: "password", secondFactor: "recovery_code" });
  });

  it("replace recovery codes only with a valid code; the old ones stop working", async () => {
    const { user, recoveryCodes, secret } = await enable("regenerate@example.com");
    expect(await errorOf(regenerateRecoveryCodes(user.id, "aaaaa-aaaaa"))).toBeInstanceOf(InvalidSecondFactorError);
    const { recoveryCodes: fresh } = await regenerateRecoveryCodes(user.id, await totpCode(secret, 1));
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => recoveryCodes.includes(code))).toEqual([]);
    expect(await errorOf(verifySecondFactor(user.id, recoveryCodes[1]!))).toBeInstanceOf(InvalidSecondFactorError);
    expect(await verifySecondFactor(user.id, fresh[0]!)).toBe("recovery_code");
    expect(await getDb().recoveryCode.count({ where: { userId: user.id } })).toBe(10);
  });

  it("turn off only with a valid code, deleting the secret and codes and ending every session", async () => {
    const { user, secret, recoveryCodes } = await enable("disable@example.com");
    const wrong = await errorOf(disableTotp(user.id, await wrongTotpCode(secret), meta));
    expect(wrong).toBeInstanceOf(InvalidSecondFactorError);
    expect((wrong as AppError).fieldErrors?.code).toHaveLength(1);
    expect((await getTwoFactorStatus(user.id)).isEnabled).toBe(true);
    expect(await getSessionUser(user.id, 0)).not.toBeNull();

    const { sessionVersion } = await disableTotp(user.id, recoveryCodes[0]!, meta);
    expect(sessionVersion).toBe(1);
    expect(await getSessionUser(user.id, 0)).toBeNull();
    const row = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect([row.totpSecretSealed, row.totpEnabledAt, row.totpLastStep]).toEqual([null, null, null]);
    expect(await getDb().recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { userId: user.id, action: "auth.two_factor_disabled" } });
    expect(audit.details).toEqual({ secondFactor: "recovery_code" });

    // The password alone signs in again; codes are no longer accepted anywhere.
    expect((await authenticateWithPassword("disable@example.com", PASSWORD, meta)).sessionVersion).toBe(1);
    expect(((await errorOf(disableTotp(user.id, recoveryCodes[1]!, meta))) as AppError).code).toBe("BAD_INPUT");
  });

  it("refuse further codes, even a right one, after ten attempts in 15 minutes", async () => {
    // The confirmation during enable() was attempt 1 of 10.
    const { user, secret } = await enable("limited@example.com");
    const lastStep = async () => (await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).totpLastStep;
    const stepAfterEnrollment = await lastStep();
    expect(stepAfterEnrollment).toEqual(expect.any(Number));
    const bad = await wrongTotpCode(secret);
    for (let attempt = 2; attempt <= 10; attempt++) {
      const error = await errorOf(authenticateWithPassword("limited@example.com", PASSWORD, meta, bad));
      expect(error).toBeInstanceOf(InvalidSecondFactorError);
    }
    const limited = await errorOf(authenticateWithPassword("limited@example.com", PASSWORD, meta, await totpCode(secret, 1)));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as AppError).message).toMatch(/^Too many attempts\. Try again in \d+ (seconds|minutes)\.$/);
    // Per account, not per address: another IP is refused too.
    const elsewhere = await errorOf(authenticateWithPassword("limited@example.com", PASSWORD, { ...meta, ip: "203.0.113.50" }, await totpCode(secret, 1)));
    expect(elsewhere).toBeInstanceOf(RateLimitedError);
    // The refused right code was never checked, so it was not used up.
    expect(await lastStep()).toBe(stepAfterEnrollment);
    const lockouts = await getDb().auditEvent.findMany({ where: { userId: user.id, action: "auth.lockout" } });
    expect(lockouts.map((e) => e.details)).toEqual([{ reason: "second_factor" }, { reason: "second_factor" }]);
  });
});

/** RFC 4648 base32 to bytes (the forms a leaked secret could take). */
function base32Decode(text: string): Buffer {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const char of text) bits += alphabet.indexOf(char).toString(2).padStart(5, "0");
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}
