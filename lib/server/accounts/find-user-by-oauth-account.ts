import "server-only";
import { getDb } from "../db";

export async function findUserByOAuthAccount(
  provider: string,
  providerAccountId: string,
): Promise<{ id: string; email: string; name: string | null; sessionVersion: number } | null> {
  const account = await getDb().oAuthAccount.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId } },
    select: { user: { select: { id: true, email: true, name: true, sessionVersion: true } } },
  });
  return account?.user ?? null;
}
