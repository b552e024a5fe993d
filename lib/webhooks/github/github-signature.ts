// GitHub's webhook signature: X-Hub-Signature-256 is "sha256=" and the hex HMAC-SHA256 of
// the raw body under the webhook's secret. Only that exact form is accepted (not the
// legacy SHA-1 X-Hub-Signature, not base64), compared in constant time over the bytes
// received, never over re-serialised JSON.
import { createHmac, timingSafeEqual } from "node:crypto";

export const GITHUB_SIGNATURE_HEADER = "x-hub-signature-256";

/** The header value GitHub would send for `body` (also used by the test stand-in). */
export function githubSignatureOf(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function isValidGithubSignature(secret: string, body: Buffer, header: string | null | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? "");
  if (!match) return false;
  const provided = Buffer.from(match[1]!, "hex");
  const expected = createHmac("sha256", secret).update(body).digest();
  return provided.length === expected.length && timingSafeEqual(provided, expected);
}
