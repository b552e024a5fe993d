import "server-only";
import type { TProjectRole } from "@/lib/auth/permissions";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import { managedBy } from "./invitation-token";

export type TInvitationView = { id: string; email: string; role: TProjectRole; createdAt: Date; expiresAt: Date; isExpired: boolean };

/** Open invitations (not accepted, not revoked; expired ones too, to resend). Owners only. */
export async function listInvitations(userId: string, projectId: string): Promise<TInvitationView[]> {
  const project = await getDb().project.findFirst({
    where: { id: projectId, ...managedBy(userId) },
    select: {
      invitations: {
        where: { acceptedAt: null, revokedAt: null },
        select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
        orderBy: { createdAt: "desc" },
      },
    },
  });
  if (!project) throw projectNotFound();
  const now = Date.now();
  return project.invitations.map((invitation) => ({ ...invitation, isExpired: invitation.expiresAt.getTime() <= now }));
}
