// Filters of a project's audit log, from the page's query string and for the data
// function (which re-parses them: it is the authority). Strict: an unknown parameter is
// an error, not silently ignored.
import "server-only";
import { ZEmail } from "@/lib/auth/schemas";
import { AUDIT_ACTIONS, type TAuditAction } from "@/lib/server/audit/record-audit-event";
import { z } from "@/lib/zod";

// Actions that name a project. Account events (auth.*) belong to a person, not a
// project; features that record project-scoped events use one of these prefixes, so
// their actions become filterable as soon as they are added to AUDIT_ACTIONS.
const PROJECT_ACTION_PREFIXES = ["project.", "member.", "members.", "invitation.", "invitations.", "flow.", "flows.", "run.", "runs.", "connection.", "connections.", "outbound."];

export const PROJECT_AUDIT_ACTIONS: readonly TAuditAction[] = AUDIT_ACTIONS.filter((action) =>
  PROJECT_ACTION_PREFIXES.some((prefix) => action.startsWith(prefix)),
);

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_PAGE_SIZE_MAX = 100;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A UTC day ("2025-03-01", what a date input sends) or an ISO date-time with an offset.
 * A bare day as the end of a range means the whole day, so `to` widens it to its last
 * millisecond (the column's precision).
 */
function ZAuditDate(edge: "start" | "end") {
  return z
    .union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "Enter a date like 2025-03-01." })
    .transform((value) => {
      if (!DATE_ONLY.test(value)) return new Date(value);
      const day = new Date(`${value}T00:00:00.000Z`);
      return edge === "start" ? day : new Date(day.getTime() + 24 * 60 * 60 * 1000 - 1);
    });
}

export const ZProjectAuditFilters = z
  .strictObject({
    /** The id of the last event of the previous page; ids are bigints, so it stays a string. */
    cursor: z
      .string()
      .refine((value) => /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= 9223372036854775807n, "That page link is not valid.")
      .optional(),
    action: z.enum(PROJECT_AUDIT_ACTIONS as [TAuditAction, ...TAuditAction[]], { error: "Choose an action from the list." }).optional(),
    actorEmail: ZEmail.optional(),
    from: ZAuditDate("start").optional(),
    to: ZAuditDate("end").optional(),
    limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_SIZE_MAX).default(AUDIT_PAGE_SIZE),
  })
  .refine((filters) => !filters.from || !filters.to || filters.from <= filters.to, {
    path: ["to"],
    error: "The end date is before the start date.",
  });

export type TProjectAuditFiltersInput = z.input<typeof ZProjectAuditFilters>;
export type TProjectAuditFilters = z.output<typeof ZProjectAuditFilters>;

/**
 * The query string as filter input. A GET form sends every field, so empty ones mean
 * "no filter"; a repeated parameter stays an array and fails the schema.
 */
export function auditFiltersFromSearchParams(
  params: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const input: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === "") continue;
    input[key] = value;
  }
  return input;
}
