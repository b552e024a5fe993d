// The key text: `vf_` + 43 base62 characters (256 random bits) + 6 base62 characters
// of CRC-32 over the random part. The fixed prefix lets secret scanners (GitHub's push
// protection, gitleaks) recognise a Vaultflow key; the checksum lets them, and this
// app, tell a real key shape from a typo or a random string without a database look-up.
// (The same layout as GitHub's `ghp_` tokens.) Pure: no Node or server imports.

export const API_KEY_PREFIX = "vf_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const SECRET_LENGTH = 43; // ceil(256 / log2(62))
const CHECKSUM_LENGTH = 6; // ceil(32 / log2(62))
export const API_KEY_LENGTH = API_KEY_PREFIX.length + SECRET_LENGTH + CHECKSUM_LENGTH;
/** Characters shown in lists to tell keys apart: `vf_` and 6 of the secret (36 bits, far too few to use). */
const DISPLAY_LENGTH = API_KEY_PREFIX.length + 6;
const SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${SECRET_LENGTH + CHECKSUM_LENGTH}}$`);

function toBase62(value: bigint, length: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = ALPHABET[Number(rest % 62n)] + out;
    rest /= 62n;
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE, as zlib) of an ASCII string. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function checksumOf(secret: string): string {
  return toBase62(BigInt(crc32(secret)), CHECKSUM_LENGTH);
}

/** Builds the key text from 32 random bytes (the caller supplies them from a CSPRNG). */
export function formatApiKey(random: Uint8Array): string {
  if (random.length !== 32) throw new Error("An API key needs exactly 32 random bytes.");
  let value = 0n;
  for (const byte of random) value = (value << 8n) | BigInt(byte);
  const secret = toBase62(value, SECRET_LENGTH);
  return `${API_KEY_PREFIX}${secret}${checksumOf(secret)}`;
}

/** True for text of a Vaultflow key's shape whose checksum matches; says nothing of whether the key exists. */
export function isWellFormedApiKey(text: string): boolean {
  if (!SHAPE.test(text)) return false;
  const body = text.slice(API_KEY_PREFIX.length);
  const secret = body.slice(0, SECRET_LENGTH);
  return body.slice(SECRET_LENGTH) === checksumOf(secret);
}

/** The part of a key kept for display: `vf_AbCdEf`. */
export function apiKeyDisplayPrefix(text: string): string {
  return text.slice(0, DISPLAY_LENGTH);
}
