import type { Metadata } from "next";
import Link from "next/link";
import { BillingBanner } from "@/app/projects/[projectId]/billing-banner";
import { RunsFilterForm, type TRunsFilterValues } from "@/components/runs/runs-filter-form";
import { RunsTable } from "@/components/runs/runs-table";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { toRunSummaryJson } from "@/lib/runs/run-json";
import { listFlows } from "@/lib/server/flows/list-flows";
import { listRuns } from "@/lib/server/runs/list-runs";
import { ZListRunsInput } from "@/lib/server/runs/run-schemas";

export const metadata: Metadata = { title: "Runs" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

const FILTER_KEYS = ["run", "status", "flowId", "trigger", "from", "to"] as const;

export default async function RunsPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: TSearchParams }) {
  const { projectId } = await params;
  const search = await searchParams;
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}/runs`);
  const base = `/projects/${project.id}/runs`;
  // Strict, like the API: an unknown parameter or a bad value is shown, never ignored.
  const query = Object.fromEntries(Object.entries(search).filter(([, value]) => value !== undefined));
  const filter = ZListRunsInput.safeParse(query);
  const values: TRunsFilterValues = Object.fromEntries(
    FILTER_KEYS.flatMap((key) => (typeof search[key] === "string" && search[key] !== "" ? [[key, search[key]]] : [])),
  );
  const hasFilters = Object.keys(values).length > 0;
  // A time given in another form (the API's ISO with Z) is shown the way the datetime
  // field takes it: to the minute (a field with seconds would refuse to submit at the default step).
  const shown: TRunsFilterValues = { ...values };
  if (filter.success) {
    for (const key of ["from", "to"] as const) {
      const date = filter.data[key];
      if (date) shown[key] = date.toISOString().slice(0, 16);
    }
  }
  const [page, flows] = await Promise.all([filter.success ? listRuns(user.id, project.id, query) : null, listFlows(user.id, project.id)]);
  const hrefWith = (extra: Record<string, string> = {}) => {
    const query = new URLSearchParams({ ...values, ...extra }).toString();
    return query ? `${base}?${query}` : base;
  };
  const olderHref = page?.nextCursor ? hrefWith({ cursor: page.nextCursor }) : null;
  const isLaterPage = filter.success && filter.data.cursor !== undefined;

  return (
    <>
      <main id="main" className="mx-auto max-w-5xl space-y-6 px-4 py-10">
        <h1 className="text-2xl font-semibold">Runs</h1>
        <BillingBanner userId={user.id} project={project} />
        <RunsFilterForm action={base} values={shown} flows={flows} hasFilters={hasFilters} />
        {!filter.success ? (
          <div role="alert" className="space-y-2 rounded-md border border-red-300 bg-red-50 p-4 text-red-900" data-testid="runs-filter-error">
            <p>{filter.error.issues[0]?.message ?? "These filters are not valid."}</p>
            <Link href={base} className="inline-block text-brand-600 underline">
              Clear filters
            </Link>
          </div>
        ) : page && page.runs.length === 0 ? (
          <div className="space-y-2 rounded-md border border-dashed border-slate-300 p-4 text-slate-700" data-testid="runs-empty">
            {isLaterPage ? (
              <p>No older runs.</p>
            ) : hasFilters ? (
              <>
                <p>No runs match these filters.</p>
                <Link href={base} className="inline-block text-brand-600 underline">
                  Clear filters
                </Link>
              </>
            ) : (
              <>
                <p>No runs yet. A run starts when a published flow is triggered: open a flow and choose Run now.</p>
                <Link href={`/projects/${project.id}/flows`} className="inline-block text-brand-600 underline">
                  Go to flows
                </Link>
              </>
            )}
          </div>
        ) : page ? (
          <RunsTable projectId={project.id} runs={page.runs.map(toRunSummaryJson)} now={new Date()} />
        ) : null}
        <nav aria-label="Pages of runs" className="flex flex-wrap gap-x-6 gap-y-2">
          {isLaterPage ? (
            <Link href={hrefWith()} className="text-brand-600 underline">
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
