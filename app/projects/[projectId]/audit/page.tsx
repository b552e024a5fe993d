import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { SiteHeader } from "@/components/ui/site-header";
import { TextField } from "@/components/ui/text-field";
import { requirePageUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { PROJECT_AUDIT_ACTIONS, ZProjectAuditFilters } from "@/lib/projects/audit-schemas";
import { logFiltersFromSearchParams } from "@/lib/projects/log-filter-schemas";
import { ZProjectId } from "@/lib/projects/schemas";
import {
  listProjectAuditEvents,
  type TAuditJson,
  type TProjectAuditEvent,
  type TProjectAuditPage,
} from "@/lib/server/audit/list-project-audit-events";
import { getProject } from "@/lib/server/projects/get-project";
import { summarizeProjectAccessAlerts, type TAccessAlertRow } from "@/lib/server/access-log/summarize-project-access-alerts";
import { ProjectBreadcrumb } from "@/components/projects/project-breadcrumb";

export const metadata: Metadata = { title: "Audit log" };

const FILTER_FIELDS = ["action", "actorEmail", "from", "to"] as const;
type TFilterField = (typeof FILTER_FIELDS)[number];
type TSearchParams = Record<string, string | string[] | undefined>;

export default async function ProjectAuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<TSearchParams>;
}) {
  const { projectId } = await params;
  const user = await requirePageUser(`/projects/${projectId}/audit`);
  if (!ZProjectId.safeParse(projectId).success) notFound();
  const project = await orNotFound(getProject(user.id, projectId));
  // The audit log is the owners'; to anyone else the page does not exist.
  if (!can(project.role, "audit.read")) notFound();

  const raw = logFiltersFromSearchParams(await searchParams);
  const parsed = ZProjectAuditFilters.safeParse(raw);
  const errors: Record<string, string[]> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = typeof issue.path[0] === "string" ? issue.path[0] : "";
      (errors[key] ??= []).push(issue.message);
    }
  }
  const page: TProjectAuditPage | null = parsed.success
    ? await orNotFound(listProjectAuditEvents(user.id, project.id, raw))
    : null;
  // What the form shows and the "Older" link carries: the filters as typed.
  const values = Object.fromEntries(
    FILTER_FIELDS.map((field) => [field, typeof raw[field] === "string" ? raw[field] : ""]),
  ) as Record<TFilterField, string>;
  const isFiltered = FILTER_FIELDS.some((field) => values[field] !== "");
  const otherErrors = Object.entries(errors).flatMap(([key, messages]) =>
    (FILTER_FIELDS as readonly string[]).includes(key) ? [] : messages,
  );
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

        <form
          method="get"
          action={basePath}
          aria-label="Filter events"
          className="mt-6 grid gap-4 rounded-lg border border-slate-200 p-4 sm:grid-cols-2 lg:grid-cols-5"
        >
          <div>
            <label htmlFor="audit-action" className="block text-sm font-medium">
              Action
            </label>
            <select
              id="audit-action"
              name="action"
              defaultValue={values.action}
              aria-invalid={errors.action ? true : undefined}
              aria-describedby={errors.action ? "audit-action-errors" : undefined}
              className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 ${
                errors.action ? "border-red-600" : "border-slate-300"
              }`}
            >
              <option value="">All actions</option>
              {PROJECT_AUDIT_ACTIONS.map((action) => (
                <option key={action} value={action}>
                  {actionLabel(action)}
                </option>
              ))}
            </select>
            {errors.action ? (
              <ul id="audit-action-errors" className="mt-1 text-sm text-red-700">
                {errors.action.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            ) : null}
          </div>
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
          <div className="flex items-end gap-3">
            <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
              Filter
            </button>
            {isFiltered || raw.cursor ? (
              <Link href={basePath} className="py-2 text-sm text-slate-700 underline">
                Clear
              </Link>
            ) : null}
          </div>
        </form>

        {!parsed.success ? (
          <div role="alert" className="mt-6 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            <p>Some filters are not valid, so no events are shown. Correct them or clear the filters.</p>
            {otherErrors.length ? (
              <ul className="mt-1 list-disc pl-5">
                {[...new Set(otherErrors)].map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}

        {page && page.events.length === 0 ? (
          <p className="mt-6 rounded-lg border border-dashed border-slate-300 p-6 text-slate-700" data-testid="audit-empty">
            {isFiltered
              ? "No events match these filters."
              : raw.cursor
                ? "No older events."
                : "Nothing has happened in this project yet."}
          </p>
        ) : null}

        {page && page.events.length > 0 ? <AuditTable events={page.events} now={now} /> : null}

        {page && (page.nextCursor || raw.cursor) ? (
          <nav aria-label="Pages" className="mt-6 flex gap-6 text-sm">
            {raw.cursor ? (
              <Link href={pageHref(basePath, values)} className="text-brand-600 underline">
                Newest
              </Link>
            ) : null}
            {page.nextCursor ? (
              <Link href={pageHref(basePath, values, page.nextCursor)} rel="next" className="text-brand-600 underline">
                Older
              </Link>
            ) : null}
          </nav>
        ) : null}
      </main>
    </>
  );
}

// A table from small screens up; below that each row stacks into a card whose cells
// carry their column name (data-label), since the header row is hidden there.
function AuditTable({ events, now }: { events: TProjectAuditEvent[]; now: Date }) {
  const cell =
    "block py-1 sm:table-cell sm:px-3 sm:py-2 sm:align-top " +
    "max-sm:before:mr-2 max-sm:before:font-medium max-sm:before:text-slate-600 max-sm:before:content-[attr(data-label)]";
  return (
    <table className="mt-6 block w-full text-sm sm:table" aria-label="Audit events">
      <thead className="sr-only sm:not-sr-only sm:table-header-group">
        <tr className="border-b border-slate-200 text-left text-slate-600">
          <th scope="col" className="px-3 py-2 font-medium">Time (UTC)</th>
          <th scope="col" className="px-3 py-2 font-medium">Actor</th>
          <th scope="col" className="px-3 py-2 font-medium">Action</th>
          <th scope="col" className="px-3 py-2 font-medium">Details</th>
          <th scope="col" className="px-3 py-2 font-medium">IP address</th>
        </tr>
      </thead>
      <tbody className="block sm:table-row-group">
        {events.map((event) => (
          <tr
            key={event.id}
            data-testid="audit-row"
            data-action={event.action}
            className="mb-3 block rounded-lg border border-slate-200 p-3 sm:mb-0 sm:table-row sm:rounded-none sm:border-0 sm:border-b sm:p-0"
          >
            <td className={cell} data-label="Time (UTC)">
              <time dateTime={event.at.toISOString()} className="font-mono" data-testid="audit-time">
                {utcIso(event.at)}
              </time>
              <span className="block text-xs text-slate-500">{relativeTime(event.at, now)}</span>
            </td>
            <td className={`${cell} break-all`} data-label="Actor">
              <Actor event={event} />
            </td>
            <td className={cell} data-label="Action">
              <span data-testid="audit-action">{actionLabel(event.action)}</span>
              {event.outcome !== "success" ? (
                <span className="ml-2 rounded-full bg-red-50 px-2 py-0.5 text-xs text-red-800">{event.outcome}</span>
              ) : null}
            </td>
            <td className={`${cell} break-words`} data-label="Details">
              {summarize(event)}
            </td>
            <td className={cell} data-label="IP address">
              <span className="font-mono">{event.ip ?? "—"}</span>
              {event.userAgent ? (
                <span className="block max-w-56 truncate text-xs text-slate-500" title={event.userAgent}>
                  {event.userAgent}
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
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

async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

function currentTime(): Date {
  return new Date();
}

function pageHref(basePath: string, values: Record<TFilterField, string>, cursor?: string): string {
  const query = new URLSearchParams();
  for (const field of FILTER_FIELDS) if (values[field]) query.set(field, values[field]);
  if (cursor) query.set("cursor", cursor);
  const search = query.toString();
  return search ? `${basePath}?${search}` : basePath;
}

/** "project.renamed" → "Project renamed": readable without a table to keep in step. */
function actionLabel(action: string): string {
  const words = action.replace(/[._]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** 2025-03-01T10:00:00Z: ISO 8601 in UTC, to the second. */
function utcIso(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
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
