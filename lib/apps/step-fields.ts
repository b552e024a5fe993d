// The settings every app step shares, defined apart from lib/flows/node-types.ts so the
// node-type list can import the app registry without an import cycle. The retry and
// on-error fields are the same as the core steps' (ZStepRetry, the onError of the
// engine contract); tests/unit/apps-registry.test.ts checks they agree.
import { z } from "@/lib/zod";

/** Same rules as ZStepRetry in lib/flows/node-types.ts. */
export const ZAppRetry = z
  .strictObject({
    attempts: z.number().int().min(1, "At least 1 attempt.").max(10, "At most 10 attempts.").optional(),
    timeoutMs: z.number().int().min(1000, "At least 1 second.").max(300_000, "At most 300 seconds.").optional(),
  })
  .optional();

/** What a failure does: stop the run (absent), continue with { error }, or follow the "error" path. */
export const ZAppOnError = z.enum(["stop", "continue", "branch"], "Choose what happens when the step fails: stop, continue or take the error path.").optional();

/** The connection an app step sends with: required (an app step always authenticates). */
export const ZAppConnectionId = (appLabel: string) => z.uuid(`Choose a ${appLabel} connection of this project.`);

/** A value the run renders with `{{...}}` before sending. */
export const ZAppText = (label: string, max = 10_000) => z.string().max(max, `${label} is too long (at most ${max} characters).`);

/** A value the step cannot run without (checked again after mapping). */
export const ZAppRequiredText = (label: string, max = 10_000) => ZAppText(label, max).trim().min(1, `Enter ${label.toLowerCase()}.`);
