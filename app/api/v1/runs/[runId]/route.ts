// GET /api/v1/runs/{runId}: a run with its scrubbed step records (runs:read).
import { notFound } from "@/lib/api/v1/api-errors";
import { apiJson, apiRoute } from "@/lib/api/v1/api-route";
import { toApiRunDetail } from "@/lib/api/v1/dto";
import { OPERATIONS } from "@/lib/api/v1/operations";
import { toRunJson } from "@/lib/runs/run-json";
import { getRun } from "@/lib/server/runs/get-run";
import { ZRunId } from "@/lib/server/runs/run-schemas";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const operation = OPERATIONS.getRun;

export const GET = apiRoute(operation, async ({ actor, params }) => {
  if (!ZRunId.safeParse(params.runId).success) throw notFound("Run");
  // The run page's own data: records were scrubbed before they were stored.
  const view = await getRun(actor.userId, params.runId);
  if (view.projectId !== actor.projectId) throw notFound("Run");
  return apiJson(operation, 200, toApiRunDetail(toRunJson(view, new Date())));
});
