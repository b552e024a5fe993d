import "server-only";
// Stores tokens into a connection's sealed secret: open, merge, re-seal, and write with
// compare-and-swap on `version`, so an edit or a key rotation that landed meanwhile is
// merged with, never overwritten. A lost race re-reads and merges again.
import type { Prisma } from "@/prisma/generated/client";
import { connectionNotFound } from "../connection-not-found";
import { openConnectionSecret, sealConnectionSecret } from "../connection-secret";

const MAX_ATTEMPTS = 5;

export type TTokensToStore = { accessToken: string; refreshToken?: string; expiresInSeconds?: number };

type TWriter = Pick<Prisma.TransactionClient, "connection">;

export type TStoredTokens = { projectId: string; name: string; previousStatus: string; version: number };

/**
 * `keepRefreshToken`: when the provider sends no new refresh token, the old one stays
 * valid (RFC 6749 section 6) on a refresh; a new authorization replaces it.
 * `checkPassed`: stored as a passed check with this sentence (a new authorization: the
 * provider accepted the client, its secret and the person's consent). Refreshes leave
 * the last check as it was: they run unattended inside flows and prove the token only.
 */
export async function writeConnectionTokens(
  db: TWriter,
  connectionId: string,
  tokens: TTokensToStore,
  options: { keepRefreshToken: boolean; now?: Date; checkPassed?: string },
): Promise<TStoredTokens> {
  const now = options.now ?? new Date();
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const row = await db.connection.findUnique({
      where: { id: connectionId },
      select: { projectId: true, name: true, type: true, status: true, secretSealed: true, version: true },
    });
    if (!row || (row.type !== "OAUTH2_CODE" && row.type !== "OAUTH2_CLIENT_CREDENTIALS")) throw connectionNotFound();
    const current = openConnectionSecret<"OAUTH2_CODE">(row.secretSealed, row.projectId, connectionId);
    let secret: Record<string, string | undefined>;
    if (row.type === "OAUTH2_CODE") {
      const refreshToken = tokens.refreshToken ?? (options.keepRefreshToken ? current.refreshToken : undefined);
      secret = { clientSecret: current.clientSecret, accessToken: tokens.accessToken, ...(refreshToken ? { refreshToken } : {}) };
    } else {
      secret = { clientSecret: current.clientSecret, accessToken: tokens.accessToken };
    }
    const written = await db.connection.updateMany({
      where: { id: connectionId, version: row.version },
      data: {
        secretSealed: sealConnectionSecret(secret as never, row.projectId, connectionId),
        accessTokenExpiresAt: tokens.expiresInSeconds ? new Date(now.getTime() + tokens.expiresInSeconds * 1000) : null,
        status: "CONNECTED",
        statusReason: null,
        ...(options.checkPassed ? { lastTestedAt: now, lastTestOk: true, lastTestMessage: options.checkPassed } : {}),
        version: { increment: 1 },
      },
    });
    if (written.count === 1) return { projectId: row.projectId, name: row.name, previousStatus: row.status, version: row.version + 1 };
  }
  throw new Error("the connection kept changing while its tokens were stored");
}
