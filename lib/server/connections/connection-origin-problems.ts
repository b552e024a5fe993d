import "server-only";
// Publish refuses a step whose fixed URL points its connection's credential at an origin
// the connection is not bound to (the run would refuse it anyway; this says so earlier).
import { allowedOriginsOf, stepOriginProblems, type TStepOriginProblem } from "@/lib/connections/connection-origins";
import { apiBaseUrlOf, appStepOriginProblems, type TAppStepOriginProblem } from "@/lib/apps/app-origins";
import type { TFlowDocument } from "@/lib/flows/document";
import type { Prisma } from "@/prisma/generated/client";

export async function connectionOriginProblems(
  tx: Pick<Prisma.TransactionClient, "connection">,
  projectId: string,
  document: TFlowDocument,
): Promise<(TStepOriginProblem | TAppStepOriginProblem)[]> {
  const ids = [...new Set(document.nodes.flatMap((node) => (typeof node.config.connectionId === "string" ? [node.config.connectionId] : [])))];
  if (ids.length === 0) return [];
  const rows = await tx.connection.findMany({ where: { projectId, id: { in: ids } }, select: { id: true, name: true, settings: true } });
  const connections = rows.map((row) => ({
    id: row.id,
    name: row.name,
    allowedOrigins: allowedOriginsOf(row.settings),
    apiBaseUrl: apiBaseUrlOf(row.settings),
  }));
  return [...stepOriginProblems(document.nodes, connections), ...appStepOriginProblems(document.nodes, connections)];
}
