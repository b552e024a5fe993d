// Reading a token endpoint's answer (RFC 6749 section 5). Providers differ: GitHub
// answers form-encoded unless asked for JSON and reports errors with HTTP 200, Slack
// wraps everything in {ok, error} with HTTP 200, Google sends numbers as numbers.
// Unknown fields (id_token, scope, team...) are dropped; the fields used are checked
// strictly, tokens included, because they end up in an Authorization header.
import { z } from "@/lib/zod";

const MAX_EXPIRES_IN_SECONDS = 10 * 365 * 24 * 60 * 60;

// Printable ASCII without spaces: nothing that could break out of a header line.
const ZToken = z
  .string()
  .min(1)
  .max(8192)
  .regex(/^[\x21-\x7e]+$/);

const ZExpiresIn = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d{1,10}$/)
      .transform(Number),
  ])
  .pipe(z.number().int().positive().max(MAX_EXPIRES_IN_SECONDS));

export const ZTokenResponse = z.object({
  access_token: ZToken,
  refresh_token: ZToken.optional(),
  expires_in: ZExpiresIn.optional(),
  token_type: z.string().max(40).optional(),
});

const ZTokenError = z.object({ error: z.string().min(1).max(500) });

export type TTokenEndpointAnswer =
  | { kind: "tokens"; accessToken: string; refreshToken?: string; expiresInSeconds?: number }
  /** The provider said no (bad code, revoked refresh token, bad client): retrying cannot help. */
  | { kind: "refused"; errorCode: string }
  /** Rate limit, server error, unreadable answer: may work later. */
  | { kind: "unavailable"; status: number };

/** An error code safe to show: the provider's text only when it looks like an OAuth error code. */
export function safeErrorCode(value: string): string {
  return /^[a-z0-9_.-]{1,40}$/i.test(value) ? value : "refused";
}

function parseBody(contentType: string, body: Buffer): Record<string, unknown> | null {
  const text = body.toString("utf8");
  if (/^application\/x-www-form-urlencoded\b/i.test(contentType)) return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function readTokenEndpointAnswer(status: number, contentType: string | undefined, body: Buffer): TTokenEndpointAnswer {
  const fields = parseBody(contentType ?? "", body);
  const error = fields ? ZTokenError.safeParse(fields) : undefined;
  const isRefusalStatus = status === 400 || status === 401 || status === 403;
  if (isRefusalStatus || (status >= 200 && status < 300 && error?.success)) {
    return { kind: "refused", errorCode: error?.success ? safeErrorCode(error.data.error) : "refused" };
  }
  if (status < 200 || status >= 300 || !fields) return { kind: "unavailable", status };
  const tokens = ZTokenResponse.safeParse(fields);
  if (!tokens.success) return { kind: "unavailable", status };
  return {
    kind: "tokens",
    accessToken: tokens.data.access_token,
    refreshToken: tokens.data.refresh_token,
    expiresInSeconds: tokens.data.expires_in,
  };
}
