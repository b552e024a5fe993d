import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ProjectBreadcrumb } from "@/components/projects/project-breadcrumb";
import { RunsTable } from "@/components/runs/runs-table";
import { SiteHeader } from "@/components/ui/site-header";
import { getCurrentUser } from "@/lib/auth/current-user";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { toRunSummaryJson } from "@/lib/runs/run-json";
import { listFlows } from "@/lib/server/flows/list-flows";
import { listRuns } from "@/lib/server/runs/list-runs";
import { ZListRunsInput } from "@/lib/server/runs/run-schemas";

export const metadata: Metadata = { title: "Runs" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

const single = (value: string | string[] | undefined) => (typeof value === "string" && value !== "" ? value : undefined);

export default async function RunsPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: TSearchParams }) {
  const { projectId } = await params;
  const search = await searchParams;
  const { email, project } = await loadProjectForPage(projectId, `/projects/${projectId}/runs`);
  const filter = ZListRunsInput.safeParse({ flowId: single(search.flowId), cursor: single(search.cursor) });
  if (!filter.success) notFound();
  const user = (await getCurrentUser())!;
  const [page, flows] = await Promise.all([listRuns(user.id, project.id, filter.data), listFlows(user.id, project.id)]);
  const flowId = filter.data.flowId;
  const olderHref = page.nextCursor
    ? `/projects/${project.id}/runs?${new URLSearchParams({ ...(flowId ? { flowId } : {}), cursor: page.nextCursor })}`
    : null;
  const firstHref = `/projects/${project.id}/runs${flowId ? `?flowId=${flowId}` : ""}`;

  return (
    <>
      <SiteHeader signedInAs={email} />
      <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-10">
        <ProjectBreadcrumb project={project} page="Runs" />
        <h1 className="text-2xl font-semibold">Runs</h1>
        {flows.length > 0 ? (
          <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter runs">
            <div>
              <label htmlFor="run-flow-filter" className="block text-sm font-medium">
                Flow
              </label>
              <select
                id="run-flow-filter"
                name="flowId"
                defaultValue={flowId ?? ""}
                className="mt-1 block max-w-full rounded-md border border-slate-300 px-3 py-2 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30"
              >
                <option value="">All flows</option>
                {flows.map((flow) => (
                  <option key={flow.id} value={flow.id}>
                    {flow.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-50">
              Show runs
            </button>
          </form>
        ) : null}
        {page.runs.length === 0 ? (
          <div className="space-y-2 rounded-md border border-dashed border-slate-300 p-4 text-slate-700" data-testid="runs-empty">
            {filter.data.cursor ? (
              <p>No older runs.</p>
            ) : flowId ? (
              <p>This flow has not run yet.</p>
            ) : (
              <p>No runs yet. A run starts when a published flow is triggered: open a flow and choose Run now.</p>
            )}
            <Link href={`/projects/${project.id}/flows`} className="inline-block text-brand-600 underline">
              Go to flows
            </Link>
          </div>
        ) : (
          <RunsTable projectId={project.id} runs={page.runs.map(toRunSummaryJson)} now={new Date()} />
        )}
        <nav aria-label="Pages of runs" className="flex flex-wrap gap-x-6 gap-y-2">
          {filter.data.cursor ? (
            <Link href={firstHref} className="text-brand-600 underline">
              Newest runs
            </Link>
          ) : null}
          {olderHref ? (
            <Link href={olderHref} className="text-brand-600 underline">
              Older runs
            </Link>
          ) : null}
        </nav>
      </main>
    </>
  );
}
