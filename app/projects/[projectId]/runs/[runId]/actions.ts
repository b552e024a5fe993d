"use server";

import { defineAction } from "@/lib/server/action";
import { ZDecideApprovalInput } from "@/lib/server/approvals/approval-schemas";
import { decideApproval } from "@/lib/server/approvals/decide-approval";

// Owners and editors decide, checked inside the data function's query from the request
// id: a viewer, or a request of another project, reads as not found.
export const decideApprovalAction = defineAction({ input: ZDecideApprovalInput, auth: "user" }, async (input, { user, meta }) => {
  const decided = await decideApproval(user.id, input, meta);
  return { status: decided.status };
});
