import "server-only";
// Renews a connection's access token, once across processes: the renewal runs in a
// transaction holding the connection row (SELECT ... FOR UPDATE) and re-reads it after
// the lock, so a token another worker renewed meanwhile is used instead of renewed
// again. Rotated refresh tokens are stored in the same compare-and-swap update as the
// new access token. Callers go through getAccessToken, which adds the in-process
// single-flight.
//
// The embedded database is one PostgreSQL session (pool of one) owned by one app
// process (pid lock): holding it through a 10-second token call would stall every other
// query of the app, and no other process renews tokens there, so the in-process
// single-flight is the lock and the row is written with compare-and-swap alone.
import { getDatabaseTarget } from "@/lib/db/registry";
import { ZConnectionSettings } from "@/lib/connections/schemas";
import { AppError } from "@/lib/errors";
import { outboundPolicyFromEnv } from "@/lib/http/outbound-policy-from-env";
import type { OutboundPolicy } from "@/lib/http/outbound-request";
import { getLogger } from "@/lib/log";
import type { Mailer } from "@/lib/mail/mailer";
import type { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../../audit/record-audit-event";
import { getDb } from "../../db";
import { connectionNotFound } from "../connection-not-found";
import { openConnectionSecret } from "../connection-secret";
import { notifyOwnersToReconnect } from "./notify-owners-to-reconnect";
import { requestToken } from "./request-token";
import { writeConnectionTokens } from "./write-connection-tokens";
import { pauseFlowsUsingConnection } from "../../flows/pause-flows-using-connection";

export const REFRESH_AHEAD_MS = 5 * 60 * 1000;
// Waiting for another worker's renewal (one token call, 10 s at most; lock_timeout 15 s)
// and doing ours.
const TRANSACTION_TIMEOUT_MS = 30_000;

export type TRenewOptions = {
  /** After a 401 from the provider: renew even though the token has not expired. */
  forceRefresh?: boolean;
  /** The outbound policy for the token call; default from the configuration (tests allow loopback). */
  policy?: OutboundPolicy;
  /** Where the reconnect notice goes; default the installation's mailer. */
  mailer?: Mailer | null;
};

export const TOKEN_ROW_SELECT = {
  id: true,
  projectId: true,
  name: true,
  type: true,
  status: true,
  settings: true,
  secretSealed: true,
  version: true,
  accessTokenExpiresAt: true,
} as const;

export type TTokenRow = Prisma.ConnectionGetPayload<{ select: typeof TOKEN_ROW_SELECT }>;
type TDb = Prisma.TransactionClient;
type TRenewal = { kind: "token"; token: string } | { kind: "refused"; row: TTokenRow };

export function checkUsable(row: TTokenRow | null): TTokenRow {
  if (!row || (row.type !== "OAUTH2_CODE" && row.type !== "OAUTH2_CLIENT_CREDENTIALS")) throw connectionNotFound();
  if (row.status === "NEEDS_RECONNECT") throw needsReconnect(row.name);
  if (row.status === "PENDING") throw new AppError("CONFLICT", `The connection "${row.name}" is not connected yet. Connect it first.`);
  return row;
}

function needsReconnect(name: string): AppError {
  return new AppError("CONFLICT", `The connection "${name}" needs to be reconnected.`);
}

/** The stored access token when it is good for more than REFRESH_AHEAD_MS (or has no known expiry). */
export function currentToken(row: TTokenRow, now = Date.now()): string | null {
  const { accessToken } = openConnectionSecret<"OAUTH2_CODE">(row.secretSealed, row.projectId, row.id);
  if (!accessToken) return null;
  if (row.accessTokenExpiresAt && row.accessTokenExpiresAt.getTime() - now <= REFRESH_AHEAD_MS) return null;
  return accessToken;
}

/** `seenVersion`: the row version the caller judged stale; a newer one may already hold a fresh token. */
export async function renewAccessToken(connectionId: string, seenVersion: number, options: TRenewOptions = {}): Promise<string> {
  const seen = { id: connectionId, version: seenVersion };
  const db = getDb();
  let outcome: TRenewal;
  if (getDatabaseTarget().embedded) {
    outcome = await renewWith(db, (write) => db.$transaction(write), seen, options);
  } else {
    outcome = await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`SET LOCAL lock_timeout = '15s'`;
        await tx.$queryRaw`SELECT 1 FROM "connections" WHERE "id" = ${seen.id}::uuid FOR UPDATE`;
        return renewWith(tx, (write) => write(tx), seen, options);
      },
      { maxWait: 10_000, timeout: TRANSACTION_TIMEOUT_MS },
    );
  }
  if (outcome.kind === "token") return outcome.token;
  try {
    await notifyOwnersToReconnect(outcome.row, options.mailer);
  } catch (error) {
    getLogger().error({ err: { name: (error as Error)?.name }, connectionId: outcome.row.id }, "reconnect notice failed");
  }
  throw needsReconnect(outcome.row.name);
}

async function renewWith(
  db: TDb,
  write: <T>(change: (tx: TDb) => Promise<T>) => Promise<T>,
  seen: { id: string; version: number },
  options: TRenewOptions,
): Promise<TRenewal> {
  const row = checkUsable(await db.connection.findUnique({ where: { id: seen.id }, select: TOKEN_ROW_SELECT }));
  // Renewed by another worker while this one waited for the lock: use that token.
  if (row.version !== seen.version || !options.forceRefresh) {
    const token = currentToken(row);
    if (token) return { kind: "token", token };
  }

  const secret = openConnectionSecret<"OAUTH2_CODE">(row.secretSealed, row.projectId, row.id);
  let tokenUrl: string;
  let form: Record<string, string>;
  if (row.type === "OAUTH2_CODE") {
    const settings = ZConnectionSettings.OAUTH2_CODE.safeParse(row.settings);
    if (!settings.success) throw incompleteSettings(row.name);
    if (!secret.refreshToken) return markNeedsReconnect(write, row, "no_refresh_token");
    tokenUrl = settings.data.tokenUrl;
    form = {
      grant_type: "refresh_token",
      refresh_token: secret.refreshToken,
      client_id: settings.data.clientId,
      client_secret: secret.clientSecret,
    };
  } else {
    const settings = ZConnectionSettings.OAUTH2_CLIENT_CREDENTIALS.safeParse(row.settings);
    if (!settings.success) throw incompleteSettings(row.name);
    tokenUrl = settings.data.tokenUrl;
    form = {
      grant_type: "client_credentials",
      client_id: settings.data.clientId,
      client_secret: secret.clientSecret,
      ...(settings.data.scopes.length > 0 ? { scope: settings.data.scopes.join(" ") } : {}),
    };
  }

  const answer = await requestToken(tokenUrl, form, options.policy ?? outboundPolicyFromEnv(), {
    projectId: row.projectId,
    connectionId: row.id,
  });
  if (answer.kind === "tokens") {
    // A successful renewal is not audited: it happens hourly per connection, by no
    // person, and would bury the events that matter; the failure is audited.
    await write((tx) => writeConnectionTokens(tx, row.id, answer, { keepRefreshToken: true }));
    return { kind: "token", token: answer.accessToken };
  }
  if (row.type === "OAUTH2_CLIENT_CREDENTIALS") {
    // Nothing to reconnect: the client ID or secret is wrong, and editing the connection fixes it.
    throw new AppError("CONFLICT", `The provider refused the client credentials of "${row.name}" (${answer.errorCode}). Check the client ID and secret.`);
  }
  return markNeedsReconnect(write, row, answer.errorCode);
}

function incompleteSettings(name: string): AppError {
  return new AppError("CONFLICT", `The settings of the connection "${name}" are incomplete. Edit and save it.`);
}

async function markNeedsReconnect(write: <T>(change: (tx: TDb) => Promise<T>) => Promise<T>, row: TTokenRow, errorCode: string): Promise<TRenewal> {
  const statusReason =
    errorCode === "no_refresh_token"
      ? "The provider gave no way to renew access (no refresh token). Reconnect to continue."
      : `The provider refused to renew access (${errorCode}). Reconnect to continue.`;
  await write(async (tx) => {
    const marked = await tx.connection.updateMany({
      where: { id: row.id, version: row.version },
      data: { status: "NEEDS_RECONNECT", statusReason, version: { increment: 1 } },
    });
    // Only possible without the row lock (embedded): someone reconnected or edited it meanwhile.
    if (marked.count !== 1) throw new AppError("CONFLICT", `The connection "${row.name}" changed while its access was renewed. Try again.`);
    await recordAuditEvent(
      {
        action: "connection.refresh_failed",
        outcome: "failure",
        projectId: row.projectId,
        details: { connectionId: row.id, name: row.name, error: errorCode },
      },
      tx,
    );
    await pauseFlowsUsingConnection(tx, row.projectId, row.id);
  });
  return { kind: "refused", row };
}
