// GET /api/v1/runs: the key's project's runs, the run page's filters, keyset pages (runs:read).
import { apiJson, apiRoute } from "@/lib/api/v1/api-route";
import { toApiRunSummary } from "@/lib/api/v1/dto";
import { OPERATIONS } from "@/lib/api/v1/operations";
import { toRunSummaryJson } from "@/lib/runs/run-json";
import { listRuns } from "@/lib/server/runs/list-runs";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const operation = OPERATIONS.listRuns;

export const GET = apiRoute(operation, async ({ actor, query }) => {
  // listRuns parses the filter values itself (times, id prefix, cursor) and answers a
  // bad one with a 400 naming it.
  const page = await listRuns(actor.userId, actor.projectId, {
    status: query.status,
    trigger: query.trigger,
    flowId: query.flow_id,
    from: query.from,
    to: query.to,
    run: query.run,
    cursor: query.cursor,
    limit: query.limit,
  });
  return apiJson(operation, 200, { runs: page.runs.map((run) => toApiRunSummary(toRunSummaryJson(run))), next_cursor: page.nextCursor });
});
