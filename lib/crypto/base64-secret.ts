// How a configured secret (AUTH_SECRET, PASSWORD_PEPPER, the ENCRYPTION_KEYS entries)
// is read: base64 or base64url, padded or not. Characters outside both alphabets are
// refused rather than skipped (Buffer alone would skip them), so a mangled value is
// reported instead of quietly shortening the key. Callers check the length they need
// and never put the value in a message.
const BASE64_SECRET = /^[A-Za-z0-9+/_-]+={0,2}$/;

export function decodeBase64Secret(value: string): Buffer | undefined {
  if (typeof value !== "string" || !BASE64_SECRET.test(value)) return undefined;
  return Buffer.from(value, "base64");
}
