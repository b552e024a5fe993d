import "server-only";
import { rolesWith } from "@/lib/auth/permissions";
import { getDb } from "../db";
import { projectNotFound } from "../projects/project-not-found";
import type { TFlowSummary } from "./flow-dto";

/** The project's flows, for any member. */
export async function listFlows(userId: string, projectId: string): Promise<TFlowSummary[]> {
  const project = await getDb().project.findFirst({
    where: { id: projectId, memberships: { some: { userId, role: { in: rolesWith("flows.read") } } } },
    select: {
      flows: {
        select: {
          id: true,
          name: true,
          description: true,
          isActive: true,
          updatedAt: true,
          versions: { select: { number: true }, orderBy: { number: "desc" }, take: 1 },
        },
        orderBy: { name: "asc" },
      },
    },
  });
  if (!project) throw projectNotFound();
  return project.flows.map((flow) => ({
    id: flow.id,
    name: flow.name,
    description: flow.description,
    isActive: flow.isActive,
    latestVersion: flow.versions[0]?.number ?? null,
    updatedAt: flow.updatedAt,
  }));
}
