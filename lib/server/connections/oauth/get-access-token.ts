import "server-only";
// A valid access token for an OAuth connection, for server code that has already
// authorized the use (resolveConnection, step executors); never for a person.
//
// Tokens are renewed ahead of expiry (within 5 minutes of it) or when the caller saw a
// 401 (forceRefresh). Renewal is single-flight per connection: in this process,
// parallel callers share one promise (here); across processes, renewAccessToken holds
// the connection row while it renews.
import { ZConnectionId } from "@/lib/connections/schemas";
import { getDb } from "../../db";
import { connectionNotFound } from "../connection-not-found";
import { checkUsable, currentToken, renewAccessToken, TOKEN_ROW_SELECT, type TRenewOptions } from "./renew-access-token";

export type TGetAccessTokenOptions = TRenewOptions;

const IN_FLIGHT = Symbol.for("vaultflow.oauth-token-renewals");

function renewalsInFlight(): Map<string, Promise<string>> {
  const holder = globalThis as { [IN_FLIGHT]?: Map<string, Promise<string>> };
  holder[IN_FLIGHT] ??= new Map();
  return holder[IN_FLIGHT];
}

export async function getAccessToken(connectionId: string, options: TGetAccessTokenOptions = {}): Promise<string> {
  if (!ZConnectionId.safeParse(connectionId).success) throw connectionNotFound();
  const row = await getDb().connection.findUnique({ where: { id: connectionId }, select: TOKEN_ROW_SELECT });
  const usable = checkUsable(row);
  if (!options.forceRefresh) {
    const token = currentToken(usable);
    if (token) return token;
  }
  const renewals = renewalsInFlight();
  const running = renewals.get(connectionId);
  if (running) return running;
  const renewal = renewAccessToken(usable.id, usable.version, options).finally(() => renewals.delete(connectionId));
  renewals.set(connectionId, renewal);
  return renewal;
}
