"use server";

import { defineAction } from "@/lib/server/action";
import { cancelRun } from "@/lib/server/runs/cancel-run";
import { rerunRun, retryRunFromFailedStep } from "@/lib/server/runs/rerun-run";
import { ZRerunInput, ZRunIdInput } from "@/lib/server/runs/run-schemas";

// "runs.control" (owners, editors) is checked inside each data function's query,
// found from the run id: a run of another project reads as not found.

export const cancelRunAction = defineAction({ input: ZRunIdInput, auth: "user" }, async (input, { user, meta }) => {
  const { status } = await cancelRun(user.id, input, meta);
  return { status };
});

export const rerunRunAction = defineAction({ input: ZRerunInput, auth: "user" }, async (input, { user, meta }) => {
  const { runId } = await rerunRun(user.id, input, meta);
  return { runId };
});

export const retryRunAction = defineAction({ input: ZRunIdInput, auth: "user" }, async (input, { user, meta }) => {
  const { runId } = await retryRunFromFailedStep(user.id, input, meta);
  return { runId };
});
