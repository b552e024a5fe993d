import "server-only";
import { rolesWith } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import type { TDeleteProjectInput } from "@/lib/projects/schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { projectNotFound } from "./project-not-found";

/**
 * Deletes a project and everything in it (memberships, invitations; flows, runs and
 * connections cascade as they arrive). Owners only, after typing the project's name.
 * The audit events stay: they name the project by id and keep its name.
 */
export async function deleteProject(userId: string, input: TDeleteProjectInput, meta: TRequestMeta): Promise<void> {
  await getDb().$transaction(async (tx) => {
    const project = await tx.project.findFirst({
      where: { id: input.projectId, memberships: { some: { userId, role: { in: rolesWith("project.delete") } } } },
      select: { name: true },
    });
    if (!project) throw projectNotFound();
    if (input.confirmName.trim() !== project.name) {
      throw new AppError("BAD_INPUT", "Type the project's name exactly to delete it.", {
        confirmName: ["Type the project's name exactly to delete it."],
      });
    }
    // The project's API keys go with it by cascade; their service users (members of
    // this project only, unable to sign in) would be left behind with nothing to do.
    await tx.user.deleteMany({ where: { kind: "API_KEY", apiKey: { projectId: input.projectId } } });
    await tx.project.delete({ where: { id: input.projectId } });
    await recordAuditEvent({ action: "project.deleted", userId, projectId: input.projectId, meta, details: { name: project.name } }, tx);
  });
}
