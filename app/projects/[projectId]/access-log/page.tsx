import type { Metadata } from "next";
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
import { TextField } from "@/components/ui/text-field";
import { can } from "@/lib/auth/permissions";
import { STATUS_CLASSES, ZAccessLogFilters } from "@/lib/projects/access-log-schemas";
import { logFiltersFromSearchParams } from "@/lib/projects/log-filter-schemas";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { logFilterState, logPageHref } from "@/lib/projects/log-page";
import { orNotFound } from "@/lib/projects/or-not-found";
import { listProjectAccessRecords, type TProjectAccessPage, type TProjectAccessRecord } from "@/lib/server/access-log/list-project-access-records";

export const metadata: Metadata = { title: "Access log" };

const FILTER_FIELDS = ["from", "to", "status", "userEmail", "route"] as const;
const STATUS_OPTIONS = STATUS_CLASSES.map((statusClass) => ({ value: statusClass, label: statusClass }));
type TSearchParams = Record<string, string | string[] | undefined>;

export default async function ProjectAccessLogPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<TSearchParams> }) {
  const { projectId } = await params;
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}/access-log`);
  // The access log is the owners'; to anyone else the page does not exist.
  if (!can(project.role, "access_log.read")) notFound();

  const raw = logFiltersFromSearchParams(await searchParams);
  const parsed = ZAccessLogFilters.safeParse(raw);
  const { errors, values, isFiltered, otherErrors } = logFilterState(FILTER_FIELDS, raw, parsed.success ? [] : parsed.error.issues);
  const page: TProjectAccessPage | null = parsed.success ? await orNotFound(listProjectAccessRecords(user.id, project.id, raw)) : null;
  const basePath = `/projects/${project.id}/access-log`;
  const exportHref = logPageHref(`/api/projects/${project.id}/access-log`, FILTER_FIELDS, values);

  return (
    <>
      <main id="main" className="mx-auto max-w-6xl px-4 py-10">
        <h1 className="mt-2 text-2xl font-semibold">Access log</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every request to this project&apos;s pages and API, and to its webhooks, with who made it and from where. Times are in UTC. Webhook and invitation
          tokens are never stored.
        </p>

        <LogFilterForm action={basePath} label="Filter requests" gridClassName="lg:grid-cols-6" isClearable={isFiltered || Boolean(raw.cursor)}>
          <TextField label="From (UTC)" name="from" type="date" defaultValue={values.from} errors={errors.from} />
          <TextField label="To (UTC)" name="to" type="date" defaultValue={values.to} errors={errors.to} />
          <LogFilterSelect
            id="access-status"
            label="Status"
            name="status"
            value={values.status}
            errors={errors.status}
            anyLabel="Any status"
            options={STATUS_OPTIONS}
          />
          <TextField label="User email" name="userEmail" type="email" autoComplete="off" defaultValue={values.userEmail} errors={errors.userEmail} />
          <TextField label="Route contains" name="route" autoComplete="off" placeholder="/api/webhooks" defaultValue={values.route} errors={errors.route} />
        </LogFilterForm>

        <p className="mt-4 text-sm">
          <a href={exportHref} className="text-brand-600 underline" download>
            Export these records as CSV
          </a>{" "}
          <span className="text-slate-600">(newest first, up to 100,000 rows)</span>
        </p>

        {!parsed.success ? <InvalidFiltersAlert items="requests" otherErrors={otherErrors} /> : null}

        {page && page.records.length === 0 ? (
          <LogEmpty testId="access-empty">
            {isFiltered ? "No requests match these filters." : raw.cursor ? "No older requests." : "No requests recorded for this project yet."}
          </LogEmpty>
        ) : null}

        {page && page.records.length > 0 ? <AccessTable records={page.records} /> : null}

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

const COLUMNS = ["Time (UTC)", "Request", "Status", "User", "Client"];

function AccessTable({ records }: { records: TProjectAccessRecord[] }) {
  return (
    <LogTable label="Requests" columns={COLUMNS}>
      {records.map((record) => (
        <tr key={record.id} data-testid="access-row" className={LOG_ROW}>
          <td className={LOG_CELL} data-label="Time (UTC)">
            <UtcTime at={record.time} />
          </td>
          <td className={`${LOG_CELL} break-all`} data-label="Request">
            <span className="font-mono">
              {record.method} {record.route}
            </span>
            <span className="block text-xs text-slate-500">
              {record.durationMs} ms · {formatBytes(record.bytes)} · <span className="font-mono">{record.requestId}</span>
            </span>
          </td>
          <td className={LOG_CELL} data-label="Status">
            <span className={`rounded-full px-2 py-0.5 text-xs ${statusTone(record.status)}`}>{record.status}</span>
          </td>
          <td className={`${LOG_CELL} break-all`} data-label="User">
            {record.userEmail ?? (record.userId ? <span className="font-mono text-xs">{record.userId.slice(0, 8)}</span> : "—")}
          </td>
          <td className={LOG_CELL} data-label="Client">
            <span className="font-mono">{record.clientIp}</span>
            {record.userAgent ? (
              <span className="block max-w-56 truncate text-xs text-slate-500" title={record.userAgent}>
                {record.userAgent}
              </span>
            ) : null}
          </td>
        </tr>
      ))}
    </LogTable>
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
