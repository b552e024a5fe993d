import "server-only";
import { rolesWith, type TPermission } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/prisma/generated/client";

export function runsVisibleTo(userId: string, permission: TPermission): Prisma.FlowRunWhereInput {
  return { project: { memberships: { some: { userId, role: { in: rolesWith(permission) } } } } };
}

export function runNotFound(): AppError {
  return new AppError("NOT_FOUND", "Run not found.");
}
