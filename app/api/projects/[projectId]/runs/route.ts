import { toRunSummaryJson } from "@/lib/runs/run-json";
import { projectRoute } from "@/lib/server/http/project-route";
import { listRuns } from "@/lib/server/runs/list-runs";
import { ZListRunsInput } from "@/lib/server/runs/run-schemas";

export const dynamic = "force-dynamic";

/** One page of the project's runs, newest first; `nextCursor` fetches the next (strict query: flowId, cursor, limit). */
export const GET = projectRoute({ permission: "runs.read", query: ZListRunsInput }, async ({ user, project, query }) => {
  const page = await listRuns(user.id, project.projectId, query);
  return Response.json({ runs: page.runs.map(toRunSummaryJson), nextCursor: page.nextCursor }, { headers: { "Cache-Control": "no-store" } });
});
