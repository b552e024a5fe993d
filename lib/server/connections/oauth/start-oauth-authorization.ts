import "server-only";
// Starts "sign in with the provider" for an authorization-code connection: a state row
// bound to the user, project, connection and provider for 10 minutes, a sealed PKCE
// verifier, and the provider URL to send the browser to. Called only from a server
// action (a POST the browser's origin check guards): a link that started it would send
// whoever followed it from Vaultflow's origin to an authorization URL an editor chose.
// Rate limited per user and audited.
import { rolesWith } from "@/lib/auth/permissions";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { buildAuthorizationUrl } from "@/lib/connections/oauth-authorization-url";
import { createPkceVerifier, pkceChallengeS256 } from "@/lib/connections/oauth-pkce";
import { OAUTH_PRESETS } from "@/lib/connections/providers";
import { ZConnectionId, ZConnectionSettings } from "@/lib/connections/schemas";
import { seal } from "@/lib/crypto/seal";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../../audit/record-audit-event";
import { getDb } from "../../db";
import { consumeRateLimits } from "../../rate-limit/limiters";
import type { TRequestMeta } from "../../request-meta";
import { connectionNotFound } from "../connection-not-found";
import { oauthRedirectUri } from "./oauth-redirect-uri";
import { newOAuthState, oauthVerifierContext } from "./oauth-state";

export type TOAuthStart = { authorizationUrl: string; projectId: string };

export type TOAuthStartOptions = { redirectUri?: string; meta?: TRequestMeta };

export async function startOAuthAuthorization(userId: string, connectionId: string, options: TOAuthStartOptions = {}): Promise<TOAuthStart> {
  if (!ZConnectionId.safeParse(connectionId).success) throw connectionNotFound();
  const db = getDb();
  const connection = await db.connection.findFirst({
    where: {
      id: connectionId,
      project: { memberships: { some: { userId, role: { in: rolesWith("connections.write") } } } },
    },
    select: { id: true, projectId: true, type: true, settings: true },
  });
  if (!connection) throw connectionNotFound();
  if (connection.type !== "OAUTH2_CODE") {
    throw new AppError("BAD_INPUT", "This connection does not sign in with a provider.");
  }
  const parsed = ZConnectionSettings.OAUTH2_CODE.safeParse(connection.settings);
  if (!parsed.success) throw new AppError("CONFLICT", "This connection's settings are incomplete. Edit and save it, then connect again.");
  const settings = parsed.data;
  // After the role check, so nobody spends another person's budget by guessing ids.
  await consumeRateLimits([["oauthStartUser", userId]]);
  const preset = settings.provider === "generic" ? undefined : OAUTH_PRESETS[settings.provider];

  const { state, stateHash, expiresAt } = newOAuthState();
  const verifier = createPkceVerifier();
  await db.oAuthState.create({
    data: {
      stateHash,
      userId,
      projectId: connection.projectId,
      connectionId: connection.id,
      provider: settings.provider,
      verifierSealed: seal(verifier, oauthVerifierContext(connection.projectId, stateHash), getAppSecrets().encryptionKeys),
      expiresAt,
    },
  });
  const authorizationUrl = buildAuthorizationUrl({
    authorizationUrl: settings.authorizationUrl,
    clientId: settings.clientId,
    redirectUri: options.redirectUri ?? oauthRedirectUri(),
    scopes: settings.scopes,
    scopeSeparator: preset?.scopeSeparator ?? " ",
    extraParams: preset?.authorizationParams,
    state,
    codeChallenge: pkceChallengeS256(verifier),
  });
  await recordAuditEvent({
    action: "connection.oauth_started",
    userId,
    projectId: connection.projectId,
    meta: options.meta,
    // The endpoint's origin only: the full URL carries the state.
    details: { connectionId: connection.id, provider: settings.provider, authorizationOrigin: new URL(settings.authorizationUrl).origin },
  });
  return { authorizationUrl, projectId: connection.projectId };
}
