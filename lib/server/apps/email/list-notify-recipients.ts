import "server-only";
// Who a member notification reaches: members of the run's project, found here from the
// memberships, never from the flow's data. The project id is the run's (from the engine,
// not the step); a chosen member id or address only picks a member, it never adds one,
// and a member removed since the step was saved receives nothing. Only people
// (not API key service users) with a confirmed address: an address nobody proved is
// not written to from this instance's mail server.
import type { TNotifyAudience } from "@/lib/apps/email/email-app";
import { getDb } from "../../db";

export type TNotifyRecipients = {
  recipients: { userId: string; email: string }[];
  /** Members of the audience whose address is not confirmed: skipped. */
  skippedUnverified: number;
};

export type TChosenMembers = { userIds: readonly string[]; emails: readonly string[] };

export async function listNotifyRecipients(
  projectId: string,
  audience: TNotifyAudience,
  chosen: TChosenMembers = { userIds: [], emails: [] },
): Promise<TNotifyRecipients> {
  const chosenUser = {
    OR: [
      { id: { in: [...chosen.userIds] } },
      // Stored addresses are lower-cased and NFKC-normalized (the User model); the chosen ones are lower-cased when parsed.
      { email: { in: chosen.emails.map((address) => address.normalize("NFKC")) } },
    ],
  };
  const memberships = await getDb().membership.findMany({
    where: {
      projectId,
      ...(audience === "owners_editors" ? { role: { in: ["OWNER", "EDITOR"] } } : {}),
      user: { kind: "PERSON", ...(audience === "chosen" ? chosenUser : {}) },
    },
    select: { user: { select: { id: true, email: true, emailVerified: true } } },
    orderBy: { createdAt: "asc" },
  });
  const verified = memberships.filter((membership) => membership.user.emailVerified !== null);
  return {
    recipients: verified.map((membership) => ({ userId: membership.user.id, email: membership.user.email })),
    skippedUnverified: memberships.length - verified.length,
  };
}
