// GET /api/v1/flows: the key's project's flows (flows:read).
import { apiJson, apiRoute } from "@/lib/api/v1/api-route";
import { toApiFlowSummary } from "@/lib/api/v1/dto";
import { OPERATIONS } from "@/lib/api/v1/operations";
import { listFlows } from "@/lib/server/flows/list-flows";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const operation = OPERATIONS.listFlows;

export const GET = apiRoute(operation, async ({ actor }) => {
  const flows = await listFlows(actor.userId, actor.projectId);
  return apiJson(operation, 200, { flows: flows.map(toApiFlowSummary) });
});
