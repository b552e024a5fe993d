// What the filters of a project's logs (audit log, access log) share: the date range
// a date input sends, the check that it is in order, the bigint ids their page links
// carry, and reading a GET form's query string. Strict schemas are built from these in
// audit-schemas.ts and access-log-schemas.ts.
import "server-only";
import { z } from "@/lib/zod";

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** A PostgreSQL bigint id as text: positive, no leading zero, at most 2^63 - 1. */
const BIGINT_ID = /^[1-9]\d{0,18}$/;

export const PAGE_LINK_ERROR = "That page link is not valid.";

/**
 * A UTC day ("2025-03-01", what a date input sends) or an ISO date-time with an offset.
 * A bare day as the end of a range means the whole day, so `to` widens it to its last
 * millisecond (the column's precision).
 */
export function ZLogDate(edge: "start" | "end") {
  return z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "Enter a date like 2025-03-01." }).transform((value) => {
    if (!DATE_ONLY.test(value)) return new Date(value);
    const day = new Date(`${value}T00:00:00.000Z`);
    return edge === "start" ? day : new Date(day.getTime() + 24 * 60 * 60 * 1000 - 1);
  });
}

export function isBigintId(value: string): boolean {
  return BIGINT_ID.test(value) && BigInt(value) <= 9223372036854775807n;
}

/** For `.refine`: a range whose end is before its start is refused, on the `to` field. */
export function isDateRangeInOrder(filters: { from?: Date | undefined; to?: Date | undefined }): boolean {
  return !filters.from || !filters.to || filters.from <= filters.to;
}
export const DATE_RANGE_ERROR = { path: ["to"], error: "The end date is before the start date." };

/**
 * The query string as filter input. A GET form sends every field, so empty ones mean
 * "no filter"; a repeated parameter stays an array and fails the schema.
 */
export function logFiltersFromSearchParams(params: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const input: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "") continue;
    input[key] = value;
  }
  return input;
}
