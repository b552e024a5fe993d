import "server-only";
import { rolesWith, type TProjectRole } from "@/lib/auth/permissions";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";

export type TMemberView = {
  membershipId: string;
  name: string | null;
  email: string;
  role: TProjectRole;
  joinedAt: Date;
  isYou: boolean;
};

/** The project's members (people, not API keys) and how many invitations are open, for any member. */
export async function listMembers(userId: string, projectId: string): Promise<{ members: TMemberView[]; pendingInvitationCount: number }> {
  const project = await getDb().project.findFirst({
    where: { id: projectId, memberships: { some: { userId, role: { in: rolesWith("members.read") } } } },
    select: {
      // People only: an API key's service user is listed on the API keys page, not here.
      memberships: {
        where: { user: { kind: "PERSON" } },
        select: { id: true, role: true, createdAt: true, user: { select: { id: true, name: true, email: true } } },
        orderBy: { createdAt: "asc" },
      },
      _count: { select: { invitations: { where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } } } } },
    },
  });
  if (!project) throw projectNotFound();
  return {
    members: project.memberships.map((m) => ({
      membershipId: m.id,
      name: m.user.name,
      email: m.user.email,
      role: m.role,
      joinedAt: m.createdAt,
      isYou: m.user.id === userId,
    })),
    pendingInvitationCount: project._count.invitations,
  };
}
