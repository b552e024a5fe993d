"use server";

import { defineAction } from "@/lib/server/action";
import { ZDecideApprovalByTokenInput } from "@/lib/server/approvals/approval-schemas";
import { decideApprovalByToken } from "@/lib/server/approvals/decide-approval";

/**
 * The emailed link's decision: a POST from the confirm page (a GET of the link decides
 * nothing, so a mail scanner cannot approve). The signed-in person must be an owner or
 * editor of the run's project: checked inside the data function, from the token.
 */
export const decideApprovalByTokenAction = defineAction({ input: ZDecideApprovalByTokenInput, auth: "user" }, async (input, { user, meta }) => {
  const decided = await decideApprovalByToken(user.id, input, meta);
  return { status: decided.status, runId: decided.runId, projectId: decided.projectId };
});
