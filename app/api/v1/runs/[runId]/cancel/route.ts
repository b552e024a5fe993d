// POST /api/v1/runs/{runId}/cancel (runs:write).
import { notFound } from "@/lib/api/v1/api-errors";
import { apiJson, apiRoute } from "@/lib/api/v1/api-route";
import { OPERATIONS } from "@/lib/api/v1/operations";
import { cancelRun } from "@/lib/server/runs/cancel-run";
import { ZRunId } from "@/lib/server/runs/run-schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const operation = OPERATIONS.cancelRun;

export const POST = apiRoute(operation, async ({ actor, params, meta }) => {
  if (!ZRunId.safeParse(params.runId).success) throw notFound("Run");
  // Scoped by the service user's membership: the key's project only.
  const { status } = await cancelRun(actor.userId, { runId: params.runId }, meta);
  return apiJson(operation, 200, { run: { id: params.runId, status } });
});
