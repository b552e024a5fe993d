import "server-only";
// What the emailed link's confirm page shows: read only (a GET decides nothing), and
// only to an owner or editor of the run's project; anyone else, or a token that does
// not match, finds nothing.
import { getDb } from "../db";
import { approvalsDecidableBy, effectiveApprovalStatus } from "./approval-access";
import { openApprovalMessage } from "./approval-message";
import { APPROVAL_TOKEN_PATTERN } from "./approval-token-pattern";
import { hashApprovalToken } from "./approval-token";

export type TApprovalForDecision = {
  id: string;
  projectId: string;
  projectName: string;
  runId: string;
  flowName: string;
  stepName: string;
  status: "PENDING" | "APPROVED" | "REJECTED" | "EXPIRED";
  isRunWaiting: boolean;
  message: string;
  expiresAt: Date;
  decidedByEmail: string | null;
  decidedAt: Date | null;
};

export async function getApprovalForDecision(userId: string, token: string, now = new Date()): Promise<TApprovalForDecision | null> {
  if (!APPROVAL_TOKEN_PATTERN.test(token)) return null;
  const row = await getDb().approvalRequest.findFirst({
    where: { tokenHash: hashApprovalToken(token), ...approvalsDecidableBy(userId) },
    select: {
      id: true,
      projectId: true,
      runId: true,
      nodeId: true,
      status: true,
      messageSealed: true,
      expiresAt: true,
      decidedByEmail: true,
      decidedAt: true,
      project: { select: { name: true } },
      run: { select: { status: true, flow: { select: { name: true } }, version: { select: { document: true } } } },
    },
  });
  if (!row) return null;
  const nodes = (row.run.version.document as { nodes?: { id?: unknown; name?: unknown }[] } | null)?.nodes ?? [];
  const stepName = nodes.find((node) => node.id === row.nodeId)?.name;
  return {
    id: row.id,
    projectId: row.projectId,
    projectName: row.project.name,
    runId: row.runId,
    flowName: row.run.flow.name,
    stepName: typeof stepName === "string" ? stepName : row.nodeId,
    status: effectiveApprovalStatus(row, now),
    isRunWaiting: ["QUEUED", "RUNNING", "HELD"].includes(row.run.status),
    message: openApprovalMessage(row.messageSealed, row.projectId, row.id),
    expiresAt: row.expiresAt,
    decidedByEmail: row.decidedByEmail,
    decidedAt: row.decidedAt,
  };
}
