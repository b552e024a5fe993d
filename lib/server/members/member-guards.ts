import "server-only";
// Shared by the membership changes (internal to lib/server/members).
import { rolesWith } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { LAST_OWNER_MESSAGE } from "@/lib/projects/member-schemas";
import type { Prisma } from "@/prisma/generated/client";
import { projectNotFound } from "../projects/project-not-found";

/**
 * The `where` of a person's membership in a project the user manages members of. An
 * API key's service user (kind API_KEY) is never a target: its membership comes and
 * goes with its key (made and revoked on the API keys page), so role changes, removal
 * and ownership transfer read it as not found.
 */
export function managedMembership(membershipId: string, userId: string) {
  return {
    id: membershipId,
    user: { kind: "PERSON" as const },
    project: { memberships: { some: { userId, role: { in: rolesWith("members.manage") } } } },
  };
}

/**
 * Locks the project row for the rest of the transaction. Every change that can take
 * away an owner takes this lock first, so two owners demoting each other at the same
 * moment are serialized and the owner count read after it stays true until commit.
 */
export async function lockProject(tx: Prisma.TransactionClient, projectId: string): Promise<void> {
  await tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId}::uuid FOR UPDATE`;
}

/** Refuses a change that would leave the project without an owner. Call after lockProject. */
export async function assertOwnerRemains(tx: Prisma.TransactionClient, projectId: string, losingRole: string): Promise<void> {
  if (losingRole !== "OWNER") return;
  const owners = await tx.membership.count({ where: { projectId, role: "OWNER" } });
  if (owners <= 1) throw new AppError("CONFLICT", LAST_OWNER_MESSAGE);
}

/**
 * Finds the target membership (authorized by the actor's role in its project), locks
 * its project, and reads it again under the lock.
 */
export async function findManagedMembershipLocked(tx: Prisma.TransactionClient, membershipId: string, userId: string) {
  const select = { id: true, projectId: true, userId: true, role: true } as const;
  const first = await tx.membership.findFirst({ where: managedMembership(membershipId, userId), select });
  if (!first) throw projectNotFound();
  await lockProject(tx, first.projectId);
  const target = await tx.membership.findFirst({ where: managedMembership(membershipId, userId), select });
  if (!target) throw projectNotFound();
  return target;
}
