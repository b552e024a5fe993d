import "server-only";
// The inspector's picker: the choices an app's API lists for a field (Slack channels),
// read with a connection the caller chose. Editors and owners of the connection's
// project only (flows.write, in the query); another project's connection, or one the
// caller cannot see, reads as not found. The call goes through the same sender as a
// run's (allowed origins, SSRF guard, secret removal), audited as the picker's.
import { appPickerOf } from "@/lib/apps/registry";
import { ZConnectionId } from "@/lib/connections/schemas";
import { AppError } from "@/lib/errors";
import { StepFailure } from "@/lib/flows/retry-policy";
import { z } from "@/lib/zod";
import { connectionVisibleTo } from "../connections/connection-access";
import { connectionNotFound } from "../connections/connection-not-found";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import { consumeRateLimits, LIMITS, RateLimitedError } from "../rate-limit/limiters";
import { APP_CHOICE_SOURCES, type TAppChoices } from "./app-choice-sources";
import { connectionFitsApp } from "./app-connection";
import { appSender, type TAppExecutorOptions } from "./send-app-request";

export const ZListAppChoicesInput = z.strictObject({
  connectionId: ZConnectionId,
  nodeType: z.string().trim().min(1).max(100),
  field: z.string().trim().min(1).max(100),
  /** The step's other plain field values, for lists that depend on one (a spreadsheet's sheets). */
  values: z
    .record(z.string().max(100), z.string().max(2000))
    .refine((values) => Object.keys(values).length <= 20, "At most 20 values.")
    .default({}),
});
export type TListAppChoicesInput = z.input<typeof ZListAppChoicesInput>;

export async function listAppChoices(userId: string, rawInput: TListAppChoicesInput, options: Pick<TAppExecutorOptions, "policy"> = {}): Promise<TAppChoices> {
  const input = parseInput(ZListAppChoicesInput, rawInput);
  const sourceId = appPickerOf(input.nodeType, input.field);
  const source = sourceId ? APP_CHOICE_SOURCES[sourceId] : undefined;
  if (!source) throw new AppError("BAD_INPUT", "This field has no list to choose from.");
  const row = await getDb().connection.findFirst({
    where: { id: input.connectionId, ...connectionVisibleTo(userId, "flows.write") },
    select: { id: true, projectId: true, type: true, provider: true },
  });
  if (!row) throw connectionNotFound();
  if (!connectionFitsApp(source.app, row))
    throw new AppError("BAD_INPUT", `That connection cannot sign ${source.app.label} requests. ${source.app.connection.hint}`);
  // Each list calls an outside service with the project's credential, like a step test:
  // the same per-person budget, so neither can be used to hammer a provider.
  try {
    await consumeRateLimits([["stepTestUser", userId]]);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    throw new AppError(
      "RATE_LIMITED",
      `You can list choices or test steps ${LIMITS.stepTestUser.points} times a minute. Try again in ${error.retryAfterSeconds} seconds.`,
    );
  }
  const send = appSender(
    { app: source.app, projectId: row.projectId, connectionId: row.id, runId: null, nodeId: null, timeoutMs: 15_000 },
    { ...options, auditAs: { source: "app-picker", userId } },
  );
  try {
    return await source.list(send, input.values);
  } catch (error) {
    // The step's own words (the token refused, a missing scope, rate limited), never a secret.
    if (error instanceof StepFailure) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
}
