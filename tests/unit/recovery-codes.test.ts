import { randomBytes } from "node:crypto";
import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode } from "@/lib/auth/recovery-codes";
import { createTotpSecret, matchTotpStep } from "@/lib/auth/totp";

const pepper = randomBytes(32).toString("base64");

describe("recovery codes", () => {
  it("are ten distinct xxxxx-xxxxx codes over 32 unambiguous characters (50 bits each)", () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const seen = new Set<string>();
    for (const code of [...codes, ...generateRecoveryCodes(200)]) {
      expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
      for (const char of code.replace("-", "")) seen.add(char);
    }
    for (const ambiguous of ["i", "l", "o", "u"]) expect(seen.has(ambiguous)).toBe(false);
    // 2,000 random characters cover all 32 symbols: the alphabet really is 32 wide.
    expect(seen.size).toBe(32);
  });

  it("match however they are typed, and only when well formed", () => {
    expect(normalizeRecoveryCode(" 7K2MQ x9D4H ")).toBe("7k2mqx9d4h");
    expect(normalizeRecoveryCode("7k2mq-x9d4h")).toBe("7k2mqx9d4h");
    // Look-alikes fold onto the digits they resemble.
    expect(normalizeRecoveryCode("oO1il-00000")).toBe("0011100000");
    for (const bad of ["", "7k2mq-x9d4", "7k2mq-x9d4hh", "7k2mq-x9d4u", "123456"]) {
      expect(normalizeRecoveryCode(bad)).toBeNull();
    }
  });

  it("are stored as a keyed hash that depends on the pepper", () => {
    const hash = hashRecoveryCode("7k2mqx9d4h", pepper);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode("7k2mqx9d4h", pepper)).toBe(hash);
    expect(hashRecoveryCode("7k2mqx9d4i", pepper)).not.toBe(hash);
    expect(hashRecoveryCode("7k2mqx9d4h", randomBytes(32).toString("base64"))).not.toBe(hash);
  });
});

describe("TOTP window", () => {
  it("accepts the previous, current and next step only, and reports the step", async () => {
    const secret = createTotpSecret();
    const now = 1_800_000_015;
    const step = Math.floor(now / 30);
    for (const offset of [-1, 0, 1]) {
      const code = await generate({ secret, epoch: now + offset * 30 });
      expect(await matchTotpStep(secret, code, now)).toBe(step + offset);
    }
    for (const offset of [-2, 2]) {
      const code = await generate({ secret, epoch: now + offset * 30 });
      expect(await matchTotpStep(secret, code, now)).toBeNull();
    }
    expect(await matchTotpStep(secret, "12345a", now)).toBeNull();
    expect(await matchTotpStep(secret, "1234567", now)).toBeNull();
  });
});
