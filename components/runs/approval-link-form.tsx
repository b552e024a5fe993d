"use client";

import { decideApprovalByTokenAction } from "@/app/approvals/decide/actions";
import { ApprovalDecisionButtons } from "./approval-decision-buttons";

/** The emailed link's confirm page: the decision is this form's POST, never the link's GET. */
export function ApprovalLinkForm({ token, decideBefore }: { token: string; decideBefore: string }) {
  return (
    <ApprovalDecisionButtons
      decide={(decision) => decideApprovalByTokenAction({ token, decision })}
      hint={<p className="text-sm text-slate-600">Decide before {decideBefore}. A decision cannot be changed.</p>}
    />
  );
}
