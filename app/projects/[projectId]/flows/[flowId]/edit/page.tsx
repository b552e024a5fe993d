import type { Metadata } from "next";
import { FlowEditor } from "@/components/editor/flow-editor";
import { ProjectBreadcrumb } from "@/components/projects/project-breadcrumb";
import { SiteHeader } from "@/components/ui/site-header";
import { apiBaseUrlOf } from "@/lib/apps/app-origins";
import { can } from "@/lib/auth/permissions";
import { allowedOriginsOf } from "@/lib/connections/connection-origins";
import { loadFlowForPage } from "@/lib/projects/load-flow-for-page";
import { listConnections } from "@/lib/server/connections/list-connections";
import { listStepSamples } from "@/lib/server/flows/list-step-samples";
import { getWebhookSettings } from "@/lib/server/webhooks/get-webhook-settings";

export const metadata: Metadata = { title: "Flow editor" };

export default async function FlowEditorPage({ params }: { params: Promise<{ projectId: string; flowId: string }> }) {
  const { projectId, flowId } = await params;
  const { email, project, user, flow } = await loadFlowForPage(projectId, flowId, `/projects/${projectId}/flows/${flowId}/edit`);
  const canWrite = can(project.role, "flows.write");
  // Names, types and statuses, and for editors the allowed origins (the problems panel
  // flags a step aimed elsewhere): the picker needs nothing else, and viewers get no more.
  const { connections } = await listConnections(user.id, project.id);
  const options = connections.map((connection) => ({
    id: connection.id,
    name: connection.name,
    type: connection.type,
    status: connection.status,
    provider: "provider" in connection ? connection.provider : null,
    ...("settings" in connection ? { allowedOrigins: allowedOriginsOf(connection.settings), apiBaseUrl: apiBaseUrlOf(connection.settings) } : {}),
  }));
  // Scrubbed sample outputs for the data-mapping picker (what a run page would show).
  const samples = await listStepSamples(user.id, flow.id);
  // Loaded whether or not the draft has a webhook trigger yet: one added in the editor
  // can get its address at once (hint and settings only; the address is never stored).
  const webhook = await getWebhookSettings(user.id, flow.id);

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
          samples={samples}
          webhook={webhook}
        />
      </main>
    </div>
  );
}
