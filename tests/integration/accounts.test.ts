import pg from "pg";
import { describe, expect, it } from "vitest";
import { ZSignUpInput } from "@/lib/auth/password-schemas";
import { AppError } from "@/lib/errors";
import { authenticateWithPassword } from "@/lib/server/accounts/authenticate-with-password";
import { changePassword } from "@/lib/server/accounts/change-password";
import { deleteAccount } from "@/lib/server/accounts/delete-account";
import { updateUserName } from "@/lib/server/accounts/update-user-name";
import { createUserWithPassword } from "@/lib/server/accounts/create-user-with-password";
import { endAllSessions } from "@/lib/server/accounts/end-all-sessions";
import { getSessionUser } from "@/lib/server/accounts/get-session-user";
import { getDb } from "@/lib/server/db";
import { RateLimitedError } from "@/lib/server/rate-limit/limiters";
import { setupTestDatabase } from "../support/setup-test-database";

const database = setupTestDatabase();
const meta = { ip: "198.51.100.7", userAgent: "vitest" };
const PASSWORD = "orbit lantern cactus meadow 42";

let signUps = 0;

// Each sign-up comes from its own address: the file creates more accounts than the
// per-address sign-up limit allows in an hour.
async function signUp(email: string, password = PASSWORD, name = "Ada Tester") {
  return createUserWithPassword(ZSignUpInput.parse({ name, email, password }), {
    ...meta,
    ip: `198.51.100.${++signUps}`,
  });
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("accounts", () => {
  it("store a new user with a bcrypt hash (cost 12) of a pre-hashed password, and audit it", async () => {
    const user = await signUp("Ada@Example.com");
    expect(user.email).toBe("ada@example.com");
    const row = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$2[aby]\$12\$/);
    expect(row.passwordHash).not.toContain(PASSWORD);
    const events = await getDb().auditEvent.findMany({ where: { userId: user.id } });
    expect(events.map((e) => [e.action, e.ip, e.userAgent])).toEqual([["auth.sign_up", "198.51.100.1", "vitest"]]);
    // The DTO never carries the hash.
    expect(Object.keys(user)).not.toContain("passwordHash");
  });

  it("refuse a second account for the same email, whatever its case", async () => {
    await signUp("dup@example.com");
    const error = await errorOf(signUp("DUP@example.com"));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFLICT");
    expect(await getDb().user.count({ where: { email: "dup@example.com" } })).toBe(1);
  });

  it("keep no password in clear anywhere in the database", async () => {
    const secretish = "zebra quantum violin harbor 77";
    await signUp("clear@example.com", secretish);
    const client = new pg.Client({ connectionString: database.current().connectionString });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      let dump = "";
      for (const { table_name } of tables.rows) {
        const rows = await client.query(`SELECT * FROM "${table_name}"`);
        dump += JSON.stringify(rows.rows);
      }
      expect(dump).toContain("clear@example.com");
      for (const form of [secretish, Buffer.from(secretish).toString("base64"), Buffer.from(secretish).toString("hex")]) {
        expect(dump).not.toContain(form);
      }
    } finally {
      await client.end();
    }
  });

  it("sign in with the right password and refuse a wrong one or an unknown email with one message", async () => {
    const user = await signUp("signin@example.com");
    const ok = await authenticateWithPassword("signin@example.com", PASSWORD, meta);
    expect(ok).toMatchObject({ id: user.id, email: "signin@example.com", sessionVersion: 0 });

    const wrong = await errorOf(authenticateWithPassword("signin@example.com", `${PASSWORD}x`, meta));
    const unknown = await errorOf(authenticateWithPassword("nobody@example.com", PASSWORD, meta));
    expect((wrong as AppError).message).toBe("Email or password is incorrect.");
    expect((unknown as AppError).message).toBe((wrong as AppError).message);

    const failures = await getDb().auditEvent.findMany({ where: { action: "auth.sign_in_failed" }, orderBy: { id: "asc" } });
    expect(failures.map((f) => [f.subject, f.userId])).toEqual([
      ["signin@example.com", user.id],
      ["nobody@example.com", null],
    ]);
  });

  it("answer the 11th failed sign-in for one email from one IP with a rate limit, but not another IP", async () => {
    await signUp("victim@example.com");
    for (let i = 0; i < 10; i++) {
      const error = await errorOf(authenticateWithPassword("victim@example.com", "wrong password here", meta));
      expect((error as AppError).code).toBe("INVALID_CREDENTIALS");
    }
    const eleventh = await errorOf(authenticateWithPassword("victim@example.com", PASSWORD, meta));
    expect(eleventh).toBeInstanceOf(RateLimitedError);
    expect((eleventh as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    expect((eleventh as AppError).message).toMatch(/^Too many attempts\. Try again in \d+ (seconds|minutes)\.$/);
    expect(await getDb().auditEvent.count({ where: { action: "auth.lockout", subject: "victim@example.com" } })).toBe(1);

    // The owner, from their own address, is not locked out by someone else's failures.
    const owner = await authenticateWithPassword("victim@example.com", PASSWORD, { ...meta, ip: "203.0.113.9" });
    expect(owner.email).toBe("victim@example.com");
  });

  it("end every session at once: a token's version no longer matches", async () => {
    const user = await signUp("sessions@example.com");
    expect(await getSessionUser(user.id, 0)).toMatchObject({ id: user.id });
    await endAllSessions(user.id, meta);
    expect(await getSessionUser(user.id, 0)).toBeNull();
    expect(await getSessionUser(user.id, 1)).toMatchObject({ id: user.id });
  });

  it("change a password only with the current one, ending old sessions", async () => {
    const user = await signUp("change@example.com");
    const wrong = await errorOf(changePassword(user.id, { currentPassword: "not it at all", password: "granite ferry pulse orchid 9" }, meta));
    expect((wrong as AppError).fieldErrors?.currentPassword).toEqual(["The current password is not correct."]);

    const { sessionVersion } = await changePassword(user.id, { currentPassword: PASSWORD, password: "granite ferry pulse orchid 9" }, meta);
    expect(sessionVersion).toBe(1);
    expect(await getSessionUser(user.id, 0)).toBeNull();
    await expect(authenticateWithPassword("change@example.com", PASSWORD, meta)).rejects.toThrow(AppError);
    expect((await authenticateWithPassword("change@example.com", "granite ferry pulse orchid 9", meta)).id).toBe(user.id);
    expect(await getDb().auditEvent.count({ where: { userId: user.id, action: "auth.password_changed" } })).toBe(1);
  });

  it("rename a user", async () => {
    const user = await signUp("rename@example.com");
    await updateUserName(user.id, "Ada Lovelace");
    expect((await getSessionUser(user.id, 0))?.name).toBe("Ada Lovelace");
  });

  it("delete an account only after re-authentication, keeping the audit trail", async () => {
    const user = await signUp("leaver@example.com");
    const wrongEmail = await errorOf(deleteAccount(user.id, { confirmEmail: "other@example.com", password: PASSWORD }, meta));
    expect((wrongEmail as AppError).fieldErrors?.confirmEmail).toBeDefined();
    const wrongPassword = await errorOf(deleteAccount(user.id, { confirmEmail: "leaver@example.com", password: "nope nope nope" }, meta));
    expect((wrongPassword as AppError).fieldErrors?.password).toEqual(["The password is not correct."]);
    expect(await getDb().user.count({ where: { id: user.id } })).toBe(1);

    await deleteAccount(user.id, { confirmEmail: "leaver@example.com", password: PASSWORD }, meta);
    expect(await getDb().user.count({ where: { id: user.id } })).toBe(0);
    expect(await getSessionUser(user.id, 0)).toBeNull();
    const trail = await getDb().auditEvent.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } });
    expect(trail.map((e) => e.action)).toEqual(["auth.sign_up", "auth.account_deleted"]);
    await expect(authenticateWithPassword("leaver@example.com", PASSWORD, { ...meta, ip: "203.0.113.50" })).rejects.toThrow("Email or password is incorrect.");
  });

  it("refuse to delete the last owner of a project others use, and take solo projects along", async () => {
    const owner = await signUp("sole-owner@example.com");
    const other = await signUp("teammate@example.com");
    const shared = await getDb().project.create({
      data: {
        name: "Shared",
        memberships: {
          create: [
            { userId: owner.id, role: "OWNER" },
            { userId: other.id, role: "EDITOR" },
          ],
        },
      },
    });
    const solo = await getDb().project.create({ data: { name: "Solo", memberships: { create: [{ userId: owner.id, role: "OWNER" }] } } });
    const refused = await errorOf(deleteAccount(owner.id, { confirmEmail: "sole-owner@example.com", password: PASSWORD }, meta));
    expect((refused as AppError).code).toBe("CONFLICT");
    expect((refused as AppError).message).toMatch(/only owner of “Shared”.*Transfer ownership/);
    expect(await getDb().user.count({ where: { id: owner.id } })).toBe(1);

    await getDb().membership.update({
      where: { projectId_userId: { projectId: shared.id, userId: other.id } },
      data: { role: "OWNER" },
    });
    await deleteAccount(owner.id, { confirmEmail: "sole-owner@example.com", password: PASSWORD }, meta);
    expect(await getDb().project.count({ where: { id: solo.id } })).toBe(0);
    expect(await getDb().project.count({ where: { id: shared.id } })).toBe(1);
  });
});
