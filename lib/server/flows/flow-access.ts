import "server-only";
import { rolesWith, type TPermission } from "@/lib/auth/permissions";
import type { Prisma } from "@/prisma/generated/client";

/** The `where` that limits flows to projects where the user holds `permission`. */
export function flowsVisibleTo(userId: string, permission: TPermission): Prisma.FlowWhereInput {
  return { project: { memberships: { some: { userId, role: { in: rolesWith(permission) } } } } };
}
