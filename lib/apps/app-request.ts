// Pure helpers app executors build their requests with. The address is always the API
// base (the provider's, or the connection's apiBaseUrl) joined with a fixed method path;
// values from data go into the JSON body or the query, or, when an API wants them in
// the path, through appPath, which encodes each segment so no value can climb out of
// the API base ("../", "//evil", "https://...").
import { StepFailure } from "@/lib/flows/retry-policy";

/** The base with exactly one trailing "/" (a relative path then extends it rather than replacing its last segment). */
export function normalizeApiBase(base: string): string {
  return base.endsWith("/") ? base : `${base}/`;
}

/**
 * A path below the API base from fixed parts and data values: each value is one
 * percent-encoded segment; an empty value or "." / ".." is refused (it would change
 * which resource the request reads, not name one).
 */
export function appPath(strings: TemplateStringsArray, ...values: unknown[]): string {
  let path = strings[0] ?? "";
  values.forEach((value, index) => {
    const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
    if (text === "" || text === "." || text === "..") {
      throw new StepFailure(`A value for the address is empty or not a name (${JSON.stringify(String(value ?? "")).slice(0, 60)}).`, {
        retryable: false,
        code: "BAD_INPUT",
      });
    }
    path += encodeURIComponent(text) + (strings[index + 1] ?? "");
  });
  if (path.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(path))
    throw new StepFailure("An app path must be relative to the API base.", { retryable: false, code: "INTERNAL" });
  return path;
}

/** The full address: `path` (fixed or from appPath) under the base, query values appended (empty ones left out). */
export function appUrl(base: string, path: string, query: Readonly<Record<string, string | number | boolean | null | undefined>> = {}): string {
  const url = new URL(path, normalizeApiBase(base));
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    url.searchParams.append(name, String(value));
  }
  return url.toString();
}

/** A rendered value as text: a mapping may have produced a number or an object. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A required value after mapping: refused (not retried) when it rendered empty. */
export function requiredText(value: unknown, label: string): string {
  const text = textOf(value).trim();
  if (text === "") throw new StepFailure(`${label} is empty after mapping.`, { retryable: false, code: "BAD_INPUT" });
  return text;
}
