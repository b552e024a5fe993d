import "server-only";
// The vault's one port for step executors: a connection's credential, ready to put on
// a request. No user id: the caller already authorized the run; the project id is part
// of the query, so a flow can only ever use its own project's connections.
import { applyAuth, type TAuthMaterial, type TAuthTarget } from "@/lib/connections/apply-auth";
import { connectionSecretStrings } from "@/lib/connections/connection-secret-strings";
import { allowedOriginsOf, ConnectionOriginRefusedError, originOf, originRefusalOf } from "@/lib/connections/connection-origins";
import { ZConnectionId, type TConnectionSecret, type TConnectionSettings, type TConnectionType } from "@/lib/connections/schemas";
import { ZProjectId } from "@/lib/projects/schemas";
import { AppError } from "@/lib/errors";
import { getDb } from "../db";
import { connectionNotFound } from "./connection-not-found";
import { openConnectionSecret } from "./connection-secret";
import { getAccessToken, type TGetAccessTokenOptions } from "./oauth/get-access-token";

export type TResolvedConnection = {
  id: string;
  type: TConnectionType;
  name: string;
  /**
   * Adds the credential to a request whose data mapping is already done. Throws an
   * AppError (nothing is sent) when the request's origin is not one of the connection's
   * allowed origins: the URL is checked here, after mapping, so no template can dodge it.
   */
  apply<R extends TAuthTarget>(request: R): R;
  /** The origins the credential may be sent to. */
  allowedOrigins: string[];
  /** Every secret string of the connection, for the run's log scrubber. Never log or return them. */
  secrets: string[];
};

/** Passed to the OAuth token source: a forced refresh after a 401, and (tests) the outbound policy of the token call. */
export type TResolveOptions = Pick<TGetAccessTokenOptions, "forceRefresh" | "policy">;

export async function resolveConnection(projectId: string, connectionId: string, options: TResolveOptions = {}): Promise<TResolvedConnection> {
  if (!ZProjectId.safeParse(projectId).success || !ZConnectionId.safeParse(connectionId).success) throw connectionNotFound();
  const row = await getDb().connection.findFirst({
    where: { id: connectionId, projectId },
    select: { id: true, projectId: true, name: true, type: true, status: true, settings: true, secretSealed: true },
  });
  if (!row) throw connectionNotFound();
  if (row.status !== "CONNECTED") {
    throw new AppError("CONFLICT", `The connection "${row.name}" needs to be reconnected.`);
  }
  const secret = openConnectionSecret(row.secretSealed, row.projectId, row.id) as Record<string, unknown>;
  // The same strings the run's log scrubber gets (run-secrets.ts), plus a fresh OAuth token below.
  const secrets = connectionSecretStrings({ type: row.type, settings: row.settings, secret });
  const settings = row.settings as Record<string, unknown>;
  let auth: TAuthMaterial;
  switch (row.type) {
    case "API_KEY": {
      const { placement, fieldName } = settings as TConnectionSettings["API_KEY"];
      const value = (secret as TConnectionSecret["API_KEY"]).apiKey;
      auth = placement === "query" ? { kind: "query", name: fieldName, value } : { kind: "header", name: fieldName, value };
      break;
    }
    case "BEARER":
      auth = { kind: "bearer", token: (secret as TConnectionSecret["BEARER"]).token };
      break;
    case "BASIC": {
      const { username } = settings as TConnectionSettings["BASIC"];
      const { password } = secret as TConnectionSecret["BASIC"];
      auth = { kind: "basic", username, password };
      break;
    }
    case "OAUTH2_CODE":
    case "OAUTH2_CLIENT_CREDENTIALS": {
      const token = await getAccessToken(row.id, options);
      auth = { kind: "bearer", token };
      secrets.push(token);
      break;
    }
    case "SMTP":
      // An SMTP password is for its own server only (smtp/resolve-smtp-connection.ts), never an HTTP header.
      throw new AppError("BAD_INPUT", `The connection "${row.name}" is an SMTP connection: it can only be used by the Send an email (SMTP) step.`);
  }
  const allowedOrigins = allowedOriginsOf(settings);
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    allowedOrigins,
    apply: (request) => {
      const refusal = originRefusalOf(row.name, allowedOrigins, request.url);
      if (refusal) throw new ConnectionOriginRefusedError(refusal, originOf(request.url));
      return applyAuth(request, auth);
    },
    secrets: [...new Set(secrets)],
  };
}
