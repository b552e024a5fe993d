// Byte and base64 helpers for the scrubber. The scrubber runs on the server only (the
// data layer, the run drivers, the request error hook), so Node's Buffer does the
// encoding; the checks around it keep the strict acceptance the matchers rely on.

// base64 and base64url letters, then at most two "=".
const BASE64_TEXT = /^[A-Za-z0-9+/_-]*={0,2}$/;

const strictDecoder = new TextDecoder("utf-8", { fatal: true });

export function encodeUtf8(text: string): Uint8Array {
  return Buffer.from(text, "utf8");
}

// Null when the bytes are not valid UTF-8, so binary data is never shown as mojibake.
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function toBase64Url(base64: string): string {
  return base64.replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

// Accepts base64 and base64url (Buffer reads both alphabets), padded or not. Null on any
// character outside the alphabets or an impossible length: Buffer alone would skip bad
// characters and decode the rest.
export function decodeBase64(text: string): Uint8Array | null {
  if (!BASE64_TEXT.test(text)) return null;
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61) end--;
  if (end % 4 === 1) return null;
  return Buffer.from(text.slice(0, end), "base64");
}

export function encodeHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}
