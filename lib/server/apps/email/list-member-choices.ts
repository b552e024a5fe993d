import "server-only";
// The member picker of Email project members: the project's people (never API key
// service users), by name and address, for an editor choosing who a notification
// reaches. Editors and owners of that project only (flows.write); anyone else, and
// another project, reads as not found. It needs no connection: the list comes from
// the memberships, the same rows the step reads again when it runs.
import { ZProjectId } from "@/lib/projects/schemas";
import { z } from "@/lib/zod";
import { getDb } from "../../db";
import { parseInput } from "../../parse-input";
import { requireProjectPermission } from "../../projects/require-project-permission";

export const ZListMemberChoicesInput = z.strictObject({ projectId: ZProjectId });
export type TListMemberChoicesInput = z.input<typeof ZListMemberChoicesInput>;

export type TMemberChoice = {
  userId: string;
  name: string | null;
  email: string;
  role: string;
  /** False: the address is not confirmed, so the step skips this member until it is. */
  isConfirmed: boolean;
};

/** At most this many members are listed (a chosen list holds at most 100). */
const MAX_LISTED = 500;

export async function listMemberChoices(userId: string, rawInput: TListMemberChoicesInput): Promise<{ members: TMemberChoice[]; isComplete: boolean }> {
  const { projectId } = parseInput(ZListMemberChoicesInput, rawInput);
  await requireProjectPermission(userId, projectId, "flows.write");
  const rows = await getDb().membership.findMany({
    where: { projectId, user: { kind: "PERSON" } },
    select: { role: true, user: { select: { id: true, name: true, email: true, emailVerified: true } } },
    orderBy: { createdAt: "asc" },
    take: MAX_LISTED + 1,
  });
  return {
    members: rows.slice(0, MAX_LISTED).map((row) => ({
      userId: row.user.id,
      name: row.user.name,
      email: row.user.email,
      role: row.role,
      isConfirmed: row.user.emailVerified !== null,
    })),
    isComplete: rows.length <= MAX_LISTED,
  };
}
