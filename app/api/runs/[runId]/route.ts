import { requireUser } from "@/lib/auth/current-user";
import { toRunJson } from "@/lib/runs/run-json";
import { jsonRoute } from "@/lib/server/http/json-route";
import { getRun } from "@/lib/server/runs/get-run";
import { runNotFound } from "@/lib/server/runs/run-access";
import { ZRunId } from "@/lib/server/runs/run-schemas";

export const dynamic = "force-dynamic";

/**
 * One run with its timeline and scrubbed step records, for any member of its project
 * (the run page polls this while the run is in progress). Others get 404.
 */
export const GET = jsonRoute(async (_request: Request, context: { params: Promise<{ runId: string }> }) => {
  const user = await requireUser();
  const { runId } = await context.params;
  if (!ZRunId.safeParse(runId).success) throw runNotFound();
  const view = await getRun(user.id, runId);
  return Response.json(toRunJson(view, new Date()), { headers: { "Cache-Control": "no-store" } });
});
