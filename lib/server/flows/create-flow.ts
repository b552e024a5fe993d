import "server-only";
import { rolesWith } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { emptyFlowDocument } from "@/lib/flows/document";
import { findTemplate } from "@/lib/templates/catalog";
import { UNKNOWN_TEMPLATE_MESSAGE, ZNewFlowInput, type TNewFlowInput } from "@/lib/templates/schemas";
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

/**
 * A new flow for editors and owners of the project: a manual trigger, or a template's
 * document. The template is looked up here by its id (the client never sends a
 * document); its steps that need a connection are left without one, for the person to choose.
 */
export async function createFlow(userId: string, raw: TNewFlowInput, meta: TRequestMeta): Promise<{ id: string; name: string }> {
  const input = parseInput(ZNewFlowInput, raw);
  const template = input.templateId === undefined ? null : findTemplate(input.templateId);
  if (template === undefined) throw new AppError("BAD_INPUT", UNKNOWN_TEMPLATE_MESSAGE, { templateId: [UNKNOWN_TEMPLATE_MESSAGE] });
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
          draft: documentJson(template ? template.document() : emptyFlowDocument()),
          createdById: userId,
        },
        select: { id: true, name: true },
      });
      await recordAuditEvent(
        {
          action: "flow.created",
          userId,
          projectId: project.id,
          meta,
          details: { flowId: flow.id, name: flow.name, ...(template ? { templateId: template.id } : {}) },
        },
        tx,
      );
      return flow;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw duplicateFlowName();
    throw error;
  }
}
