import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal, SealError, sealedKeyId } from "@/lib/crypto/seal";
import type { EncryptionKey } from "@/lib/env";

const keyA: EncryptionKey = { id: "a", key: randomBytes(32) };
const keyB: EncryptionKey = { id: "b", key: randomBytes(32) };
const context = { purpose: "totp-secret", projectId: "p1", recordId: "r1" };

function flipBit(sealed: string, part: 2 | 3, byteIndex: number): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[part]!, "base64url");
  bytes[byteIndex % bytes.length]! ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("seal / open", () => {
  it("round-trips and names the sealing key", () => {
    const sealed = seal("hunter2-secret", context, [keyA]);
    expect(sealed.startsWith("v1.a.")).toBe(true);
    expect(sealedKeyId(sealed)).toBe("a");
    expect(open(sealed, context, [keyA])).toBe("hunter2-secret");
    expect(sealed).not.toContain("hunter2");
  });

  it("fails with an error and no plaintext when any bit of IV, ciphertext or tag flips", () => {
    const sealed = seal("x".repeat(40), context, [keyA]);
    const bodyLength = Buffer.from(sealed.split(".")[3]!, "base64url").length;
    const tampered = [...Array.from({ length: 12 }, (_, i) => flipBit(sealed, 2, i)), ...Array.from({ length: bodyLength }, (_, i) => flipBit(sealed, 3, i))];
    expect(tampered).toHaveLength(12 + 40 + 16);
    for (const value of tampered) {
      expect(() => open(value, context, [keyA])).toThrow(SealError);
    }
  });

  it("is bound to purpose, project and record", () => {
    const sealed = seal("value", context, [keyA]);
    expect(() => open(sealed, { ...context, projectId: "p2" }, [keyA])).toThrow("failed authentication");
    expect(() => open(sealed, { ...context, recordId: "r2" }, [keyA])).toThrow("failed authentication");
    expect(() => open(sealed, { ...context, purpose: "run-log" }, [keyA])).toThrow("failed authentication");
    expect(() => open(sealed, { ...context, projectId: null }, [keyA])).toThrow("failed authentication");
  });

  it("uses a fresh IV every time: 10,000 seals of one value, 10,000 IVs", () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 10_000; i++) ivs.add(seal("same", context, [keyA]).split(".")[2]!);
    expect(ivs.size).toBe(10_000);
  });

  it("opens values of any key in the ring and seals with the first", () => {
    const old = seal("rotated", context, [keyA]);
    const ring = [keyB, keyA];
    expect(open(old, context, ring)).toBe("rotated");
    expect(sealedKeyId(seal("new", context, ring))).toBe("b");
    expect(() => open(old, context, [keyB])).toThrow('the key "a" that sealed this value is not configured');
  });

  it("refuses malformed input", () => {
    expect(() => open("nope", context, [keyA])).toThrow(SealError);
    expect(() => open("v1.a.AAAA.AAAA", context, [keyA])).toThrow("malformed");
  });
});
