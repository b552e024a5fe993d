import "server-only";
import type { TProjectRole } from "@/lib/auth/permissions";
import { getDb } from "../db";
import { projectNotFound } from "./project-not-found";

export type TProjectView = { id: string; name: string; role: TProjectRole; createdAt: Date };

/** A project the caller is a member of, with their role; anything else is "not found". */
export async function getProject(userId: string, projectId: string): Promise<TProjectView> {
  const project = await getDb().project.findFirst({
    where: { id: projectId, memberships: { some: { userId } } },
    select: { id: true, name: true, createdAt: true, memberships: { where: { userId }, select: { role: true } } },
  });
  const role = project?.memberships[0]?.role;
  if (!project || !role) throw projectNotFound();
  return { id: project.id, name: project.name, createdAt: project.createdAt, role };
}
