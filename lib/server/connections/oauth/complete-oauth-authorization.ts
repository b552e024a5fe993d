import "server-only";
// The provider's redirect back: the state must be one this user started, unexpired and
// unused (it is consumed by one conditional delete, so of two racing uses one wins and a
// replay finds nothing). Only then is the code exchanged, with the PKCE verifier, and
// the tokens sealed into the connection. Any failure stores nothing.
import { rolesWith } from "@/lib/auth/permissions";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { safeErrorCode } from "@/lib/connections/oauth-token-response";
import { ZConnectionSettings } from "@/lib/connections/schemas";
import { open } from "@/lib/crypto/seal";
import { AppError } from "@/lib/errors";
import { outboundPolicyFromEnv } from "@/lib/http/outbound-policy-from-env";
import type { OutboundPolicy } from "@/lib/http/outbound-request";
import { z } from "@/lib/zod";
import { recordAuditEvent } from "../../audit/record-audit-event";
import { getDb } from "../../db";
import type { TRequestMeta } from "../../request-meta";
import { openConnectionSecret } from "../connection-secret";
import { oauthRedirectUri } from "./oauth-redirect-uri";
import { hashOAuthState, oauthVerifierContext } from "./oauth-state";
import { requestToken } from "./request-token";
import { TokenEndpointUnavailableError } from "./token-endpoint-error";
import { writeConnectionTokens } from "./write-connection-tokens";

// Providers add parameters of their own (Google: scope, authuser, prompt, hd), so
// unknown ones are ignored; the ones used are bounded.
const ZCallbackQuery = z.object({
  state: z.string().min(1).max(200).optional(),
  code: z.string().min(1).max(4096).optional(),
  error: z.string().min(1).max(200).optional(),
});

export type TOAuthCallbackOutcome =
  | { ok: true; projectId: string; connectionId: string }
  /** `projectId` only when the state was this user's, so a foreign state reveals nothing. */
  | { ok: false; message: string; projectId?: string; connectionId?: string };

/** Stored as the connection's last check after a successful authorization. */
export const OAUTH_AUTHORIZED_MESSAGE = "Signed in at the provider, which issued a token.";

export type TCompleteOAuthOptions = { policy?: OutboundPolicy; redirectUri?: string; now?: Date };

export async function completeOAuthAuthorization(
  userId: string,
  query: Record<string, string>,
  meta: TRequestMeta,
  options: TCompleteOAuthOptions = {},
): Promise<TOAuthCallbackOutcome> {
  const parsed = ZCallbackQuery.safeParse(query);
  if (!parsed.success || !parsed.data.state) return { ok: false, message: "This sign-in link is incomplete. Start the connection again." };
  const { state, code, error } = parsed.data;
  const stateHash = hashOAuthState(state);
  const now = options.now ?? new Date();
  const db = getDb();

  const consumed = await db.$transaction(async (tx) => {
    const row = await tx.oAuthState.findUnique({
      where: { stateHash },
      select: { userId: true, projectId: true, connectionId: true, provider: true, verifierSealed: true },
    });
    const deleted = await tx.oAuthState.deleteMany({ where: { stateHash, userId, expiresAt: { gt: now } } });
    return row && deleted.count === 1 ? row : row?.userId === userId ? { expired: true as const, ...row } : null;
  });
  if (!consumed) {
    return { ok: false, message: "This sign-in link is not valid, or was already used. Start the connection again." };
  }
  const where = { projectId: consumed.projectId, connectionId: consumed.connectionId };
  if ("expired" in consumed) return { ok: false, message: "This sign-in link has expired. Start the connection again.", ...where };
  if (error) return { ok: false, message: `The provider did not grant access (${safeErrorCode(error)}).`, ...where };
  if (!code) return { ok: false, message: "The provider sent no authorization code. Start the connection again.", ...where };

  const connection = await db.connection.findFirst({
    where: {
      id: consumed.connectionId,
      projectId: consumed.projectId,
      type: "OAUTH2_CODE",
      project: { memberships: { some: { userId, role: { in: rolesWith("connections.write") } } } },
    },
    select: { id: true, projectId: true, provider: true, settings: true, secretSealed: true },
  });
  const settings = ZConnectionSettings.OAUTH2_CODE.safeParse(connection?.settings);
  if (!connection || !settings.success || settings.data.provider !== consumed.provider) {
    return { ok: false, message: "This connection no longer exists or has changed. Start the connection again." };
  }

  const { clientSecret } = openConnectionSecret<"OAUTH2_CODE">(connection.secretSealed, connection.projectId, connection.id);
  const verifier = open(consumed.verifierSealed, oauthVerifierContext(consumed.projectId, stateHash), getAppSecrets().encryptionKeys);
  let answer;
  try {
    answer = await requestToken(
      settings.data.tokenUrl,
      {
        grant_type: "authorization_code",
        code,
        redirect_uri: options.redirectUri ?? oauthRedirectUri(),
        client_id: settings.data.clientId,
        client_secret: clientSecret,
        code_verifier: verifier,
      },
      options.policy ?? outboundPolicyFromEnv(),
      { projectId: connection.projectId, connectionId: connection.id, userId },
    );
  } catch (failure) {
    if (failure instanceof AppError) return { ok: false, message: failure.message, ...where };
    if (failure instanceof TokenEndpointUnavailableError) {
      return { ok: false, message: "The provider's token endpoint did not answer. Try connecting again in a moment.", ...where };
    }
    throw failure;
  }
  if (answer.kind !== "tokens") {
    return { ok: false, message: `The provider refused the authorization (${answer.errorCode}). Start the connection again.`, ...where };
  }

  const tokens = answer;
  const provider = settings.data.provider;
  const stored = await db.$transaction(async (tx) => {
    // Checked again with the write: a membership removed during the exchange stores nothing.
    const still = await tx.connection.count({
      where: { id: connection.id, project: { memberships: { some: { userId, role: { in: rolesWith("connections.write") } } } } },
    });
    if (still !== 1) return null;
    // The code exchange is itself a check of the credential: the provider accepted the
    // client id and secret, the redirect and the person's consent, and issued a token.
    const written = await writeConnectionTokens(tx, connection.id, tokens, {
      keepRefreshToken: false,
      now: new Date(),
      checkPassed: OAUTH_AUTHORIZED_MESSAGE,
    });
    await recordAuditEvent(
      {
        action: written.previousStatus === "NEEDS_RECONNECT" ? "connection.reconnected" : "connection.authorized",
        userId,
        projectId: connection.projectId,
        meta,
        details: { connectionId: connection.id, name: written.name, provider, hasRefreshToken: Boolean(tokens.refreshToken) },
      },
      tx,
    );
    return written;
  });
  if (!stored) return { ok: false, message: "This connection no longer exists or has changed. Start the connection again." };
  return { ok: true, projectId: connection.projectId, connectionId: connection.id };
}
