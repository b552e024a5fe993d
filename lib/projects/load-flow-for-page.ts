import "server-only";
import { notFound } from "next/navigation";
import { ZFlowId } from "@/lib/flows/flow-schemas";
import { getFlow } from "@/lib/server/flows/get-flow";
import { loadProjectForPage } from "./load-project-for-page";
import { orNotFound } from "./or-not-found";

/**
 * The project and one of its flows for a page, or 404 for a missing, foreign or
 * malformed id, and for a flow of another project than the one in the address.
 */
export async function loadFlowForPage(projectId: string, flowId: string, returnTo: string) {
  const { user, email, project } = await loadProjectForPage(projectId, returnTo);
  if (!ZFlowId.safeParse(flowId).success) notFound();
  const flow = await orNotFound(getFlow(user.id, flowId));
  if (flow.projectId !== project.id) notFound();
  return { email, project, user, flow };
}
