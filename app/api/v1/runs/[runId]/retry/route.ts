// POST /api/v1/runs/{runId}/retry (runs:write): from the failed step, or from the start.
import { notFound } from "@/lib/api/v1/api-errors";
import { apiJson, apiRoute } from "@/lib/api/v1/api-route";
import { OPERATIONS } from "@/lib/api/v1/operations";
import { runPageUrl } from "@/lib/api/v1/run-url";
import { rerunRun, retryRunFromFailedStep } from "@/lib/server/runs/rerun-run";
import { ZRunId } from "@/lib/server/runs/run-schemas";
import { getRun } from "@/lib/server/runs/get-run";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const operation = OPERATIONS.retryRun;

export const POST = apiRoute(operation, async ({ actor, params, body, meta }) => {
  if (!ZRunId.safeParse(params.runId).success) throw notFound("Run");
  // Both are scoped by the service user's membership (runs.control): the key's project only.
  const { runId } =
    body.mode === "from_start"
      ? await rerunRun(actor.userId, { runId: params.runId, version: body.version ?? "pinned" }, meta)
      : await retryRunFromFailedStep(actor.userId, { runId: params.runId }, meta);
  const run = await getRun(actor.userId, runId);
  return apiJson(operation, 202, { run: { id: runId, status: run.status, url: runPageUrl(run.projectId, runId) } });
});
