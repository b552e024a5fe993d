// The key text's layout, which secret scanners rely on: `vf_`, 43 base62 characters of
// secret, 6 of CRC-32 over them. Pure, so checked against zlib's CRC-32 and for every
// single-character typo.
import { randomBytes } from "node:crypto";
import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { API_KEY_LENGTH, apiKeyDisplayPrefix, crc32, formatApiKey, isWellFormedApiKey } from "@/lib/api-keys/key-format";
import { ZCreateApiKeyInput } from "@/lib/api-keys/schemas";
import { isServiceUserEmail, serviceUserEmail } from "@/lib/api-keys/service-user";
import { serviceRoleFor } from "@/lib/api-keys/scopes";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

describe("API key format", () => {
  it("is vf_ and 49 base62 characters, distinct each time, with a CRC-32 that zlib agrees with", () => {
    const keys = Array.from({ length: 200 }, () => formatApiKey(randomBytes(32)));
    expect(new Set(keys).size).toBe(200);
    for (const key of keys) {
      expect(key).toMatch(/^vf_[0-9A-Za-z]{49}$/);
      expect(key).toHaveLength(API_KEY_LENGTH);
      expect(isWellFormedApiKey(key)).toBe(true);
      const secret = key.slice(3, 46);
      let value = zlibCrc32(secret);
      let checksum = "";
      for (let i = 0; i < 6; i += 1) {
        checksum = BASE62[value % 62] + checksum;
        value = Math.floor(value / 62);
      }
      expect(key.slice(46)).toBe(checksum);
    }
    expect(crc32("123456789")).toBe(0xcbf43926);
  });

  it("encodes all 256 bits: the extreme byte strings give the extreme secrets", () => {
    expect(formatApiKey(new Uint8Array(32)).slice(3, 46)).toBe("0".repeat(43));
    expect(formatApiKey(new Uint8Array(32).fill(255)).slice(3, 46)).not.toBe(formatApiKey(new Uint8Array(32).fill(254)).slice(3, 46));
    expect(() => formatApiKey(new Uint8Array(16))).toThrow();
  });

  it("rejects every single-character change, a wrong prefix, and a wrong length", () => {
    const key = formatApiKey(randomBytes(32));
    for (let i = 3; i < key.length; i += 1) {
      const replacement = key[i] === "A" ? "B" : "A";
      expect(isWellFormedApiKey(key.slice(0, i) + replacement + key.slice(i + 1))).toBe(false);
    }
    expect(isWellFormedApiKey(`vg_${key.slice(3)}`)).toBe(false);
    expect(isWellFormedApiKey(`VF_${key.slice(3)}`)).toBe(false);
    expect(isWellFormedApiKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedApiKey(`${key}0`)).toBe(false);
    expect(isWellFormedApiKey(` ${key}`)).toBe(false);
    expect(apiKeyDisplayPrefix(key)).toBe(key.slice(0, 9));
  });
});

describe("API key inputs and service users", () => {
  it("sorts scopes canonically and refuses repeats, unknowns, and an expiry both ways", () => {
    expect(ZCreateApiKeyInput.parse({ name: " CI ", scopes: ["runs:read", "flows:read"] })).toEqual({ name: "CI", scopes: ["flows:read", "runs:read"] });
    expect(ZCreateApiKeyInput.safeParse({ name: "CI", scopes: ["runs:read", "runs:read"] }).success).toBe(false);
    expect(ZCreateApiKeyInput.safeParse({ name: "CI", scopes: ["admin"] }).success).toBe(false);
    expect(ZCreateApiKeyInput.safeParse({ name: "CI\u0000", scopes: ["flows:read"] }).success).toBe(false);
    expect(ZCreateApiKeyInput.safeParse({ name: "CI", scopes: ["flows:read"], expiresInDays: 30, expiresAt: new Date(Date.now() + 86_400_000) }).success).toBe(
      false,
    );
  });

  it("gives editors' rights to write scopes only, and recognises the reserved domain in any case", () => {
    expect(serviceRoleFor(["flows:read", "runs:read"])).toBe("VIEWER");
    expect(serviceRoleFor(["runs:read", "runs:write"])).toBe("EDITOR");
    expect(serviceRoleFor(["flows:run"])).toBe("EDITOR");
    expect(isServiceUserEmail(serviceUserEmail("0b7f2d0e-3c1a-4f6b-8f0e-6a2b1c3d4e5f"))).toBe(true);
    expect(isServiceUserEmail("Someone@KEYS.Vaultflow.Invalid")).toBe(true);
    expect(isServiceUserEmail("a@x.keys.vaultflow.invalid")).toBe(true);
    expect(isServiceUserEmail("a@keys.vaultflow.invalid.example.com")).toBe(false);
    expect(isServiceUserEmail("a@vaultflow.invalid")).toBe(false);
  });
});
