import "server-only";
import { notFound } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { ZFlowId } from "@/lib/flows/flow-schemas";
import type { TFlowView } from "@/lib/server/flows/flow-dto";
import { getFlow } from "@/lib/server/flows/get-flow";
import { loadProjectForPage } from "./load-project-for-page";

/**
 * The project and one of its flows for a page, or 404 for a missing, foreign or
 * malformed id, and for a flow of another project than the one in the address.
 */
export async function loadFlowForPage(projectId: string, flowId: string, returnTo: string) {
  const { email, project } = await loadProjectForPage(projectId, returnTo);
  if (!ZFlowId.safeParse(flowId).success) notFound();
  const user = (await getCurrentUser())!;
  let flow: TFlowView;
  try {
    flow = await getFlow(user.id, flowId);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  if (flow.projectId !== project.id) notFound();
  return { email, project, user, flow };
}
