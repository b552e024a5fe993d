import "server-only";
import { ZRenameFlowInput, type TRenameFlowInput } from "@/lib/flows/flow-schemas";
import { Prisma } from "@/prisma/generated/client";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";
import { duplicateFlowName } from "./create-flow";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";

export async function renameFlow(userId: string, raw: TRenameFlowInput, meta: TRequestMeta): Promise<void> {
  const input = parseInput(ZRenameFlowInput, raw);
  try {
    await getDb().$transaction(async (tx) => {
      const flow = await tx.flow.findFirst({
        where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
        select: { id: true, projectId: true, name: true },
      });
      if (!flow) throw flowNotFound();
      await tx.flow.update({ where: { id: flow.id }, data: { name: input.name, description: input.description } });
      if (flow.name !== input.name) {
        await recordAuditEvent(
          { action: "flow.renamed", userId, projectId: flow.projectId, meta, details: { flowId: flow.id, from: flow.name, to: input.name } },
          tx,
        );
      }
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") throw duplicateFlowName();
    throw error;
  }
}
