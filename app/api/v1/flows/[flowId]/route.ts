// GET /api/v1/flows/{flowId}: one flow and a summary of its live version (flows:read).
import { notFound } from "@/lib/api/v1/api-errors";
import { apiJson, apiRoute } from "@/lib/api/v1/api-route";
import { toApiFlowDetail } from "@/lib/api/v1/dto";
import { OPERATIONS } from "@/lib/api/v1/operations";
import { ZFlowId } from "@/lib/flows/flow-schemas";
import { getFlow } from "@/lib/server/flows/get-flow";
import { getVersionDocument } from "@/lib/server/runs/version-document";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const operation = OPERATIONS.getFlow;

export const GET = apiRoute(operation, async ({ actor, params }) => {
  if (!ZFlowId.safeParse(params.flowId).success) throw notFound("Flow");
  // getFlow is scoped by the service user's membership (its key's project only); the
  // project check is a second lock on the same door.
  const flow = await getFlow(actor.userId, params.flowId);
  if (flow.projectId !== actor.projectId) throw notFound("Flow");
  // Read after getFlow authorized the flow; only node types and counts leave (no config).
  const document = flow.activeVersion ? await getVersionDocument(flow.activeVersion.id) : null;
  return apiJson(operation, 200, toApiFlowDetail(flow, document));
});
