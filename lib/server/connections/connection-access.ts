import "server-only";
// The authorization of every connection read and write by a person: the connection's
// project has a membership of this user with a role that holds the permission. The
// project always comes from the connection row, never from the caller.
import { rolesWith, type TPermission } from "@/lib/auth/permissions";

export function connectionVisibleTo(userId: string, permission: TPermission) {
  return { project: { memberships: { some: { userId, role: { in: rolesWith(permission) } } } } };
}

export function projectVisibleTo(userId: string, permission: TPermission) {
  return { memberships: { some: { userId, role: { in: rolesWith(permission) } } } };
}
