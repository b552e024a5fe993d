import Link from "next/link";
import { RUN_STATUSES, RUN_TRIGGERS } from "@/lib/runs/run-filters";
import { RUN_STATUS_LABELS, triggerLabel } from "@/lib/runs/run-status";

/** The filter values as they are in the URL (shown back as typed, valid or not). */
export type TRunsFilterValues = { run?: string; status?: string; flowId?: string; trigger?: string; from?: string; to?: string };

const FIELD = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30";
const LABEL = "block text-sm font-medium";

/**
 * A plain GET form: the filters live in the URL, so a filtered list can be bookmarked
 * or shared, works without JavaScript, and the back button walks through searches.
 * Native controls only, in reading order: keyboard and screen-reader use need nothing extra.
 */
export function RunsFilterForm({
  action,
  values,
  flows,
  hasFilters,
}: {
  action: string;
  values: TRunsFilterValues;
  flows: { id: string; name: string }[];
  hasFilters: boolean;
}) {
  return (
    <form method="get" action={action} className="space-y-3" aria-label="Filter runs" role="search">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <div className="sm:col-span-2 lg:col-span-3">
          <label htmlFor="run-id-filter" className={LABEL}>
            Run id
          </label>
          <input
            id="run-id-filter"
            name="run"
            type="search"
            defaultValue={values.run ?? ""}
            placeholder="Full id, or its first 8 characters"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="run-id-filter-hint"
            className={`${FIELD} font-mono`}
          />
          <p id="run-id-filter-hint" className="mt-1 text-sm text-slate-600">
            The list shows each run&apos;s first 8 characters.
          </p>
        </div>
        <FilterSelect
          id="run-status-filter"
          label="Status"
          name="status"
          value={values.status}
          anyLabel="All statuses"
          options={RUN_STATUSES.map((status) => ({ value: status, label: RUN_STATUS_LABELS[status] }))}
        />
        <FilterSelect
          id="run-flow-filter"
          label="Flow"
          name="flowId"
          value={values.flowId}
          anyLabel="All flows"
          options={flows.map((flow) => ({ value: flow.id, label: flow.name }))}
        />
        <FilterSelect
          id="run-trigger-filter"
          label="Trigger"
          name="trigger"
          value={values.trigger}
          anyLabel="All triggers"
          options={RUN_TRIGGERS.map((trigger) => ({ value: trigger, label: triggerLabel(trigger) }))}
        />
        <TimeField id="run-from-filter" label="Started from (UTC)" name="from" value={values.from} />
        <TimeField id="run-to-filter" label="Started before (UTC)" name="to" value={values.to} />
      </div>
      <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
        <button
          type="submit"
          className="rounded-md border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
        >
          Show runs
        </button>
        {hasFilters ? (
          <Link href={action} className="text-brand-600 underline" data-testid="runs-clear-filters">
            Clear filters
          </Link>
        ) : null}
      </div>
    </form>
  );
}

function FilterSelect({
  id,
  label,
  name,
  value,
  anyLabel,
  options,
}: {
  id: string;
  label: string;
  name: string;
  value: string | undefined;
  anyLabel: string;
  options: { value: string; label: string }[];
}) {
  return (
    <div>
      <label htmlFor={id} className={LABEL}>
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ""} className={FIELD}>
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A time in UTC, to the minute (what a datetime-local field takes). */
function TimeField({ id, label, name, value }: { id: string; label: string; name: string; value: string | undefined }) {
  return (
    <div>
      <label htmlFor={id} className={LABEL}>
        {label}
      </label>
      <input id={id} name={name} type="datetime-local" defaultValue={value ?? ""} className={FIELD} />
    </div>
  );
}
