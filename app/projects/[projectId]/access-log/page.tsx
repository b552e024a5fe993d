import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ProjectBreadcrumb } from "@/components/projects/project-breadcrumb";
import { SiteHeader } from "@/components/ui/site-header";
import { TextField } from "@/components/ui/text-field";
import { requirePageUser } from "@/lib/auth/current-user";
import { can } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { STATUS_CLASSES, ZAccessLogFilters } from "@/lib/projects/access-log-schemas";
import { logFiltersFromSearchParams } from "@/lib/projects/log-filter-schemas";
import { ZProjectId } from "@/lib/projects/schemas";
import {
  listProjectAccessRecords,
  type TProjectAccessPage,
  type TProjectAccessRecord,
} from "@/lib/server/access-log/list-project-access-records";
import { getProject } from "@/lib/server/projects/get-project";

export const metadata: Metadata = { title: "Access log" };

const FILTER_FIELDS = ["from", "to", "status", "userEmail", "route"] as const;
type TFilterField = (typeof FILTER_FIELDS)[number];
type TSearchParams = Record<string, string | string[] | undefined>;

export default async function ProjectAccessLogPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<TSearchParams>;
}) {
  const { projectId } = await params;
  const user = await requirePageUser(`/projects/${projectId}/access-log`);
  if (!ZProjectId.safeParse(projectId).success) notFound();
  const project = await orNotFound(getProject(user.id, projectId));
  // The access log is the owners'; to anyone else the page does not exist.
  if (!can(project.role, "access_log.read")) notFound();

  const raw = logFiltersFromSearchParams(await searchParams);
  const parsed = ZAccessLogFilters.safeParse(raw);
  const errors: Record<string, string[]> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = typeof issue.path[0] === "string" ? issue.path[0] : "";
      (errors[key] ??= []).push(issue.message);
    }
  }
  const page: TProjectAccessPage | null = parsed.success
    ? await orNotFound(listProjectAccessRecords(user.id, project.id, raw))
    : null;
  const values = Object.fromEntries(
    FILTER_FIELDS.map((field) => [field, typeof raw[field] === "string" ? raw[field] : ""]),
  ) as Record<TFilterField, string>;
  const isFiltered = FILTER_FIELDS.some((field) => values[field] !== "");
  const otherErrors = Object.entries(errors).flatMap(([key, messages]) =>
    (FILTER_FIELDS as readonly string[]).includes(key) ? [] : messages,
  );
  const basePath = `/projects/${project.id}/access-log`;
  const exportHref = withQuery(`/api/projects/${project.id}/access-log`, values);

  return (
    <>
      <SiteHeader signedInAs={user.email} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-10">
        <ProjectBreadcrumb project={project} page="Access log" />
        <h1 className="mt-2 text-2xl font-semibold">Access log</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every request to this project&apos;s pages and API, and to its webhooks, with who made it and from where. Times
          are in UTC. Webhook and invitation tokens are never stored.
        </p>

        <form
          method="get"
          action={basePath}
          aria-label="Filter requests"
          className="mt-6 grid gap-4 rounded-lg border border-slate-200 p-4 sm:grid-cols-2 lg:grid-cols-6"
        >
          <TextField label="From (UTC)" name="from" type="date" defaultValue={values.from} errors={errors.from} />
          <TextField label="To (UTC)" name="to" type="date" defaultValue={values.to} errors={errors.to} />
          <div>
            <label htmlFor="access-status" className="block text-sm font-medium">
              Status
            </label>
            <select
              id="access-status"
              name="status"
              defaultValue={values.status}
              aria-invalid={errors.status ? true : undefined}
              aria-describedby={errors.status ? "access-status-errors" : undefined}
              className={`mt-1 block w-full rounded-md border bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 ${
                errors.status ? "border-red-600" : "border-slate-300"
              }`}
            >
              <option value="">Any status</option>
              {STATUS_CLASSES.map((statusClass) => (
                <option key={statusClass} value={statusClass}>
                  {statusClass}
                </option>
              ))}
            </select>
            {errors.status ? (
              <ul id="access-status-errors" className="mt-1 text-sm text-red-700">
                {errors.status.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            ) : null}
          </div>
          <TextField
            label="User email"
            name="userEmail"
            type="email"
            autoComplete="off"
            defaultValue={values.userEmail}
            errors={errors.userEmail}
          />
          <TextField
            label="Route contains"
            name="route"
            autoComplete="off"
            placeholder="/api/webhooks"
            defaultValue={values.route}
            errors={errors.route}
          />
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

        <p className="mt-4 text-sm">
          <a href={exportHref} className="text-brand-600 underline" download>
            Export these records as CSV
          </a>{" "}
          <span className="text-slate-600">(newest first, up to 100,000 rows)</span>
        </p>

        {!parsed.success ? (
          <div role="alert" className="mt-6 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            <p>Some filters are not valid, so no requests are shown. Correct them or clear the filters.</p>
            {otherErrors.length ? (
              <ul className="mt-1 list-disc pl-5">
                {[...new Set(otherErrors)].map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}

        {page && page.records.length === 0 ? (
          <p className="mt-6 rounded-lg border border-dashed border-slate-300 p-6 text-slate-700" data-testid="access-empty">
            {isFiltered
              ? "No requests match these filters."
              : raw.cursor
                ? "No older requests."
                : "No requests recorded for this project yet."}
          </p>
        ) : null}

        {page && page.records.length > 0 ? <AccessTable records={page.records} /> : null}

        {page && (page.nextCursor || raw.cursor) ? (
          <nav aria-label="Pages" className="mt-6 flex gap-6 text-sm">
            {raw.cursor ? (
              <Link href={withQuery(basePath, values)} className="text-brand-600 underline">
                Newest
              </Link>
            ) : null}
            {page.nextCursor ? (
              <Link href={withQuery(basePath, values, page.nextCursor)} rel="next" className="text-brand-600 underline">
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
function AccessTable({ records }: { records: TProjectAccessRecord[] }) {
  const cell =
    "block py-1 sm:table-cell sm:px-3 sm:py-2 sm:align-top " +
    "max-sm:before:mr-2 max-sm:before:font-medium max-sm:before:text-slate-600 max-sm:before:content-[attr(data-label)]";
  return (
    <table className="mt-6 block w-full text-sm sm:table" aria-label="Requests">
      <thead className="sr-only sm:not-sr-only sm:table-header-group">
        <tr className="border-b border-slate-200 text-left text-slate-600">
          <th scope="col" className="px-3 py-2 font-medium">Time (UTC)</th>
          <th scope="col" className="px-3 py-2 font-medium">Request</th>
          <th scope="col" className="px-3 py-2 font-medium">Status</th>
          <th scope="col" className="px-3 py-2 font-medium">User</th>
          <th scope="col" className="px-3 py-2 font-medium">Client</th>
        </tr>
      </thead>
      <tbody className="block sm:table-row-group">
        {records.map((record) => (
          <tr
            key={record.id}
            data-testid="access-row"
            className="mb-3 block rounded-lg border border-slate-200 p-3 sm:mb-0 sm:table-row sm:rounded-none sm:border-0 sm:border-b sm:p-0"
          >
            <td className={cell} data-label="Time (UTC)">
              <time dateTime={record.time.toISOString()} className="font-mono">
                {record.time.toISOString().replace(/\.\d{3}Z$/, "Z")}
              </time>
            </td>
            <td className={`${cell} break-all`} data-label="Request">
              <span className="font-mono">
                {record.method} {record.route}
              </span>
              <span className="block text-xs text-slate-500">
                {record.durationMs} ms · {formatBytes(record.bytes)} · <span className="font-mono">{record.requestId}</span>
              </span>
            </td>
            <td className={cell} data-label="Status">
              <span className={`rounded-full px-2 py-0.5 text-xs ${statusTone(record.status)}`}>{record.status}</span>
            </td>
            <td className={`${cell} break-all`} data-label="User">
              {record.userEmail ?? (record.userId ? <span className="font-mono text-xs">{record.userId.slice(0, 8)}</span> : "—")}
            </td>
            <td className={cell} data-label="Client">
              <span className="font-mono">{record.clientIp}</span>
              {record.userAgent ? (
                <span className="block max-w-56 truncate text-xs text-slate-500" title={record.userAgent}>
                  {record.userAgent}
                </span>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function statusTone(status: number): string {
  if (status >= 500) return "bg-red-50 text-red-800";
  if (status >= 400) return "bg-amber-50 text-amber-900";
  return "bg-slate-100 text-slate-800";
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
}

function withQuery(basePath: string, values: Record<TFilterField, string>, cursor?: string): string {
  const query = new URLSearchParams();
  for (const field of FILTER_FIELDS) if (values[field]) query.set(field, values[field]);
  if (cursor) query.set("cursor", cursor);
  const search = query.toString();
  return search ? `${basePath}?${search}` : basePath;
}
