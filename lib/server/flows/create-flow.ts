import "server-only";
import { rolesWith } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { emptyFlowDocument } from "@/lib/flows/document";
import { ZCreateFlowInput, type TCreateFlowInput } from "@/lib/flows/flow-schemas";
import { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import { documentJson } from "./document-json";
import { projectNotFound } from "../projects/project-not-found";
import type { TRequestMeta } from "../request-meta";

export function duplicateFlowName(): AppError {
  return new AppError("CONFLICT", "A flow with this name already exists in the project.", { name: ["A flow with this name already exists in the project."] });
}

/** A new flow with a manual trigger, for editors and owners of the project. */
export async function createFlow(userId: string, raw: TCreateFlowInput, meta: TRequestMeta): Promise<{ id: string; name: string }> {
  const input = parseInput(ZCreateFlowInput, raw);
  try {
    return await getDb().$transaction(async (tx) => {
      const project = await tx.project.findFirst({
        where: { id: input.projectId, memberships: { some: { userId, role: { in: rolesWith("flows.write") } } } },
        select: { id: true },
      });
      if (!project) throw projectNotFound();
      const flow = await tx.flow.create({
        data: {
          projectId: project.id,
          name: input.name,
          description: input.description,
          draft: documentJson(emptyFlowDocument()),
          createdById: userId,
        },
        select: { id: true, name: true },
      });
      await recordAuditEvent({ action: "flow.created", userId, projectId: project.id, meta, details: { flowId: flow.id, name: flow.name } }, tx);
      return flow;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw duplicateFlowName();
    throw error;
  }
}
