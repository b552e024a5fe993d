import type { Metadata } from "next";
import Link from "next/link";
import { BillingBanner } from "@/app/projects/[projectId]/billing-banner";
import { ConnectionStatusBadge } from "@/components/connections/connection-status-badge";
import { RunStatusBadge } from "@/components/runs/run-status-badge";
import { can } from "@/lib/auth/permissions";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { formatRelative, formatUtc } from "@/lib/runs/format-time";
import { listConnections } from "@/lib/server/connections/list-connections";
import { listFlows } from "@/lib/server/flows/list-flows";
import { listRuns } from "@/lib/server/runs/list-runs";

export const metadata: Metadata = { title: "Project" };

/** The home lists a few of each; the section pages hold the rest. */
const FLOWS_SHOWN = 8;
const RUNS_SHOWN = 8;
const CONNECTIONS_SHOWN = 8;

const LINK = "font-medium text-brand-700 underline-offset-2 hover:underline";
const BUTTON = "inline-block rounded-md bg-brand-600 px-3 py-2 text-sm font-medium text-white hover:bg-brand-700";

function When({ date, now }: { date: Date; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={formatUtc(date)}>
      {formatRelative(date, now)}
    </time>
  );
}

function SectionHeading({ id, title, href, linkLabel }: { id: string; title: string; href: string; linkLabel: string | null }) {
  return (
    <div className="flex flex-wrap items-baseline justify-between gap-2">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {linkLabel ? (
        <Link href={href} className={`text-sm ${LINK}`}>
          {linkLabel}
        </Link>
      ) : null}
    </div>
  );
}

function Empty({ testId, children }: { testId: string; children: React.ReactNode }) {
  return (
    <div className="mt-3 space-y-3 rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-700" data-testid={testId}>
      {children}
    </div>
  );
}

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}`);
  const base = `/projects/${project.id}`;
  const canWriteFlows = can(project.role, "flows.write");
  const canWriteConnections = can(project.role, "connections.write");
  const [flows, { runs }, { connections }] = await Promise.all([
    listFlows(user.id, project.id),
    listRuns(user.id, project.id, { limit: RUNS_SHOWN }),
    listConnections(user.id, project.id),
  ]);
  const shownFlows = flows.slice(0, FLOWS_SHOWN);
  // Each flow's latest run: one index range per flow ((flowId, createdAt, id)), a few flows at most.
  const lastRuns = await Promise.all(
    shownFlows.map((flow) => listRuns(user.id, project.id, { flowId: flow.id, limit: 1 }).then((page) => page.runs[0] ?? null)),
  );
  const now = new Date();

  return (
    <main id="main" className="mx-auto max-w-5xl px-4 py-8">
      <h1 className="text-2xl font-semibold break-words" data-testid="project-name">
        {project.name}
      </h1>
      <div className="mt-4 empty:hidden">
        <BillingBanner userId={user.id} project={project} />
      </div>

      <div className="mt-6 grid gap-8 lg:grid-cols-2">
        <section aria-labelledby="home-flows" className="lg:col-span-2" data-testid="home-flows">
          <SectionHeading id="home-flows" title="Flows" href={`${base}/flows`} linkLabel={flows.length > 0 ? `All flows (${flows.length})` : null} />
          {flows.length === 0 ? (
            <Empty testId="home-flows-empty">
              <p>
                <strong>No flows yet.</strong> A flow is a trigger (a webhook call, a schedule or Run now) followed by the steps it runs.
              </p>
              {canWriteFlows ? (
                <Link href={`${base}/flows`} className={BUTTON}>
                  Create a flow
                </Link>
              ) : (
                <p>Editors and owners of this project can create flows.</p>
              )}
            </Empty>
          ) : (
            <ul className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200">
              {shownFlows.map((flow, index) => {
                const lastRun = lastRuns[index];
                return (
                  <li key={flow.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-3" data-testid="home-flow">
                    <Link href={`${base}/flows/${flow.id}`} className={`min-w-0 break-words ${LINK}`}>
                      {flow.name}
                    </Link>
                    <span className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
                      <span
                        className={`rounded-full px-2.5 py-0.5 font-medium ${flow.isActive ? "bg-green-100 text-green-900" : "bg-slate-100 text-slate-800"}`}
                        data-testid="flow-active"
                      >
                        {flow.isActive ? "Active" : "Inactive"}
                      </span>
                      <span data-testid="flow-last-run">
                        {lastRun ? (
                          <>
                            Last run <When date={lastRun.createdAt} now={now} />
                          </>
                        ) : (
                          "Never run"
                        )}
                      </span>
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </section>

        <section aria-labelledby="home-runs" data-testid="home-runs">
          <SectionHeading id="home-runs" title="Recent runs" href={`${base}/runs`} linkLabel={runs.length > 0 ? "All runs" : null} />
          {runs.length === 0 ? (
            <Empty testId="home-runs-empty">
              <p>
                <strong>No runs yet.</strong>{" "}
                {flows.length === 0 ? "Runs appear here once a flow has run." : "Publish a flow, then run it from its page with Run now, or call its webhook."}
              </p>
              {flows.length > 0 ? (
                <Link href={`${base}/flows/${flows[0]!.id}`} className={LINK}>
                  Open {flows[0]!.name}
                </Link>
              ) : null}
            </Empty>
          ) : (
            <ul className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200">
              {runs.map((run) => (
                <li key={run.id} data-testid="home-run">
                  <Link
                    href={`${base}/runs/${run.id}`}
                    className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1 px-4 py-3 hover:bg-slate-50 focus-visible:bg-slate-50"
                  >
                    <span className="flex min-w-0 items-center gap-3">
                      <RunStatusBadge status={run.status} isSleeping={run.isSleeping} wakeAt={run.wakeAt?.toISOString() ?? null} />
                      <span className="min-w-0 font-medium break-words text-brand-700 underline-offset-2 hover:underline">{run.flowName}</span>
                    </span>
                    <span className="text-sm text-slate-600">
                      <When date={run.createdAt} now={now} />
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="home-connections" data-testid="home-connections">
          <SectionHeading
            id="home-connections"
            title="Connections"
            href={`${base}/connections`}
            linkLabel={connections.length > 0 ? `All connections (${connections.length})` : null}
          />
          {connections.length === 0 ? (
            <Empty testId="home-connections-empty">
              <p>
                <strong>No connections yet.</strong> A connection holds the sign-in or API key a flow uses to reach another system, stored encrypted.
              </p>
              {canWriteConnections ? (
                <Link href={`${base}/connections/new`} className={BUTTON}>
                  Add a connection
                </Link>
              ) : (
                <p>Editors and owners of this project can add connections.</p>
              )}
            </Empty>
          ) : (
            <ul className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200">
              {connections.slice(0, CONNECTIONS_SHOWN).map((connection) => (
                <li key={connection.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-3" data-testid="home-connection">
                  <Link href={`${base}/connections/${connection.id}`} className={`min-w-0 break-words ${LINK}`}>
                    {connection.name}
                  </Link>
                  <ConnectionStatusBadge health={connection.health} showDetail={false} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </main>
  );
}
