// POST /api/v1/flows/{flowId}/runs: start a run of the published version (flows:run),
// idempotent with an Idempotency-Key (202 new run, 200 repeat, 409 in use, 422 reused).
import { ApiError, notFound } from "@/lib/api/v1/api-errors";
import { apiJson, apiRoute } from "@/lib/api/v1/api-route";
import { OPERATIONS } from "@/lib/api/v1/operations";
import { runPageUrl } from "@/lib/api/v1/run-url";
import { ZFlowId } from "@/lib/flows/flow-schemas";
import { IdempotencyError, startApiRun } from "@/lib/server/api/start-api-run";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const operation = OPERATIONS.startRun;

export const POST = apiRoute(operation, async ({ actor, params, headers, body, meta }) => {
  if (!ZFlowId.safeParse(params.flowId).success) throw notFound("Flow");
  try {
    const run = await startApiRun(actor, { flowId: params.flowId, payload: body.input ?? {}, idempotencyKey: headers["idempotency-key"] }, meta);
    const answer = { run: { id: run.runId, status: run.status, url: runPageUrl(run.projectId, run.runId) } };
    return run.replayed ? apiJson(operation, 200, answer, { "Idempotent-Replayed": "true" }) : apiJson(operation, 202, answer);
  } catch (error) {
    if (error instanceof IdempotencyError) {
      throw error.reason === "in_use" ? new ApiError(409, "IDEMPOTENCY_KEY_IN_USE", error.message) : new ApiError(422, "IDEMPOTENCY_KEY_REUSED", error.message);
    }
    throw error;
  }
});
