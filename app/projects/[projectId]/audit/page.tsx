import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import {
  InvalidFiltersAlert,
  LOG_CELL,
  LOG_ROW,
  LogEmpty,
  LogFilterForm,
  LogFilterSelect,
  LogPagination,
  LogTable,
  UtcTime,
} from "@/components/projects/log-page";
import { SiteHeader } from "@/components/ui/site-header";
import { TextField } from "@/components/ui/text-field";
import { can } from "@/lib/auth/permissions";
import { PROJECT_AUDIT_ACTIONS, ZProjectAuditFilters } from "@/lib/projects/audit-schemas";
import { logFiltersFromSearchParams } from "@/lib/projects/log-filter-schemas";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { logFilterState, logPageHref } from "@/lib/projects/log-page";
import { orNotFound } from "@/lib/projects/or-not-found";
import {
  listProjectAuditEvents,
  type TAuditJson,
  type TProjectAuditEvent,
  type TProjectAuditPage,
} from "@/lib/server/audit/list-project-audit-events";
import { summarizeProjectAccessAlerts, type TAccessAlertRow } from "@/lib/server/access-log/summarize-project-access-alerts";
import { ProjectBreadcrumb } from "@/components/projects/project-breadcrumb";

export const metadata: Metadata = { title: "Audit log" };

const FILTER_FIELDS = ["action", "actorEmail", "from", "to"] as const;
const ACTION_OPTIONS = PROJECT_AUDIT_ACTIONS.map((action) => ({ value: action, label: actionLabel(action) }));
type TSearchParams = Record<string, string | string[] | undefined>;

export default async function ProjectAuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<TSearchParams>;
}) {
  const { projectId } = await params;
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}/audit`);
  // The audit log is the owners'; to anyone else the page does not exist.
  if (!can(project.role, "audit.read")) notFound();

  const raw = logFiltersFromSearchParams(await searchParams);
  const parsed = ZProjectAuditFilters.safeParse(raw);
  const { errors, values, isFiltered, otherErrors } = logFilterState(FILTER_FIELDS, raw, parsed.success ? [] : parsed.error.issues);
  const page: TProjectAuditPage | null = parsed.success
    ? await orNotFound(listProjectAuditEvents(user.id, project.id, raw))
    : null;
  const basePath = `/projects/${project.id}/audit`;
  const now = currentTime();
  const accessAlerts = can(project.role, "access_log.read") ? await summarizeProjectAccessAlerts(user.id, project.id, now) : null;

  return (
    <>
      <SiteHeader signedInAs={user.email} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-10">
        <ProjectBreadcrumb project={project} page="Audit log" />
        <h1 className="mt-2 text-2xl font-semibold">Audit log</h1>
        <p className="mt-1 text-sm text-slate-600">Who did what in this project, and from where. Times are in UTC.</p>
        {accessAlerts ? <AccessAlerts rows={accessAlerts} accessLogPath={`/projects/${project.id}/access-log`} /> : null}

        <LogFilterForm action={basePath} label="Filter events" gridClassName="lg:grid-cols-5" isClearable={isFiltered || Boolean(raw.cursor)}>
          <LogFilterSelect
            id="audit-action"
            label="Action"
            name="action"
            value={values.action}
            errors={errors.action}
            anyLabel="All actions"
            options={ACTION_OPTIONS}
          />
          <TextField
            label="Actor email"
            name="actorEmail"
            type="email"
            autoComplete="off"
            defaultValue={values.actorEmail}
            errors={errors.actorEmail}
          />
          <TextField label="From (UTC)" name="from" type="date" defaultValue={values.from} errors={errors.from} />
          <TextField label="To (UTC)" name="to" type="date" defaultValue={values.to} errors={errors.to} />
        </LogFilterForm>

        {!parsed.success ? <InvalidFiltersAlert items="events" otherErrors={otherErrors} /> : null}

        {page && page.events.length === 0 ? (
          <LogEmpty testId="audit-empty">
            {isFiltered
              ? "No events match these filters."
              : raw.cursor
                ? "No older events."
                : "Nothing has happened in this project yet."}
          </LogEmpty>
        ) : null}

        {page && page.events.length > 0 ? <AuditTable events={page.events} now={now} /> : null}

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

const COLUMNS = ["Time (UTC)", "Actor", "Action", "Details", "IP address"];

function AuditTable({ events, now }: { events: TProjectAuditEvent[]; now: Date }) {
  return (
    <LogTable label="Audit events" columns={COLUMNS}>
      {events.map((event) => (
        <tr key={event.id} data-testid="audit-row" data-action={event.action} className={LOG_ROW}>
          <td className={LOG_CELL} data-label="Time (UTC)">
            <UtcTime at={event.at} testId="audit-time" />
            <span className="block text-xs text-slate-500">{relativeTime(event.at, now)}</span>
          </td>
          <td className={`${LOG_CELL} break-all`} data-label="Actor">
            <Actor event={event} />
          </td>
          <td className={LOG_CELL} data-label="Action">
            <span data-testid="audit-action">{actionLabel(event.action)}</span>
            {event.outcome !== "success" ? (
              <span className="ml-2 rounded-full bg-red-50 px-2 py-0.5 text-xs text-red-800">{event.outcome}</span>
            ) : null}
          </td>
          <td className={`${LOG_CELL} break-words`} data-label="Details">
            {summarize(event)}
          </td>
          <td className={LOG_CELL} data-label="IP address">
            <span className="font-mono">{event.ip ?? "—"}</span>
            {event.userAgent ? (
              <span className="block max-w-56 truncate text-xs text-slate-500" title={event.userAgent}>
                {event.userAgent}
              </span>
            ) : null}
          </td>
        </tr>
      ))}
    </LogTable>
  );
}

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
                <th scope="col" className="py-1 pr-3 font-medium">Client address</th>
                <th scope="col" className="py-1 pr-3 font-medium" title="401 Unauthenticated">401</th>
                <th scope="col" className="py-1 pr-3 font-medium" title="403 Forbidden">403</th>
                <th scope="col" className="py-1 pr-3 font-medium" title="404 Not found">404</th>
                <th scope="col" className="py-1 pr-3 font-medium" title="429 Rate limited">429</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.clientIp} data-testid="access-alert-row" className="border-t border-slate-100">
                  <td className="break-all py-1 pr-3 font-mono">
                    <Link href={`${accessLogPath}?status=4xx`} className="underline">
                      {row.clientIp}
                    </Link>
                  </td>
                  <td className="py-1 pr-3">{row.unauthorized}</td>
                  <td className="py-1 pr-3">{row.forbidden}</td>
                  <td className="py-1 pr-3">{row.notFound}</td>
                  <td className="py-1 pr-3">{row.rateLimited}</td>
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

function Actor({ event }: { event: TProjectAuditEvent }) {
  if (event.actor) {
    return (
      <>
        <span className="block" data-testid="audit-actor">
          {event.actor.email}
        </span>
        {event.actor.name ? <span className="block text-xs text-slate-500">{event.actor.name}</span> : null}
      </>
    );
  }
  if (event.userId) {
    return (
      <span className="text-slate-600" title={event.userId}>
        Deleted user <span className="font-mono text-xs">{event.userId.slice(0, 8)}</span>
      </span>
    );
  }
  return <span className="text-slate-600">System</span>;
}

function currentTime(): Date {
  return new Date();
}

/** "project.renamed" → "Project renamed": readable without a table to keep in step. */
function actionLabel(action: string): string {
  const words = action.replace(/[._]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const RELATIVE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

function relativeTime(at: Date, now: Date): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of RELATIVE_UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return Math.abs(seconds) < 10 ? "just now" : format.format(seconds, "second");
}

function summarize(event: TProjectAuditEvent): string {
  const details = event.details;
  const parts: string[] = [];
  if (event.subject) parts.push(event.subject);
  if (isRecord(details) && typeof details.from === "string" && typeof details.to === "string") {
    parts.push(`“${details.from}” → “${details.to}”`);
  } else if (isRecord(details)) {
    for (const [key, value] of Object.entries(details)) {
      parts.push(`${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
    }
  } else if (details !== null) {
    parts.push(JSON.stringify(details));
  }
  const text = parts.join(" · ");
  return text.length > 240 ? `${text.slice(0, 239)}…` : text || "—";
}

function isRecord(value: TAuditJson): value is { [key: string]: TAuditJson } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
