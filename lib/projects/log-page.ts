// What a project's log pages (audit log, access log) do alike with their filters: show
// them back as typed with their errors, and carry them into page links.
import "server-only";

type TIssue = { readonly path: readonly PropertyKey[]; readonly message: string };

export type TLogFilterState<F extends string> = {
  /** Messages by field; "" for an issue about no field. */
  errors: Record<string, string[]>;
  /** What the form shows and the page links carry: the filters as typed, valid or not. */
  values: Record<F, string>;
  isFiltered: boolean;
  /** Messages of issues no field of the form shows (an unknown parameter, a bad page link). */
  otherErrors: string[];
};

export function logFilterState<F extends string>(fields: readonly F[], raw: Record<string, string | string[]>, issues: readonly TIssue[]): TLogFilterState<F> {
  const errors: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = typeof issue.path[0] === "string" ? issue.path[0] : "";
    (errors[key] ??= []).push(issue.message);
  }
  const values = Object.fromEntries(fields.map((field) => [field, typeof raw[field] === "string" ? raw[field] : ""])) as Record<F, string>;
  const isFiltered = fields.some((field) => values[field] !== "");
  const otherErrors = Object.entries(errors).flatMap(([key, messages]) => ((fields as readonly string[]).includes(key) ? [] : messages));
  return { errors, values, isFiltered, otherErrors };
}

/** The page (or export) address with the filters set, and the page link's cursor if any. */
export function logPageHref<F extends string>(basePath: string, fields: readonly F[], values: Record<F, string>, cursor?: string): string {
  const query = new URLSearchParams();
  for (const field of fields) if (values[field]) query.set(field, values[field]);
  if (cursor) query.set("cursor", cursor);
  const search = query.toString();
  return search ? `${basePath}?${search}` : basePath;
}
