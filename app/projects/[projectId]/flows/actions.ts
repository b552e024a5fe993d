"use server";

import { AppError } from "@/lib/errors";
import { ZFlowIdInput, ZPublishFlowInput, ZRenameFlowInput, ZSaveFlowDraftInput, ZSetFlowActiveInput } from "@/lib/flows/flow-schemas";
import type { TFlowProblem } from "@/lib/flows/validate";
import { defineAction } from "@/lib/server/action";
import { createFlow } from "@/lib/server/flows/create-flow";
import { deleteFlow } from "@/lib/server/flows/delete-flow";
import { FlowNotRunnableError, publishFlow } from "@/lib/server/flows/publish-flow";
import { renameFlow } from "@/lib/server/flows/rename-flow";
import { saveFlowDraft } from "@/lib/server/flows/save-flow-draft";
import { setFlowActive } from "@/lib/server/flows/set-flow-active";
import { ZRunNowInput } from "@/lib/server/runs/run-schemas";
import { startRun } from "@/lib/server/runs/start-run";
import { ZNewFlowInput } from "@/lib/templates/schemas";

// "flows.write" (and "runs.control" for Run now) is checked inside each data function's
// query, found from the flow id; a projectId next to a flowId is an unknown field.
// Answers are ids and statuses only: documents stay on the page that loaded them.

/** Problems keyed by the step they concern ("flow" for the flow as a whole), as field errors. */
function problemsAsFieldErrors(problems: TFlowProblem[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const problem of problems) (errors[problem.nodeId ?? "flow"] ??= []).push(problem.message);
  return errors;
}

/** Blank, or from a template named by its id (the document is the server's own copy). */
export const createFlowAction = defineAction({ input: ZNewFlowInput, auth: "user" }, async (input, { user, meta }) => {
  const flow = await createFlow(user.id, input, meta);
  return { id: flow.id, name: flow.name };
});

export const renameFlowAction = defineAction({ input: ZRenameFlowInput, auth: "user" }, async (input, { user, meta }) => {
  await renameFlow(user.id, input, meta);
  return { name: input.name };
});

export const deleteFlowAction = defineAction({ input: ZFlowIdInput, auth: "user" }, async (input, { user, meta }) => {
  await deleteFlow(user.id, input, meta);
  return { deleted: true };
});

/** A draft with problems answers BAD_INPUT with each problem under its step's id. */
export const publishFlowAction = defineAction({ input: ZPublishFlowInput, auth: "user" }, async (input, { user, meta }) => {
  try {
    const version = await publishFlow(user.id, input, meta);
    return { versionId: version.versionId, number: version.number };
  } catch (error) {
    if (error instanceof FlowNotRunnableError) throw new AppError("BAD_INPUT", error.message, problemsAsFieldErrors(error.problems));
    throw error;
  }
});

export const setFlowActiveAction = defineAction({ input: ZSetFlowActiveInput, auth: "user" }, async (input, { user, meta }) =>
  setFlowActive(user.id, input, meta),
);

export const saveFlowDraftAction = defineAction({ input: ZSaveFlowDraftInput, auth: "user" }, async (input, { user }) => {
  const saved = await saveFlowDraft(user.id, input);
  return { revision: saved.revision, problemCount: saved.problems.length };
});

export const runNowAction = defineAction({ input: ZRunNowInput, auth: "user" }, async (input, { user, meta }) =>
  startRun({ flowId: input.flowId, payload: input.payload, trigger: "manual", userId: user.id, meta }),
);
