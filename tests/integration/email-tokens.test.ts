import { createHash } from "node:crypto";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { ZSignUpInput } from "@/lib/auth/password-schemas";
import { appUrl } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { authenticateWithPassword } from "@/lib/server/accounts/authenticate-with-password";
import { createPasswordResetLink } from "@/lib/server/accounts/create-password-reset-link";
import { createUserWithPassword } from "@/lib/server/accounts/create-user-with-password";
import { getPasswordResetTarget } from "@/lib/server/accounts/get-password-reset-target";
import { getSessionUser } from "@/lib/server/accounts/get-session-user";
import { requestEmailVerification } from "@/lib/server/accounts/request-email-verification";
import { MAIL_OFF_RESET, PASSWORD_RESET_REQUESTED, requestPasswordReset } from "@/lib/server/accounts/request-password-reset";
import { RESET_LINK_INVALID, resetPassword } from "@/lib/server/accounts/reset-password";
import { VERIFY_LINK_INVALID, verifyEmail } from "@/lib/server/accounts/verify-email";
import { getDb } from "@/lib/server/db";
import { RateLimitedError } from "@/lib/server/rate-limit/limiters";
import { setupMailSink } from "../support/mail-sink";
import { setupTestDatabase } from "../support/setup-test-database";
import { findLink, type TReceivedMail } from "../support/smtp-sink";

const database = setupTestDatabase();
const PASSWORD = "orbit lantern cactus meadow 42";
const NEW_PASSWORD = "granite ferry pulse orchid 9";
let ipCounter = 0;
// A fresh client address per call site keeps the per-IP reset limit out of the way.
const freshMeta = () => ({ ip: `198.51.100.${++ipCounter}`, userAgent: "vitest" });

const smtp = setupMailSink();

async function signUp(email: string, name = "Ada Tester") {
  return createUserWithPassword(ZSignUpInput.parse({ name, email, password: PASSWORD }), freshMeta());
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

function tokenOf(mail: TReceivedMail, pathname: "/verify-email" | "/reset-password"): string {
  const token = findLink(mail.text, pathname).searchParams.get("token");
  if (!token) throw new Error("link without a token");
  return token;
}

const mailTo = (email: string, subject: RegExp) => (m: TReceivedMail) => m.recipients.includes(email) && subject.test(m.subject);

async function verificationToken(userId: string, email: string): Promise<string> {
  const before = smtp.sink.messages.length;
  await requestEmailVerification(userId, { mailer: smtp.mailer });
  const mail = await smtp.sink.waitForMail((m) => smtp.sink.messages.indexOf(m) >= before && mailTo(email, /Confirm your email/)(m));
  return tokenOf(mail, "/verify-email");
}

async function resetToken(email: string): Promise<string> {
  const before = smtp.sink.messages.length;
  await requestPasswordReset(email, freshMeta(), { mailer: smtp.mailer });
  const mail = await smtp.sink.waitForMail((m) => smtp.sink.messages.indexOf(m) >= before && mailTo(email, /Reset your/)(m));
  return tokenOf(mail, "/reset-password");
}

async function dumpDatabase(): Promise<string> {
  const client = new pg.Client({ connectionString: database.current().connectionString });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    let dump = "";
    for (const { table_name } of tables.rows) dump += JSON.stringify((await client.query(`SELECT * FROM "${table_name}"`)).rows);
    return dump;
  } finally {
    await client.end();
  }
}

describe("email verification", () => {
  it("mails a working link over SMTP that verifies the address once", async () => {
    const user = await signUp("verify@example.com");
    await requestEmailVerification(user.id, { mailer: smtp.mailer });
    const mail = await smtp.sink.waitForMail(mailTo("verify@example.com", /Confirm your email/));
    expect(mail.to).toBe("verify@example.com");
    expect(mail.from).toContain("no-reply@vaultflow.test");
    const link = findLink(mail.text, "/verify-email");
    expect(link.origin).toBe(appUrl());
    expect(link.searchParams.get("token")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mail.html).toContain(link.searchParams.get("token"));
    expect(mail.text).toContain("valid for 24 hours");

    expect(await verifyEmail(link.searchParams.get("token")!, freshMeta())).toEqual({ verified: true });
    const row = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.emailVerified).toBeInstanceOf(Date);
    expect(await getDb().auditEvent.count({ where: { userId: user.id, action: "auth.email_verified" } })).toBe(1);

    const again = await errorOf(verifyEmail(link.searchParams.get("token")!, freshMeta()));
    expect([again.code, again.message]).toEqual(["NOT_FOUND", VERIFY_LINK_INVALID]);
    // A verified user is not mailed again.
    expect(await requestEmailVerification(user.id, { mailer: smtp.mailer })).toEqual({ status: "already_verified" });
  });

  it("stores only the SHA-256 of a token, never the token", async () => {
    const user = await signUp("hash@example.com");
    const token = await verificationToken(user.id, "hash@example.com");
    const rows = await getDb().userToken.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBeGreaterThan(24 * 3600_000 - 60_000);
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBeLessThanOrEqual(24 * 3600_000 + 60_000);

    const dump = await dumpDatabase();
    expect(dump).toContain(rows[0]!.tokenHash);
    const raw = Buffer.from(token, "base64url");
    for (const form of [token, raw.toString("base64"), raw.toString("hex"), encodeURIComponent(token)]) {
      expect(dump).not.toContain(form);
    }
  });

  it("lets only the newest link work after a resend, and refuses an expired one", async () => {
    const user = await signUp("resend@example.com");
    const first = await verificationToken(user.id, "resend@example.com");
    const second = await verificationToken(user.id, "resend@example.com");
    expect(second).not.toBe(first);
    expect((await errorOf(verifyEmail(first, freshMeta()))).code).toBe("NOT_FOUND");

    await getDb().userToken.updateMany({
      where: { userId: user.id, purpose: "VERIFY_EMAIL" },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await errorOf(verifyEmail(second, freshMeta()))).code).toBe("NOT_FOUND");
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toBeNull();
  });

  it("uses a token once when two confirmations race", async () => {
    const user = await signUp("race@example.com");
    const token = await verificationToken(user.id, "race@example.com");
    const results = await Promise.allSettled([verifyEmail(token, freshMeta()), verifyEmail(token, freshMeta())]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await getDb().auditEvent.count({ where: { userId: user.id, action: "auth.email_verified" } })).toBe(1);
  });

  it("limits resends per user", async () => {
    const user = await signUp("limit@example.com");
    for (let i = 0; i < 5; i++) await requestEmailVerification(user.id, { mailer: smtp.mailer });
    const sixth = await errorOf(requestEmailVerification(user.id, { mailer: smtp.mailer }));
    expect(sixth).toBeInstanceOf(RateLimitedError);
  });

  it("refuses to send without a mail server", async () => {
    const user = await signUp("nomail@example.com");
    const error = await errorOf(requestEmailVerification(user.id, { mailer: null }));
    expect(error.message).toBe("Email verification is off because this installation has no mail server.");
  });
});

describe("password reset", () => {
  it("answers the same for a known and an unknown address, and mails only the known one", async () => {
    await signUp("known@example.com");
    const tokensBefore = await getDb().userToken.count();
    const unknown = await requestPasswordReset("nobody-here@example.com", freshMeta(), { mailer: smtp.mailer });
    const known = await requestPasswordReset("Known@Example.com", freshMeta(), { mailer: smtp.mailer });
    expect(known).toEqual(unknown);
    expect(known).toEqual({ message: PASSWORD_RESET_REQUESTED });
    expect(PASSWORD_RESET_REQUESTED).toBe("If an account exists for that address, we sent a link. It is valid for 1 hour.");

    const mail = await smtp.sink.waitForMail(mailTo("known@example.com", /Reset your/));
    expect(mail.text).toContain("valid for 1 hour");
    expect(tokenOf(mail, "/reset-password")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.sink.messages.some((m) => m.recipients.includes("nobody-here@example.com"))).toBe(false);
    expect(await getDb().userToken.count()).toBe(tokensBefore + 1);

    const audit = await getDb().auditEvent.findMany({
      where: { action: "auth.password_reset_requested" },
      orderBy: { id: "asc" },
    });
    expect(audit.map((e) => [e.outcome, e.subject, e.userId === null])).toEqual([
      ["failure", "nobody-here@example.com", true],
      ["success", null, false],
    ]);
  });

  it("sets the new password, verifies the email, ends every session, and works once", async () => {
    const user = await signUp("reset@example.com", "Reset Person");
    expect(await getSessionUser(user.id, 0)).toMatchObject({ id: user.id });
    const token = await resetToken("reset@example.com");
    expect(await getPasswordResetTarget(token)).toEqual({ email: "reset@example.com", name: "Reset Person" });

    // The sign-up policy applies, with the account as context; a refusal leaves the link usable.
    const weak = await errorOf(resetPassword({ token, password: "reset person 2024" }, freshMeta()));
    expect(weak.code).toBe("BAD_INPUT");
    expect(weak.fieldErrors?.password?.length).toBeGreaterThan(0);

    const meta = freshMeta();
    expect(await resetPassword({ token, password: NEW_PASSWORD }, meta)).toEqual({ email: "reset@example.com" });
    const row = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.sessionVersion).toBe(1);
    expect(row.emailVerified).toBeInstanceOf(Date);
    expect(await getSessionUser(user.id, 0)).toBeNull();
    await expect(authenticateWithPassword("reset@example.com", PASSWORD, meta)).rejects.toThrow(AppError);
    expect((await authenticateWithPassword("reset@example.com", NEW_PASSWORD, meta)).id).toBe(user.id);
    expect(await getDb().auditEvent.count({ where: { userId: user.id, action: "auth.password_reset" } })).toBe(1);

    const reused = await errorOf(resetPassword({ token, password: "another fresh phrase 77 kite" }, freshMeta()));
    expect([reused.code, reused.message]).toEqual(["NOT_FOUND", RESET_LINK_INVALID]);
    expect(await getPasswordResetTarget(token)).toBeNull();
  });

  it("lets one of two racing resets through", async () => {
    await signUp("race-reset@example.com");
    const token = await resetToken("race-reset@example.com");
    const results = await Promise.allSettled([
      resetPassword({ token, password: NEW_PASSWORD }, freshMeta()),
      resetPassword({ token, password: "saffron glacier piano 81 kite" }, freshMeta()),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const row = await getDb().user.findUniqueOrThrow({ where: { email: "race-reset@example.com" } });
    expect(row.sessionVersion).toBe(1);
  });

  it("refuses an expired link, and an older link once a newer one was sent", async () => {
    await signUp("expire@example.com");
    const older = await resetToken("expire@example.com");
    const newer = await resetToken("expire@example.com");
    expect((await errorOf(resetPassword({ token: older, password: NEW_PASSWORD }, freshMeta()))).code).toBe("NOT_FOUND");

    const row = await getDb().userToken.findUniqueOrThrow({
      where: { tokenHash: createHash("sha256").update(newer).digest("hex") },
    });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(3600_000 + 60_000);
    await getDb().userToken.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await getPasswordResetTarget(newer)).toBeNull();
    expect((await errorOf(resetPassword({ token: newer, password: NEW_PASSWORD }, freshMeta()))).code).toBe("NOT_FOUND");
    // A verification token is no reset token.
    const user = await getDb().user.findUniqueOrThrow({ where: { email: "expire@example.com" } });
    const verify = await verificationToken(user.id, "expire@example.com");
    expect((await errorOf(resetPassword({ token: verify, password: NEW_PASSWORD }, freshMeta()))).code).toBe("NOT_FOUND");
  });

  it("limits requests per address and client", async () => {
    await signUp("flood@example.com");
    const meta = freshMeta();
    for (let i = 0; i < 5; i++) await requestPasswordReset("flood@example.com", meta, { mailer: smtp.mailer });
    expect(await errorOf(requestPasswordReset("flood@example.com", meta, { mailer: smtp.mailer }))).toBeInstanceOf(RateLimitedError);
    // The same budget applies to an address without an account (no enumeration by limits).
    for (let i = 0; i < 5; i++) await requestPasswordReset("flood-none@example.com", meta, { mailer: smtp.mailer });
    expect(await errorOf(requestPasswordReset("flood-none@example.com", meta, { mailer: smtp.mailer }))).toBeInstanceOf(RateLimitedError);
  });

  it("says to ask the administrator without a mail server", async () => {
    const error = await errorOf(requestPasswordReset("known@example.com", freshMeta(), { mailer: null }));
    expect(error.message).toBe(MAIL_OFF_RESET);
  });

  it("gives the operator a one-time link (the reset command's core) that replaces an emailed one", async () => {
    const user = await signUp("operator@example.com");
    const emailed = await resetToken("operator@example.com");
    const created = await createPasswordResetLink("Operator@example.com");
    expect(created).not.toBeNull();
    const link = new URL(created!.link);
    expect(`${link.origin}${link.pathname}`).toBe(`${appUrl()}/reset-password`);
    const token = link.searchParams.get("token")!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created!.expiresAt.getTime() - Date.now()).toBeGreaterThan(3500_000);
    expect(created!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);

    expect((await errorOf(resetPassword({ token: emailed, password: NEW_PASSWORD }, freshMeta()))).code).toBe("NOT_FOUND");
    await resetPassword({ token, password: NEW_PASSWORD }, freshMeta());
    expect((await authenticateWithPassword("operator@example.com", NEW_PASSWORD, freshMeta())).id).toBe(user.id);
    expect(await createPasswordResetLink("no-such-user@example.com")).toBeNull();
    const audit = await getDb().auditEvent.findMany({ where: { userId: user.id, action: "auth.password_reset_requested" } });
    expect(audit.map((e) => e.details)).toEqual([{ via: "email" }, { via: "operator" }]);
  });
});
