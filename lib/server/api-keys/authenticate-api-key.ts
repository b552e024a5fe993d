import "server-only";
// The REST API's one way in. A key reaches data as its service user, through the same
// data-layer functions as a person (membership-scoped), so another project's ids read
// as not found without any check here; this function only establishes who the caller
// is and what its key allows.
import { ApiKeyInvalidError, ApiRateLimitedError, ApiScopeMissingError } from "@/lib/api-keys/errors";
import { isWellFormedApiKey } from "@/lib/api-keys/key-format";
import type { TApiScope } from "@/lib/api-keys/scopes";
import { sortScopes } from "@/lib/api-keys/scopes";
import { noteAccessProject, noteAccessUser } from "@/lib/web/access-record-context";
import { getDb } from "../db";
import { consumeApiKeyLimit } from "./api-key-limits";
import { hashApiKey } from "./api-key-token";

export type TApiActor = { keyId: string; projectId: string; userId: string; scopes: TApiScope[] };

/** lastUsedAt is written at most this often per key, so a busy key costs no write per request. */
export const LAST_USED_GRANULARITY_MS = 60_000;

const BEARER = /^Bearer[ ]+(\S+)[ ]*$/i;

/**
 * The key in `Authorization: Bearer vf_…`, and only there: a key in a query string
 * would land in proxy logs, browser history and Referer headers, so one sent that way
 * is never read (the request is refused as unauthenticated).
 */
function keyTextOf(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (!header) return null;
  const match = BEARER.exec(header);
  return match && isWellFormedApiKey(match[1]!) ? match[1]! : null;
}

/**
 * Authenticates a request's API key and checks that it holds `scope`.
 * Throws ApiKeyInvalidError (401) for a missing, malformed, unknown, revoked or expired
 * key, all with one message; ApiRateLimitedError (429, retryAfterSeconds) past
 * API_RATE_PER_KEY requests a minute; ApiScopeMissingError (403) naming the scope.
 * The key text is never logged, stored or put in an error.
 */
export async function authenticateApiKey(request: Request, scope: TApiScope): Promise<TApiActor> {
  const text = keyTextOf(request);
  if (!text) throw new ApiKeyInvalidError();
  const key = await getDb().apiKey.findUnique({
    where: { tokenHash: hashApiKey(text) },
    select: { id: true, projectId: true, userId: true, scopes: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
  const now = new Date();
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) throw new ApiKeyInvalidError();

  // The access record names the key's service user and project (never the key text).
  noteAccessUser(key.userId);
  noteAccessProject(key.projectId);

  const wait = await consumeApiKeyLimit(key.id);
  if (wait !== null) throw new ApiRateLimitedError(wait);

  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    // Conditional, so instances racing on the same key write once per minute between them.
    await getDb().apiKey.updateMany({
      where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: new Date(now.getTime() - LAST_USED_GRANULARITY_MS) } }] },
      data: { lastUsedAt: now },
    });
  }
  // A call refused for its scope still counts as a use: it shows where the key is in use.
  const scopes = sortScopes(key.scopes);
  if (!scopes.includes(scope)) throw new ApiScopeMissingError(scope);
  return { keyId: key.id, projectId: key.projectId, userId: key.userId, scopes };
}
