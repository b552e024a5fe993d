import { toRunSummaryJson } from "@/lib/runs/run-json";
import { projectRoute } from "@/lib/server/http/project-route";
import { listRuns } from "@/lib/server/runs/list-runs";
import { ZListRunsInput } from "@/lib/server/runs/run-schemas";

export const dynamic = "force-dynamic";

/**
 * One page of the project's runs, newest first; `nextCursor` fetches the next. Strict
 * query: status, flowId, trigger, from, to (ISO times, UTC without an offset), run (an
 * id or its first 8+ characters), cursor, limit; anything else or a bad value is a 400
 * naming the problem.
 */
export const GET = projectRoute({ permission: "runs.read", query: ZListRunsInput }, async ({ user, project, request }) => {
  // listRuns parses the query itself (data functions are the authority); the route's
  // parse above answers 400 before any query runs.
  const page = await listRuns(user.id, project.projectId, Object.fromEntries(new URL(request.url).searchParams));
  return Response.json({ runs: page.runs.map(toRunSummaryJson), nextCursor: page.nextCursor }, { headers: { "Cache-Control": "no-store" } });
});
