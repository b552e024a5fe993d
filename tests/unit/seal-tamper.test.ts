// The acceptance bar for lib/crypto/seal.ts: every single-bit change of IV, ciphertext
// or tag is refused with a SealError and no plaintext; the context binds; IVs never
// repeat; old keys open through the ring; the v1 format round-trips.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, openToBuffer, seal, SealError, sealedKeyId, type SealContext } from "@/lib/crypto/seal";
import type { EncryptionKey } from "@/lib/env";

const keyA: EncryptionKey = { id: "key-a", key: randomBytes(32) };
const keyB: EncryptionKey = { id: "key_b", key: randomBytes(32) };
const context: SealContext = {
  purpose: "connection-secret",
  projectId: "11111111-1111-4111-8111-111111111111",
  recordId: "22222222-2222-4222-8222-222222222222",
};
const PLAINTEXT = "sk_live_Q7";

/** Every sealed value with exactly one bit of its decoded IV or body (ciphertext || tag) flipped. */
function everySingleBitFlip(sealed: string): { part: "iv" | "ciphertext" | "tag"; bit: number; value: string }[] {
  const [version, keyId, ivText, bodyText] = sealed.split(".") as [string, string, string, string];
  const iv = Buffer.from(ivText, "base64url");
  const body = Buffer.from(bodyText, "base64url");
  const flips: { part: "iv" | "ciphertext" | "tag"; bit: number; value: string }[] = [];
  for (const [partIndex, bytes] of [iv, body].entries()) {
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const copy = Buffer.from(bytes);
      copy[bit >> 3]! ^= 1 << (bit & 7);
      const parts = partIndex === 0 ? [copy, body] : [iv, copy];
      const part = partIndex === 0 ? "iv" : bit < (body.length - 16) * 8 ? "ciphertext" : "tag";
      flips.push({ part, bit, value: [version, keyId, parts[0]!.toString("base64url"), parts[1]!.toString("base64url")].join(".") });
    }
  }
  return flips;
}

function openError(value: string, ctx: SealContext = context, ring: EncryptionKey[] = [keyA]): unknown {
  try {
    return { opened: open(value, ctx, ring) };
  } catch (error) {
    return error;
  }
}

describe("sealed values resist tampering", () => {
  it("refuse every single-bit flip of IV, ciphertext and tag with a SealError and no plaintext", () => {
    const sealed = seal(PLAINTEXT, context, [keyA]);
    const flips = everySingleBitFlip(sealed);
    // 96-bit IV + 10-byte ciphertext + 128-bit tag.
    expect(flips.filter((f) => f.part === "iv")).toHaveLength(96);
    expect(flips.filter((f) => f.part === "ciphertext")).toHaveLength(PLAINTEXT.length * 8);
    expect(flips.filter((f) => f.part === "tag")).toHaveLength(128);
    expect(new Set(flips.map((f) => f.value)).size).toBe(flips.length);
    for (const flip of flips) {
      const error = openError(flip.value);
      expect(error, `${flip.part} bit ${flip.bit}`).toBeInstanceOf(SealError);
      expect((error as SealError).message).toBe("sealed value failed authentication");
      expect((error as SealError).message).not.toContain(PLAINTEXT);
    }
    // The untouched value still opens: the flips, not the harness, made them fail.
    expect(open(sealed, context, [keyA])).toBe(PLAINTEXT);
  });

  it("refuse a truncated or extended body and a dropped part", () => {
    const sealed = seal(PLAINTEXT, context, [keyA]);
    const [v, id, iv, body] = sealed.split(".") as [string, string, string, string];
    const bytes = Buffer.from(body, "base64url");
    for (const value of [
      [v, id, iv, bytes.subarray(0, bytes.length - 1).toString("base64url")].join("."),
      [v, id, iv, Buffer.concat([bytes, Buffer.from([0])]).toString("base64url")].join("."),
      [v, id, iv, bytes.subarray(16).toString("base64url")].join("."),
      [v, id, iv].join("."),
      ["v2", id, iv, body].join("."),
    ]) {
      expect(openError(value)).toBeInstanceOf(SealError);
    }
  });

  it("are bound to purpose, project and record: any swap fails", () => {
    const sealed = seal(PLAINTEXT, context, [keyA]);
    for (const other of [
      { ...context, projectId: "33333333-3333-4333-8333-333333333333" },
      { ...context, projectId: null },
      { ...context, recordId: "44444444-4444-4444-8444-444444444444" },
      { ...context, purpose: "oauth-verifier" },
      { ...context, purpose: "totp-secret" },
      // Project and record swapped with each other.
      { ...context, projectId: context.recordId, recordId: context.projectId! },
    ]) {
      const error = openError(sealed, other);
      expect(error).toBeInstanceOf(SealError);
      expect((error as SealError).message).toBe("sealed value failed authentication");
    }
    expect(open(sealed, { ...context }, [keyA])).toBe(PLAINTEXT);
  });

  it("never reuse an IV: 10,000 seals of one value give 10,000 distinct IVs and ciphertexts", () => {
    const ivs = new Set<string>();
    const bodies = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const [, , iv, body] = seal(PLAINTEXT, context, [keyA]).split(".") as [string, string, string, string];
      expect(Buffer.from(iv, "base64url")).toHaveLength(12);
      ivs.add(iv);
      bodies.add(body);
    }
    expect(ivs.size).toBe(10_000);
    expect(bodies.size).toBe(10_000);
  });

  it("open a value sealed under key A with the ring [B, A], and not with [B] alone", () => {
    const sealed = seal(PLAINTEXT, context, [keyA]);
    expect(open(sealed, context, [keyB, keyA])).toBe(PLAINTEXT);
    const error = openError(sealed, context, [keyB]);
    expect(error).toBeInstanceOf(SealError);
    expect((error as SealError).message).not.toContain(PLAINTEXT);
    // A key B posing under A's id is refused too (the id selects the key; the tag checks it).
    expect(openError(sealed, context, [{ id: keyA.id, key: keyB.key }])).toBeInstanceOf(SealError);
    expect(sealedKeyId(seal(PLAINTEXT, context, [keyB, keyA]))).toBe(keyB.id);
  });

  it("round-trip the v1 format: v1.<keyId>.<iv>.<ciphertext||tag>, base64url, for text and bytes", () => {
    for (const plaintext of ["", "ü ✓ 𝄞", "x".repeat(1024), JSON.stringify({ apiKey: "k.with.dots" })]) {
      const sealed = seal(plaintext, context, [keyA]);
      expect(sealed).toMatch(/^v1\.key-a\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
      const [, , , body] = sealed.split(".") as [string, string, string, string];
      expect(Buffer.from(body, "base64url")).toHaveLength(Buffer.byteLength(plaintext) + 16);
      expect(open(sealed, context, [keyA])).toBe(plaintext);
    }
    const bytes = randomBytes(300);
    expect(openToBuffer(seal(bytes, context, [keyB]), context, [keyB]).equals(bytes)).toBe(true);
    expect(() => seal("x", context, [])).toThrow(SealError);
  });
});
