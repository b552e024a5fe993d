import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FlowEditor } from "@/components/editor/flow-editor";
import { ProjectBreadcrumb } from "@/components/projects/project-breadcrumb";
import { SiteHeader } from "@/components/ui/site-header";
import { getCurrentUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { ZFlowId } from "@/lib/flows/flow-schemas";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { listConnections } from "@/lib/server/connections/list-connections";
import type { TFlowView } from "@/lib/server/flows/flow-dto";
import { getFlow } from "@/lib/server/flows/get-flow";

export const metadata: Metadata = { title: "Flow editor" };

export default async function FlowEditorPage({ params }: { params: Promise<{ projectId: string; flowId: string }> }) {
  const { projectId, flowId } = await params;
  const { email, project } = await loadProjectForPage(projectId, `/projects/${projectId}/flows/${flowId}/edit`);
  if (!ZFlowId.safeParse(flowId).success) notFound();
  const user = (await getCurrentUser())!;
  let flow: TFlowView;
  try {
    flow = await getFlow(user.id, flowId);
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
  if (flow.projectId !== project.id) notFound();
  const canWrite = can(project.role, "flows.write");
  // Names, types and statuses only: the picker needs nothing else, and viewers get no more.
  const { connections } = await listConnections(user.id, project.id);
  const options = connections.map((connection) => ({
    id: connection.id,
    name: connection.name,
    type: connection.type,
    status: connection.status,
    provider: "provider" in connection ? connection.provider : null,
  }));

  return (
    <div className="flex h-dvh flex-col">
      <SiteHeader signedInAs={email} />
      <main id="main" className="flex min-h-0 flex-1 flex-col">
        <div className="border-b border-slate-200 px-4 py-2">
          <ProjectBreadcrumb project={project} page={flow.name} />
        </div>
        <FlowEditor
          // A reload after someone else saved starts from their draft.
          key={flow.draftRevision}
          projectId={project.id}
          flowId={flow.id}
          flowName={flow.name}
          document={flow.draft}
          revision={flow.draftRevision}
          canWrite={canWrite}
          connections={options}
        />
      </main>
    </div>
  );
}
