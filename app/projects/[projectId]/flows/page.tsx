import type { Metadata } from "next";
import { CreateFlowForm } from "@/components/flows/create-flow-form";
import { FlowsList } from "@/components/flows/flows-list";
import { ImportFlowForm } from "@/components/flows/import-flow-form";
import { can } from "@/lib/auth/permissions";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { listFlows } from "@/lib/server/flows/list-flows";

export const metadata: Metadata = { title: "Flows" };

export default async function FlowsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}/flows`);
  const canWrite = can(project.role, "flows.write");
  const flows = await listFlows(user.id, project.id);

  return (
    <>
      <main id="main" className="mx-auto max-w-3xl space-y-8 px-4 py-10">
        <section aria-labelledby="flows-heading" className="space-y-4">
          <h1 id="flows-heading" className="text-2xl font-semibold">
            Flows
          </h1>
          {flows.length === 0 ? (
            <div className="space-y-2 rounded-md border border-dashed border-slate-300 p-4 text-slate-700" data-testid="flows-empty">
              <p>
                A flow is a trigger (someone clicking Run now, a webhook call or a schedule) followed by the steps it runs: transform data, branch on a
                condition, wait, call an API. Each run is logged with secrets removed.
              </p>
              <p className="text-sm">{canWrite ? "Create your first flow below." : "No flows yet. Editors and owners can create them."}</p>
            </div>
          ) : (
            <FlowsList
              projectId={project.id}
              now={new Date()}
              flows={flows.map((flow) => ({
                id: flow.id,
                name: flow.name,
                description: flow.description,
                isActive: flow.isActive,
                latestVersion: flow.latestVersion,
                updatedAt: flow.updatedAt.toISOString(),
              }))}
            />
          )}
        </section>
        {canWrite ? (
          <section aria-labelledby="create-flow-heading" className="space-y-3">
            <h2 id="create-flow-heading" className="text-lg font-semibold">
              Create flow
            </h2>
            <CreateFlowForm projectId={project.id} />
          </section>
        ) : null}
        {canWrite ? (
          <section aria-labelledby="import-flow-heading" className="space-y-3">
            <h2 id="import-flow-heading" className="text-lg font-semibold">
              Import a flow
            </h2>
            <ImportFlowForm projectId={project.id} />
          </section>
        ) : null}
      </main>
    </>
  );
}
