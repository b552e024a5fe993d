import "server-only";
import type { TProjectRole } from "@/lib/auth/permissions";
import { getDb } from "../db";

export type TProjectSummary = { id: string; name: string; role: TProjectRole; memberCount: number; createdAt: Date };

/** The caller's projects, and only theirs. */
export async function listProjects(userId: string): Promise<TProjectSummary[]> {
  const memberships = await getDb().membership.findMany({
    where: { userId },
    select: {
      role: true,
      project: { select: { id: true, name: true, createdAt: true, _count: { select: { memberships: { where: { user: { kind: "PERSON" } } } } } } },
    },
    orderBy: { project: { name: "asc" } },
  });
  return memberships.map(({ role, project }) => ({
    id: project.id,
    name: project.name,
    role,
    memberCount: project._count.memberships,
    createdAt: project.createdAt,
  }));
}
