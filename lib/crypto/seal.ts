// Authenticated encryption for values stored at rest (connection secrets, TOTP
// secrets, run logs): AES-256-GCM, a fresh 96-bit IV per value, a 128-bit tag, and
// associated data that binds each ciphertext to its purpose, project and record, so a
// blob copied to another row or project fails to open. The format carries the key id,
// so keys rotate: the first key of the ring seals, every key of the ring opens.
//
//   v1.<keyId>.<iv base64url>.<ciphertext||tag base64url>
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { EncryptionKey } from "../env";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type SealContext = {
  /** What the value is, e.g. "totp-secret", "connection-secret", "run-log". */
  purpose: string;
  projectId?: string | null;
  recordId: string;
};

export class SealError extends Error {
  override name = "SealError";
}

function associatedData(context: SealContext): Buffer {
  // JSON keeps the fields unambiguous (no separator can be smuggled into an id).
  return Buffer.from(JSON.stringify([VERSION, context.purpose, context.projectId ?? null, context.recordId]));
}

export function seal(plaintext: string | Buffer, context: SealContext, ring: readonly EncryptionKey[]): string {
  const active = ring[0];
  if (!active) throw new SealError("no encryption key is configured");
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", active.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(context));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return [VERSION, active.id, iv.toString("base64url"), body.toString("base64url")].join(".");
}

export function sealedKeyId(sealed: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION || !parts[1]) throw new SealError("not a sealed value");
  return parts[1];
}

export function openToBuffer(sealed: string, context: SealContext, ring: readonly EncryptionKey[]): Buffer {
  const keyId = sealedKeyId(sealed);
  const [, , ivText, bodyText] = sealed.split(".") as [string, string, string, string];
  const key = ring.find((k) => k.id === keyId);
  if (!key) throw new SealError(`the key "${keyId}" that sealed this value is not configured`);
  const iv = Buffer.from(ivText, "base64url");
  const body = Buffer.from(bodyText, "base64url");
  if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw new SealError("sealed value is malformed");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(context));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    // One message for every failure: tampering, wrong key or wrong context.
    throw new SealError("sealed value failed authentication");
  }
}

export function open(sealed: string, context: SealContext, ring: readonly EncryptionKey[]): string {
  return openToBuffer(sealed, context, ring).toString("utf8");
}
