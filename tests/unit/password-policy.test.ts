import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "@/lib/zod";
import { checkPassword, normalizePassword, refinePassword, strengthLabel, ZNewPassword } from "@/lib/auth/password-policy";
import { seededRandom } from "./support/seeded-random";

const alice = { email: "alice@example.com", name: "Alice Johnson" };
const TOO_EASY = "This password is too easy to guess: ";

function pick(symbols: readonly string[], count: number, seed: number): string {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => random.pick(symbols)).join("");
}

const PRINTABLE = Array.from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#%&*+-=?@^_~");
// Twenty single-code-point emoji (no variation selectors): each is two UTF-16 units.
const EMOJI = Array.from("😀😂🥰😎🤖👻🎃🐶🐱🦊🐼🐸🐙🦄🍕🍔🌮🍩🚀🌈");

describe("password policy", () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(["password1234", "qwertyuiop12"])("refuses the common password %s as too easy to guess", (password) => {
    const result = checkPassword(password, alice);
    expect(result.ok).toBe(false);
    expect(result.score).toBeLessThan(3);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(new RegExp(`^${TOO_EASY}\\S`));
    // The meter gets zxcvbn's own feedback, and the problem quotes its warning.
    expect(result.warning).toBeTruthy();
    expect(result.problems[0]).toBe(`${TOO_EASY}${result.warning}`);
    expect(result.suggestions.length).toBeGreaterThan(0);
  });

  it("draws the line at score 3: l33t-dressed common words at score 2 are refused", () => {
    const dressed = checkPassword("P@$$w0rd1234!", alice);
    expect(dressed.score).toBe(2);
    expect(dressed.ok).toBe(false);
    expect(dressed.problems[0]).toMatch(new RegExp(`^${TOO_EASY}`));

    // zxcvbn has no warning for this one; the problem still says what to do.
    const noWarning = checkPassword("Dr4g0n$layer1", alice);
    expect(noWarning.score).toBe(2);
    expect(noWarning.warning).toBeUndefined();
    expect(noWarning.problems).toEqual(["This password is too easy to guess. Try a longer phrase of unrelated words."]);
  });

  it("refuses 11 strong-looking characters for length alone, saying how many there are", () => {
    const result = checkPassword("Xk9#mQ2$vL7", alice);
    expect(result.ok).toBe(false);
    expect(result.score).toBeGreaterThanOrEqual(3);
    expect(result.problems).toEqual(["Use at least 12 characters (you have 11)."]);
  });

  it("refuses 257 code points without running zxcvbn", () => {
    const check = vi.spyOn(ZxcvbnFactory.prototype, "check");
    const result = checkPassword(pick(PRINTABLE, 257, 1), alice);
    expect(result).toEqual({ ok: false, score: 0, problems: ["Use at most 256 characters."], suggestions: [] });
    expect(check).not.toHaveBeenCalled();
  });

  it("accepts 256 random code points, measuring only a bounded prefix", () => {
    const check = vi.spyOn(ZxcvbnFactory.prototype, "check");
    const password = pick(PRINTABLE, 256, 2);
    const result = checkPassword(password, alice);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(check).toHaveBeenCalledTimes(1);
    const measured = check.mock.calls[0]![0];
    expect(password.startsWith(measured)).toBe(true);
    expect(Array.from(measured).length).toBeLessThanOrEqual(100);
  });

  it("counts code points, not UTF-16 units", () => {
    const sixtyFour = pick(EMOJI, 64, 3);
    expect(sixtyFour).toHaveLength(128);
    expect(checkPassword(sixtyFour, alice)).toMatchObject({ ok: true, problems: [] });

    // 12 UTF-16 units, but only 6 characters to the person typing them.
    const six = pick(EMOJI, 6, 4);
    expect(six).toHaveLength(12);
    expect(checkPassword(six, alice).problems).toContain("Use at least 12 characters (you have 6).");
  });

  it("refuses the email's local part, a word of the name and the product name, in any case", () => {
    const strongTail = " tulip rocket granite";
    expect(checkPassword(`ALICE${strongTail}`, { email: "alice@example.com" }).problems).toEqual(["Don't include your email name “alice”."]);
    expect(checkPassword(`jOhNsOn${strongTail}`, { email: "a@b.example", name: "Alice Johnson" }).problems).toEqual(["Don't include your name “Johnson”."]);
    expect(checkPassword(`VaultFlow${strongTail}`, alice).problems).toEqual(["Don't include “vaultflow”."]);
    expect(checkPassword(`my vAULTfLOW${strongTail}`, {}).problems).toEqual(["Don't include “vaultflow”."]);
  });

  it("ignores personal words shorter than 3 characters", () => {
    const result = checkPassword("al li tulip rocket granite", { email: "al@example.com", name: "Li Wu" });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("normalizes with NFKC before measuring and matching", () => {
    expect(normalizePassword("ｐａｓｓｗｏｒｄ")).toBe("password");
    expect(normalizePassword("ﬃ")).toBe("ffi");
    // Four ligatures are 4 code points typed but 12 once normalized: long enough.
    expect(checkPassword("ﬃ".repeat(4), alice).problems.some((p) => p.startsWith("Use at least"))).toBe(false);

    const fullWidthCommon = checkPassword("ｐａｓｓｗｏｒｄ１２３４", alice);
    expect(fullWidthCommon.ok).toBe(false);
    expect(fullWidthCommon.problems[0]).toMatch(new RegExp(`^${TOO_EASY}`));
    expect(checkPassword("ＶＡＵＬＴＦＬＯＷ tulip rocket granite", alice).problems).toEqual(["Don't include “vaultflow”."]);
  });

  it("accepts a passphrase of unrelated words", () => {
    const result = checkPassword("correct horse battery staple violet", alice);
    expect(result.ok).toBe(true);
    expect(result.score).toBeGreaterThanOrEqual(3);
    expect(result.problems).toEqual([]);
  });

  it("returns exactly the documented fields", () => {
    const weak = checkPassword("password", { name: null });
    expect(Object.keys(weak).sort()).toEqual(["ok", "problems", "score", "suggestions", "warning"]);
    expect([0, 1, 2, 3, 4]).toContain(weak.score);
    expect(typeof weak.warning).toBe("string");
    expect(weak.suggestions.every((s) => typeof s === "string")).toBe(true);
    // No warning key at all when zxcvbn has nothing to warn about.
    expect(Object.keys(checkPassword("correct horse battery staple violet", {})).sort()).toEqual(["ok", "problems", "score", "suggestions"]);
  });

  it("labels each score for the meter", () => {
    expect([0, 1, 2, 3, 4].map((score) => strengthLabel(score as 0 | 1 | 2 | 3 | 4))).toEqual(["Very weak", "Weak", "Fair", "Strong", "Very strong"]);
  });
});

describe("password schema helpers", () => {
  const ZSignUp = z
    .strictObject({ email: z.email(), name: z.string(), password: ZNewPassword })
    .superRefine(refinePassword((data) => ({ email: data.email, name: data.name })));

  it("put each problem on the password path", () => {
    const parsed = ZSignUp.safeParse({ email: "alice@example.com", name: "Alice", password: "alice123" });
    expect(parsed.success).toBe(false);
    const issues = parsed.error!.issues;
    expect(issues.every((issue) => issue.path.join(".") === "password")).toBe(true);
    expect(issues.map((issue) => issue.message)).toEqual(
      expect.arrayContaining(["Use at least 12 characters (you have 8).", "Don't include your email name “alice”."]),
    );
  });

  it("pass a good password, with a fixed context for password change", () => {
    const ZChange = z.strictObject({ password: ZNewPassword }).superRefine(refinePassword(alice));
    const signUp = { email: "alice@example.com", name: "Alice", password: "tulip rocket granite" };
    expect(ZSignUp.safeParse(signUp).success).toBe(true);
    expect(ZChange.safeParse({ password: "tulip rocket granite" }).success).toBe(true);
    expect(ZChange.safeParse({ password: "Alice tulip rocket" }).error?.issues[0]?.message).toBe("Don't include your email name “alice”.");
  });

  it("cap the transport size", () => {
    expect(ZNewPassword.safeParse("x".repeat(1024)).success).toBe(true);
    expect(ZNewPassword.safeParse("x".repeat(1025)).success).toBe(false);
  });
});
