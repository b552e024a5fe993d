import "server-only";
// step.approval: creates the approval request (lib/server/approvals) and returns its id;
// the interpreter then waits on the node's wait key, which a decision signals. The
// request expires with the step's timeout, when the interpreter stops waiting.
import type { TExecutor } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";
import { createApprovalRequest } from "../../approvals/create-approval-request";
import { waitKeyOf } from "./subflow";

const UNIT_MS = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
const DEFAULT_TIMEOUT_MS = 3 * UNIT_MS.days;

function timeoutMs(raw: unknown): number {
  const timeout = raw as { amount?: unknown; unit?: unknown } | undefined;
  if (!timeout || typeof timeout.amount !== "number" || typeof timeout.unit !== "string" || !(timeout.unit in UNIT_MS)) return DEFAULT_TIMEOUT_MS;
  return timeout.amount * UNIT_MS[timeout.unit as keyof typeof UNIT_MS];
}

export const approvalExecutor: TExecutor = async (context) => {
  const message = typeof context.config.message === "string" ? context.config.message : "";
  if (message.trim() === "") throw new StepFailure("Say what is to be approved.", { retryable: false });
  const request = await createApprovalRequest({
    projectId: context.projectId,
    runId: context.runId,
    nodeId: context.node.id,
    stepName: context.node.name,
    waitKey: waitKeyOf(context),
    message,
    expiresAt: new Date(Date.now() + timeoutMs(context.node.config.timeout ?? context.config.timeout)),
    runSecrets: context.runSecrets,
  });
  return { approvalId: request.approvalId };
};
