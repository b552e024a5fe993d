import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AuditEventList } from "@/components/projects/audit-event-list";
import { InvalidFiltersAlert, LogEmpty, LogFilterForm, LogFilterSelect, LogPagination } from "@/components/projects/log-page";
import { TextField } from "@/components/ui/text-field";
import { can } from "@/lib/auth/permissions";
import { PROJECT_AUDIT_ACTION_OPTIONS, ZProjectAuditFilters } from "@/lib/projects/audit-schemas";
import { logFiltersFromSearchParams } from "@/lib/projects/log-filter-schemas";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { logFilterState, logPageHref } from "@/lib/projects/log-page";
import { orNotFound } from "@/lib/projects/or-not-found";
import { listProjectAuditEvents, type TProjectAuditPage } from "@/lib/server/audit/list-project-audit-events";
import { summarizeProjectAccessAlerts, type TAccessAlertRow } from "@/lib/server/access-log/summarize-project-access-alerts";

export const metadata: Metadata = { title: "Audit log" };

const FILTER_FIELDS = ["action", "actorEmail", "from", "to"] as const;
type TSearchParams = Record<string, string | string[] | undefined>;

export default async function ProjectAuditPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<TSearchParams> }) {
  const { projectId } = await params;
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}/audit`);
  // The audit log is the owners'; to anyone else the page does not exist.
  if (!can(project.role, "audit.read")) notFound();

  const raw = logFiltersFromSearchParams(await searchParams);
  const parsed = ZProjectAuditFilters.safeParse(raw);
  const { errors, values, isFiltered, otherErrors } = logFilterState(FILTER_FIELDS, raw, parsed.success ? [] : parsed.error.issues);
  const page: TProjectAuditPage | null = parsed.success ? await orNotFound(listProjectAuditEvents(user.id, project.id, raw)) : null;
  const basePath = `/projects/${project.id}/audit`;
  const now = currentTime();
  const accessAlerts = can(project.role, "access_log.read") ? await summarizeProjectAccessAlerts(user.id, project.id, now) : null;

  return (
    <>
      <main id="main" className="mx-auto max-w-6xl px-4 py-10">
        <h1 className="mt-2 text-2xl font-semibold">Audit log</h1>
        <p className="mt-1 text-sm text-slate-600">
          Who did what in this project, and from where. Hover a time for the exact time in UTC; open Details for the address and client.
        </p>
        {accessAlerts ? <AccessAlerts rows={accessAlerts} accessLogPath={`/projects/${project.id}/access-log`} /> : null}

        <LogFilterForm action={basePath} label="Filter events" gridClassName="lg:grid-cols-5" isClearable={isFiltered || Boolean(raw.cursor)}>
          <LogFilterSelect
            id="audit-action"
            label="Action"
            name="action"
            value={values.action}
            errors={errors.action}
            anyLabel="All actions"
            options={PROJECT_AUDIT_ACTION_OPTIONS}
          />
          <TextField label="Actor email" name="actorEmail" type="email" autoComplete="off" defaultValue={values.actorEmail} errors={errors.actorEmail} />
          <TextField label="From (UTC)" name="from" type="date" defaultValue={values.from} errors={errors.from} />
          <TextField label="To (UTC)" name="to" type="date" defaultValue={values.to} errors={errors.to} />
        </LogFilterForm>

        {!parsed.success ? <InvalidFiltersAlert items="events" otherErrors={otherErrors} /> : null}

        {page && page.events.length === 0 ? (
          <LogEmpty testId="audit-empty">
            {isFiltered ? "No events match these filters." : raw.cursor ? "No older events." : "Nothing has happened in this project yet."}
          </LogEmpty>
        ) : null}

        {page && page.events.length > 0 ? <AuditEventList projectId={project.id} events={page.events} now={now} /> : null}

        {page ? (
          <LogPagination
            newestHref={raw.cursor ? logPageHref(basePath, FILTER_FIELDS, values) : null}
            olderHref={page.nextCursor ? logPageHref(basePath, FILTER_FIELDS, values, page.nextCursor) : null}
          />
        ) : null}
      </main>
    </>
  );
}

/** The refused statuses the summary counts, in column order. */
const STATUS_COLUMNS = [
  { status: 401, title: "401 Unauthenticated", count: "unauthorized" },
  { status: 403, title: "403 Forbidden", count: "forbidden" },
  { status: 404, title: "404 Not found", count: "notFound" },
  { status: 429, title: "429 Rate limited", count: "rateLimited" },
] as const satisfies readonly { status: number; title: string; count: keyof TAccessAlertRow }[];

// Refused requests (401/403/404) and rate-limit hits (429) on this project in the last
// 24 hours, by client address: a burst from one address is someone probing.
function AccessAlerts({ rows, accessLogPath }: { rows: TAccessAlertRow[]; accessLogPath: string }) {
  return (
    <section aria-labelledby="access-alerts-title" className="mt-6 rounded-lg border border-slate-200 p-4 text-sm">
      <h2 id="access-alerts-title" className="font-medium">
        Refused and rate-limited requests, last 24 hours
      </h2>
      {rows.length === 0 ? (
        <p className="mt-1 text-slate-600" data-testid="access-alerts-empty">
          None.{" "}
          <Link href={accessLogPath} className="text-brand-600 underline">
            Access log
          </Link>
        </p>
      ) : (
        <>
          <table className="mt-2 w-full" aria-label="Refused requests by client address">
            <thead>
              <tr className="text-left text-slate-600">
                <th scope="col" className="py-1 pr-3 font-medium">
                  Client address
                </th>
                {STATUS_COLUMNS.map((column) => (
                  <th key={column.status} scope="col" className="py-1 pr-3 font-medium" title={column.title}>
                    {column.status}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.clientIp} data-testid="access-alert-row" className="border-t border-slate-100">
                  <td className="py-1 pr-3 font-mono [overflow-wrap:anywhere]">
                    <Link href={`${accessLogPath}?status=4xx`} className="underline">
                      {row.clientIp}
                    </Link>
                  </td>
                  {STATUS_COLUMNS.map((column) => (
                    <td key={column.status} className="py-1 pr-3">
                      {row[column.count]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 text-slate-600">
            Top 10 addresses by refused requests to this project&apos;s pages, API and webhooks.{" "}
            <Link href={`${accessLogPath}?status=4xx`} className="text-brand-600 underline">
              See them in the access log
            </Link>
          </p>
        </>
      )}
    </section>
  );
}

function currentTime(): Date {
  return new Date();
}
