// Filters of a project's audit log, from the page's query string and for the data
// function (which re-parses them: it is the authority). Strict: an unknown parameter is
// an error, not silently ignored.
import "server-only";
import { ZEmail } from "@/lib/auth/schemas";
import { AUDIT_ACTIONS, type TAuditAction } from "@/lib/server/audit/record-audit-event";
import { z } from "@/lib/zod";
import { auditActionLabel } from "./audit-sentences";
import { DATE_RANGE_ERROR, isBigintId, isDateRangeInOrder, PAGE_LINK_ERROR, ZLogDate } from "./log-filter-schemas";

// Actions that name a project. Account events (auth.*) belong to a person, not a
// project; features that record project-scoped events use one of these prefixes, so
// their actions become filterable as soon as they are added to AUDIT_ACTIONS.
const PROJECT_ACTION_PREFIXES = [
  "project.",
  "member.",
  "members.",
  "invitation.",
  "invitations.",
  "flow.",
  "flows.",
  "run.",
  "runs.",
  "connection.",
  "connections.",
  "outbound.",
  "billing.",
  "api_key.",
];

export const PROJECT_AUDIT_ACTIONS: readonly TAuditAction[] = AUDIT_ACTIONS.filter((action) =>
  PROJECT_ACTION_PREFIXES.some((prefix) => action.startsWith(prefix)),
);

/** The action filter's options: readable labels ("Invitation sent"), the action as the value. */
export const PROJECT_AUDIT_ACTION_OPTIONS: readonly { value: TAuditAction; label: string }[] = PROJECT_AUDIT_ACTIONS.map((action) => ({
  value: action,
  label: auditActionLabel(action),
}));

export const AUDIT_PAGE_SIZE = 50;
export const AUDIT_PAGE_SIZE_MAX = 100;

export const ZProjectAuditFilters = z
  .strictObject({
    /** The id of the last event of the previous page; ids are bigints, so it stays a string. */
    cursor: z.string().refine(isBigintId, PAGE_LINK_ERROR).optional(),
    action: z.enum(PROJECT_AUDIT_ACTIONS as [TAuditAction, ...TAuditAction[]], { error: "Choose an action from the list." }).optional(),
    actorEmail: ZEmail.optional(),
    from: ZLogDate("start").optional(),
    to: ZLogDate("end").optional(),
    limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_SIZE_MAX).default(AUDIT_PAGE_SIZE),
  })
  .refine(isDateRangeInOrder, DATE_RANGE_ERROR);

export type TProjectAuditFiltersInput = z.input<typeof ZProjectAuditFilters>;
export type TProjectAuditFilters = z.output<typeof ZProjectAuditFilters>;
