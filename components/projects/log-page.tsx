import Link from "next/link";
import { Children } from "react";
import { SelectField } from "../ui/field";

// The markup a project's log pages (audit log, access log) share: a GET filter form
// with a Clear link, a select whose errors are tied to it, the invalid-filters alert,
// the empty state, a table that stacks into cards on small screens, and page links.

/** `gridClassName` sets the large-screen columns (lg:grid-cols-N, written out for Tailwind). */
export function LogFilterForm({
  action,
  label,
  gridClassName,
  isClearable,
  children,
}: {
  action: string;
  label: string;
  gridClassName: string;
  isClearable: boolean;
  children: React.ReactNode;
}) {
  return (
    <form method="get" action={action} aria-label={label} className={`mt-6 grid gap-4 rounded-lg border border-slate-200 p-4 sm:grid-cols-2 ${gridClassName}`}>
      {/* One flat list, the fields and then the buttons, as if written out in the page:
          the ids React generates for the fields (useId) follow the tree's shape. */}
      {[
        ...Children.toArray(children),
        <div key="actions" className="flex items-end gap-3">
          <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">
            Filter
          </button>
          {isClearable ? (
            <Link href={action} className="py-2 text-sm text-slate-700 underline">
              Clear
            </Link>
          ) : null}
        </div>,
      ]}
    </form>
  );
}

export function LogFilterSelect({
  id,
  label,
  name,
  value,
  errors,
  anyLabel,
  options,
}: {
  id: string;
  label: string;
  name: string;
  value: string;
  errors: string[] | undefined;
  /** The first option, no filter. */
  anyLabel: string;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <SelectField id={id} label={label} name={name} defaultValue={value} errors={errors} options={options}>
      <option value="">{anyLabel}</option>
    </SelectField>
  );
}

/** Invalid filters show nothing but this: `items` names what is not shown ("requests"). */
export function InvalidFiltersAlert({ items, otherErrors }: { items: string; otherErrors: string[] }) {
  return (
    <div role="alert" className="mt-6 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      <p>Some filters are not valid, so no {items} are shown. Correct them or clear the filters.</p>
      {otherErrors.length ? (
        <ul className="mt-1 list-disc pl-5">
          {[...new Set(otherErrors)].map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function LogEmpty({ testId, children }: { testId: string; children: React.ReactNode }) {
  return (
    <p className="mt-6 rounded-lg border border-dashed border-slate-300 p-6 text-slate-700" data-testid={testId}>
      {children}
    </p>
  );
}

/** A cell of a LogTable row: on small screens it shows its column name (data-label) before it. */
export const LOG_CELL =
  "block py-1 sm:table-cell sm:px-3 sm:py-2 sm:align-top " +
  "max-sm:before:mr-2 max-sm:before:font-medium max-sm:before:text-slate-600 max-sm:before:content-[attr(data-label)]";
/** A LogTable row: a card on small screens, a table row from sm up. */
export const LOG_ROW = "mb-3 block rounded-lg border border-slate-200 p-3 sm:mb-0 sm:table-row sm:rounded-none sm:border-0 sm:border-b sm:p-0";

// A table from small screens up; below that each row stacks into a card whose cells
// carry their column name (data-label), since the header row is hidden there.
export function LogTable({ label, columns, children }: { label: string; columns: readonly string[]; children: React.ReactNode }) {
  return (
    <table className="mt-6 block w-full text-sm sm:table" aria-label={label}>
      <thead className="sr-only sm:not-sr-only sm:table-header-group">
        <tr className="border-b border-slate-200 text-left text-slate-600">
          {columns.map((column) => (
            <th key={column} scope="col" className="px-3 py-2 font-medium">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="block sm:table-row-group">{children}</tbody>
    </table>
  );
}

/** 2025-03-01T10:00:00Z: ISO 8601 in UTC, to the second. */
export function UtcTime({ at, testId }: { at: Date; testId?: string }) {
  return (
    <time dateTime={at.toISOString()} className="font-mono" data-testid={testId}>
      {at.toISOString().replace(/\.\d{3}Z$/, "Z")}
    </time>
  );
}

/** Newest (back to the first page) and Older (the next page); nothing when there is neither. */
export function LogPagination({ newestHref, olderHref }: { newestHref: string | null; olderHref: string | null }) {
  if (!newestHref && !olderHref) return null;
  return (
    <nav aria-label="Pages" className="mt-6 flex gap-6 text-sm">
      {newestHref ? (
        <Link href={newestHref} className="text-brand-600 underline">
          Newest
        </Link>
      ) : null}
      {olderHref ? (
        <Link href={olderHref} rel="next" className="text-brand-600 underline">
          Older
        </Link>
      ) : null}
    </nav>
  );
}
