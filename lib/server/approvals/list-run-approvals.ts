import "server-only";
// A run's approval requests for its page: the message opened (scrubbed when stored),
// the status with expiry read from the time, who decided and when. Called with a run
// the caller may already read (get-run.ts checked it); the project is the run's own.
import { getDb } from "../db";
import { effectiveApprovalStatus } from "./approval-access";
import { openApprovalMessage } from "./approval-message";

export type TApprovalView = {
  id: string;
  nodeId: string;
  status: "PENDING" | "APPROVED" | "REJECTED" | "EXPIRED";
  message: string;
  expiresAt: Date;
  decidedByEmail: string | null;
  decidedAt: Date | null;
};

export async function listRunApprovals(projectId: string, runId: string, now = new Date()): Promise<TApprovalView[]> {
  const rows = await getDb().approvalRequest.findMany({
    where: { runId, projectId },
    orderBy: { createdAt: "asc" },
    select: { id: true, nodeId: true, status: true, messageSealed: true, expiresAt: true, decidedByEmail: true, decidedAt: true },
  });
  return rows.map((row) => ({
    id: row.id,
    nodeId: row.nodeId,
    status: effectiveApprovalStatus(row, now),
    message: openApprovalMessage(row.messageSealed, projectId, row.id),
    expiresAt: row.expiresAt,
    decidedByEmail: row.decidedByEmail,
    decidedAt: row.decidedAt,
  }));
}
