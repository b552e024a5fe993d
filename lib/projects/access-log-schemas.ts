// Filters of a project's access log, from the page's query string, the CSV export's
// query and for the data function (which re-parses them: it is the authority). Strict:
// an unknown parameter is an error, not silently ignored.
import "server-only";
import { ZEmail } from "@/lib/auth/schemas";
import { z } from "@/lib/zod";
import { DATE_RANGE_ERROR, isBigintId, isDateRangeInOrder, PAGE_LINK_ERROR, ZLogDate } from "./log-filter-schemas";

export const ACCESS_LOG_PAGE_SIZE = 50;
export const ACCESS_LOG_PAGE_SIZE_MAX = 1000;
export const STATUS_CLASSES = ["2xx", "3xx", "4xx", "5xx"] as const;
export type TStatusClass = (typeof STATUS_CLASSES)[number];

/** `<epoch ms>.<id>`: the (time, id) of the last record of the previous page. */
const CURSOR = /^(\d{1,15})\.([1-9]\d{0,18})$/;

export const ZAccessLogFilters = z
  .strictObject({
    cursor: z
      .string()
      .refine((value) => CURSOR.test(value) && isBigintId(CURSOR.exec(value)![2]!), PAGE_LINK_ERROR)
      .transform((value) => {
        const [, ms, id] = CURSOR.exec(value)!;
        return { time: new Date(Number(ms)), id: BigInt(id!) };
      })
      .optional(),
    from: ZLogDate("start").optional(),
    to: ZLogDate("end").optional(),
    status: z.enum(STATUS_CLASSES, { error: "Choose a status class from the list." }).optional(),
    userEmail: ZEmail.optional(),
    /** Part of a route template, e.g. /api/projects or [token. */
    route: z.string().trim().min(1).max(200, "A route filter is at most 200 characters.").optional(),
    limit: z.coerce.number().int().min(1).max(ACCESS_LOG_PAGE_SIZE_MAX).default(ACCESS_LOG_PAGE_SIZE),
  })
  .refine(isDateRangeInOrder, DATE_RANGE_ERROR);

/**
 * The CSV export's query string: the page's filters without paging. Only shapes here;
 * the data function parses the values (and answers 400 with the field's message).
 */
export const ZAccessLogExportQuery = z.strictObject({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  status: z.string().max(8).optional(),
  userEmail: z.string().max(320).optional(),
  route: z.string().max(200).optional(),
});

export type TAccessLogFiltersInput = z.input<typeof ZAccessLogFilters>;
export type TAccessLogFilters = z.output<typeof ZAccessLogFilters>;

export function accessCursorOf(record: { time: Date; id: string }): string {
  return `${record.time.getTime()}.${record.id}`;
}
