import "server-only";
import { getDb } from "../db";

export type TAccountOverview = {
  emailVerified: Date | null;
  hasPassword: boolean;
  linkedAccounts: { provider: string; email: string | null }[];
};

/** What the account page shows beyond the session's name and email. Never a hash or secret. */
export async function getAccountOverview(userId: string): Promise<TAccountOverview> {
  const user = await getDb().user.findUnique({
    where: { id: userId },
    select: {
      emailVerified: true,
      passwordHash: true,
      oauthAccounts: { select: { provider: true, email: true }, orderBy: { createdAt: "asc" } },
    },
  });
  return {
    emailVerified: user?.emailVerified ?? null,
    hasPassword: Boolean(user?.passwordHash),
    linkedAccounts: user?.oauthAccounts ?? [],
  };
}
