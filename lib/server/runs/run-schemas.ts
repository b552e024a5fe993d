// Run inputs at the edge. Strict objects: a projectId beside a runId is refused.
import { z } from "@/lib/zod";
import { ZFlowId } from "@/lib/flows/flow-schemas";

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

export const ZListRunsInput = z.strictObject({
  flowId: ZFlowId.optional(),
  /** The id of the last run of the previous page. */
  cursor: ZRunId.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type TListRunsInput = z.input<typeof ZListRunsInput>;
