// Input of the two ways to decide an approval: the run page's buttons (by request id)
// and the emailed link's confirm page (by token). Strict: unknown fields are an error.
import { z } from "@/lib/zod";
import { APPROVAL_TOKEN_PATTERN } from "./approval-token-pattern";

export const ZApprovalDecision = z.enum(["approve", "reject"]);

export const ZDecideApprovalInput = z.strictObject({
  approvalId: z.uuid("This approval request was not found."),
  decision: ZApprovalDecision,
});
export type TDecideApprovalInput = z.input<typeof ZDecideApprovalInput>;

export const ZDecideApprovalByTokenInput = z.strictObject({
  token: z.string().regex(APPROVAL_TOKEN_PATTERN, "This approval link is not valid."),
  decision: ZApprovalDecision,
});
export type TDecideApprovalByTokenInput = z.input<typeof ZDecideApprovalByTokenInput>;
