// Run inputs at the edge. Strict objects: a projectId beside a runId is refused.
import { z } from "@/lib/zod";
import { ZFlowId } from "@/lib/flows/flow-schemas";
import { decodeRunCursor, MIN_RUN_ID_PREFIX, parseFilterTime, RUN_STATUSES, RUN_TRIGGERS, runIdRange } from "@/lib/runs/run-filters";

export const ZRunId = z.uuid("That run does not exist.");

/** "Run now": a JSON payload typed by a person, as text (what a textarea sends). */
export const ZRunNowInput = z.strictObject({
  flowId: ZFlowId,
  payload: z
    .string()
    .max(1024 * 1024, "The payload is larger than 1 MB.")
    .transform((text, ctx) => {
      if (text.trim() === "") return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "The payload is not valid JSON." });
        return z.NEVER;
      }
    }),
});
export type TRunNowInput = z.input<typeof ZRunNowInput>;

export const ZRunIdInput = z.strictObject({ runId: ZRunId });
export type TRunIdInput = z.infer<typeof ZRunIdInput>;

export const ZRerunInput = z.strictObject({ runId: ZRunId, version: z.enum(["pinned", "current"], "Choose the version to run.") });
export type TRerunInput = z.infer<typeof ZRerunInput>;

// The runs list's filters, from a URL query (API) or a GET form (page). An empty value is
// "no filter" (what a form's "All" option sends); anything else must be valid, so a
// mistyped filter answers with what is wrong instead of silently listing everything.
const optionalParam = <S extends z.ZodType>(schema: S) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());
const ZFilterTime = (label: string) =>
  z.string(`Give one ${label} time.`).transform((text, ctx) => {
    const date = parseFilterTime(text);
    if (!date) {
      ctx.addIssue({ code: "custom", message: `The ${label} time is not a date and time (for example 2026-12-06T14:30, read as UTC).` });
      return z.NEVER;
    }
    return date;
  });

export const ZListRunsInput = z
  .strictObject({
    status: optionalParam(z.enum(RUN_STATUSES, `Status is one of ${RUN_STATUSES.join(", ")}.`)),
    flowId: optionalParam(ZFlowId),
    trigger: optionalParam(z.enum(RUN_TRIGGERS, `Trigger is one of ${RUN_TRIGGERS.join(", ")}.`)),
    /** Runs started at or after this time (UTC without an offset). */
    from: optionalParam(ZFilterTime("from")),
    /** Runs started before this time. */
    to: optionalParam(ZFilterTime("to")),
    /** A run id, or its first 8 or more characters. */
    run: optionalParam(
      z.string("Give one run id.").transform((text, ctx) => {
        const range = runIdRange(text);
        if (!range) {
          ctx.addIssue({ code: "custom", message: `Enter a run id, or at least its first ${MIN_RUN_ID_PREFIX} characters.` });
          return z.NEVER;
        }
        return range;
      }),
    ),
    /** Where the previous page ended (its nextCursor). */
    cursor: optionalParam(
      z.string("That page link is not valid.").transform((text, ctx) => {
        const cursor = decodeRunCursor(text);
        if (!cursor) {
          ctx.addIssue({ code: "custom", message: "That page link is not valid." });
          return z.NEVER;
        }
        return cursor;
      }),
    ),
    limit: optionalParam(
      z.coerce
        .number("Limit is a number from 1 to 100.")
        .int("Limit is a number from 1 to 100.")
        .min(1, "Limit is a number from 1 to 100.")
        .max(100, "Limit is a number from 1 to 100."),
    ),
  })
  .refine((input) => !input.from || !input.to || input.from < input.to, { message: "The from time must be before the to time.", path: ["to"] });
export type TListRunsInput = z.input<typeof ZListRunsInput>;
export type TListRunsFilter = z.output<typeof ZListRunsInput>;
