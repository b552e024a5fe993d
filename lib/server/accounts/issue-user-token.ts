import "server-only";
// Single-use emailed tokens (internal to the account use cases). A token is 256
// random bits in base64url; only its SHA-256 is stored, so a database leak yields no
// usable link (the token has full entropy, so a fast unsalted hash is enough).
// Consuming is one conditional UPDATE: of two concurrent clicks exactly one wins.
import { createHash, randomBytes } from "node:crypto";
import type { Prisma, UserTokenPurpose } from "@/prisma/generated/client";
import { getDb } from "../db";

export const USER_TOKEN_LIFETIME_MS: Record<UserTokenPurpose, number> = {
  VERIFY_EMAIL: 24 * 60 * 60 * 1000,
  RESET_PASSWORD: 60 * 60 * 1000,
};

type TokenWriter = Pick<Prisma.TransactionClient, "userToken">;

export function hashUserToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Issues a new token for the user and purpose. The user's older unused tokens of the
 * same purpose stop working: only the latest email's link is valid.
 */
export async function issueUserToken(userId: string, purpose: UserTokenPurpose, db: TokenWriter = getDb()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + USER_TOKEN_LIFETIME_MS[purpose]);
  await db.userToken.deleteMany({ where: { userId, purpose, usedAt: null } });
  await db.userToken.create({ data: { userId, purpose, tokenHash: hashUserToken(token), expiresAt } });
  return { token, expiresAt };
}

/**
 * Marks the token used if it exists for this purpose, is unused and unexpired;
 * returns its user's id, or null. Run it in the transaction of the change it
 * authorizes, so a failed change leaves the token usable.
 */
export async function consumeUserToken(token: string, purpose: UserTokenPurpose, db: TokenWriter = getDb()): Promise<{ userId: string } | null> {
  const tokenHash = hashUserToken(token);
  const now = new Date();
  const { count } = await db.userToken.updateMany({
    where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count !== 1) return null;
  const row = await db.userToken.findUnique({ where: { tokenHash }, select: { userId: true } });
  return row ? { userId: row.userId } : null;
}

/** The unused, unexpired token's user id, without consuming it (pages that show a form first). */
export async function findUsableUserToken(token: string, purpose: UserTokenPurpose, db: TokenWriter = getDb()): Promise<{ userId: string } | null> {
  const row = await db.userToken.findUnique({
    where: { tokenHash: hashUserToken(token) },
    select: { userId: true, purpose: true, usedAt: true, expiresAt: true },
  });
  if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt <= new Date()) return null;
  return { userId: row.userId };
}
