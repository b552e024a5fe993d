"use client";

import { decideApprovalByTokenAction } from "@/app/approvals/decide/actions";
import { ApprovalDecisionButtons } from "./approval-decision-buttons";

/** The emailed link's confirm page: the decision is this form's POST, never the link's GET. */
export function ApprovalLinkForm({ token }: { token: string }) {
  return <ApprovalDecisionButtons decide={(decision) => decideApprovalByTokenAction({ token, decision })} />;
}
