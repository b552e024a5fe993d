// Downloads a flow's draft as a Vaultflow flow file (members of its project).
import { requireUser } from "@/lib/auth/current-user";
import { ZFlowId } from "@/lib/flows/flow-schemas";
import { flowFileName } from "@/lib/flows/flow-file";
import { exportFlow } from "@/lib/server/flows/export-flow";
import { flowNotFound } from "@/lib/server/flows/flow-not-found";
import { jsonRoute } from "@/lib/server/http/json-route";

export const dynamic = "force-dynamic";

export const GET = jsonRoute(async (_request: Request, context: { params: Promise<{ flowId: string }> }) => {
  const user = await requireUser();
  const { flowId } = await context.params;
  if (!ZFlowId.safeParse(flowId).success) throw flowNotFound();
  const file = await exportFlow(user.id, flowId);
  return new Response(JSON.stringify(file, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${flowFileName(file.name ?? "flow")}"`,
      "cache-control": "no-store",
    },
  });
});
