import "server-only";
// Who may see and decide an approval: the project's owners and editors (runs.control).
// Anyone else, viewers included, finds nothing: not found, like a missing request.
import { rolesWith } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";

export function approvalsDecidableBy(userId: string) {
  return { project: { memberships: { some: { userId, role: { in: rolesWith("runs.control") } } } } };
}

export function approvalNotFound(): AppError {
  return new AppError("NOT_FOUND", "This approval request was not found.");
}

/** What a decided, expired or no longer waiting request says to a second decision. */
export function effectiveApprovalStatus(request: { status: string; expiresAt: Date }, now: Date): "PENDING" | "APPROVED" | "REJECTED" | "EXPIRED" {
  if (request.status === "PENDING" && request.expiresAt.getTime() <= now.getTime()) return "EXPIRED";
  return request.status as "PENDING" | "APPROVED" | "REJECTED" | "EXPIRED";
}
