// The keyed pre-hash is what bcrypt sees instead of the password: it must be stable,
// fit bcrypt's 72-byte input, depend on every character and on the pepper, and treat
// canonically equivalent spellings (NFKC) as the same password.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { preHashPassword } from "@/lib/auth/password-hasher";

const pepper = Buffer.alloc(32, 7).toString("base64");
const otherPepper = Buffer.alloc(32, 8).toString("base64");

describe("preHashPassword", () => {
  it("is deterministic and equals base64(HMAC-SHA-384(pepper, password))", () => {
    const first = preHashPassword("correct horse battery staple", pepper);
    expect(preHashPassword("correct horse battery staple", pepper)).toBe(first);
    const expected = createHmac("sha384", Buffer.alloc(32, 7)).update("correct horse battery staple", "utf8").digest("base64");
    expect(first).toBe(expected);
  });

  it("is base64 of 48 bytes: 64 ASCII characters, under bcrypt's 72-byte limit", () => {
    for (const password of ["a", "x".repeat(1000), "🔐".repeat(64), "pässwörd"]) {
      const value = preHashPassword(password, pepper);
      expect(value).toMatch(/^[A-Za-z0-9+/]{64}$/);
      expect(Buffer.from(value, "base64")).toHaveLength(48);
      expect(Buffer.byteLength(value, "utf8")).toBeLessThan(72);
    }
  });

  it("changes with the pepper", () => {
    expect(preHashPassword("same password", pepper)).not.toBe(preHashPassword("same password", otherPepper));
  });

  it("depends on characters past bcrypt's 72 bytes", () => {
    const base = "a".repeat(100);
    const late = `${"a".repeat(89)}b${"a".repeat(10)}`;
    expect(preHashPassword(base, pepper)).not.toBe(preHashPassword(late, pepper));
  });

  it("normalizes with NFKC: the ligature ﬁ and the letters fi give the same pre-hash", () => {
    expect("\uFB01").not.toBe("fi");
    expect(preHashPassword("\uFB01nance", pepper)).toBe(preHashPassword("finance", pepper));
    // Composed and decomposed é, and full-width letters, are the same password too.
    expect(preHashPassword("caf\u00e9", pepper)).toBe(preHashPassword("cafe\u0301", pepper));
    expect(preHashPassword("\uFF21\uFF22\uFF23", pepper)).toBe(preHashPassword("ABC", pepper));
    // Normalization does not fold case.
    expect(preHashPassword("Finance", pepper)).not.toBe(preHashPassword("finance", pepper));
  });

  it("refuses a password with an unpaired surrogate instead of hashing U+FFFD", () => {
    expect(() => preHashPassword("ab\uD800", pepper)).toThrow(/well-formed/);
    expect(() => preHashPassword("ab\uDC00cd", pepper)).toThrow(/well-formed/);
    // A proper pair is fine.
    expect(preHashPassword("ab\uD83D\uDD10", pepper)).toBe(preHashPassword("ab🔐", pepper));
  });

  it("refuses a missing, malformed or short pepper without echoing it", () => {
    for (const bad of ["", "not base64!", Buffer.alloc(16, 1).toString("base64")]) {
      expect(() => preHashPassword("password", bad)).toThrow(/pepper must be base64 of at least 32 bytes/);
    }
    try {
      preHashPassword("password", "secret-ish value!");
    } catch (error) {
      expect((error as Error).message).not.toContain("secret-ish");
    }
    expect.assertions(4);
  });
});
