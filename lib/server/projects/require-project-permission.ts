import "server-only";
import { rolesWith, type TPermission, type TProjectRole } from "@/lib/auth/permissions";
import { getDb } from "../db";
import { projectNotFound } from "./project-not-found";

export type TProjectAccess = { projectId: string; role: TProjectRole };

/**
 * The caller's role in a project when that role holds `permission`; otherwise "not
 * found", exactly as for a project that does not exist.
 */
export async function requireProjectPermission(userId: string, projectId: string, permission: TPermission): Promise<TProjectAccess> {
  const membership = await getDb().membership.findFirst({
    where: { userId, projectId, role: { in: rolesWith(permission) } },
    select: { projectId: true, role: true },
  });
  if (!membership) throw projectNotFound();
  return membership;
}
