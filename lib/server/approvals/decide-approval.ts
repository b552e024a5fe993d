import "server-only";
// Decides an approval request, once. The request is found through the decider's
// membership (owners and editors; anyone else reads "not found"), locked, and decided
// only while it is pending, unexpired and its run still runs: a second decision, a late
// one or a replayed link changes nothing and says why. The decision, the run's signal
// and the audit event are one transaction; the run is woken after the commit.
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";
import { storeRunSignal, wakeSignalledRun } from "../runs/signals/send-run-signal";
import { approvalNotFound, approvalsDecidableBy, effectiveApprovalStatus } from "./approval-access";
import { ZDecideApprovalByTokenInput, ZDecideApprovalInput, type TDecideApprovalByTokenInput, type TDecideApprovalInput } from "./approval-schemas";
import { hashApprovalToken } from "./approval-token";

export type TApprovalDecisionPayload = { decision: "approved" | "rejected"; by: string; at: string };
export type TDecidedApproval = { approvalId: string; runId: string; projectId: string; status: "APPROVED" | "REJECTED" };

const WAITING_RUN_STATUSES = ["QUEUED", "RUNNING", "HELD"];

export async function decideApproval(userId: string, raw: TDecideApprovalInput, meta: TRequestMeta): Promise<TDecidedApproval> {
  const input = parseInput(ZDecideApprovalInput, raw);
  return decide(userId, { id: input.approvalId }, input.decision, meta, "run_page");
}

export async function decideApprovalByToken(userId: string, raw: TDecideApprovalByTokenInput, meta: TRequestMeta): Promise<TDecidedApproval> {
  const input = parseInput(ZDecideApprovalByTokenInput, raw);
  return decide(userId, { tokenHash: hashApprovalToken(input.token) }, input.decision, meta, "email_link");
}

function alreadyDecided(status: string, request: { decidedByEmail: string | null; decidedAt: Date | null; expiresAt: Date }): AppError {
  if (status === "EXPIRED")
    return new AppError("CONFLICT", `This approval request expired on ${request.expiresAt.toUTCString()}; it can no longer be decided.`);
  const verb = status === "APPROVED" ? "approved" : "rejected";
  const by = request.decidedByEmail ? ` by ${request.decidedByEmail}` : "";
  const at = request.decidedAt ? ` on ${request.decidedAt.toUTCString()}` : "";
  return new AppError("CONFLICT", `This approval request was already ${verb}${by}${at}; a decision cannot be changed.`);
}

async function decide(
  userId: string,
  where: { id: string } | { tokenHash: string },
  decision: "approve" | "reject",
  meta: TRequestMeta,
  via: "run_page" | "email_link",
): Promise<TDecidedApproval> {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, kind: true } });
  if (!user || user.kind !== "PERSON") throw approvalNotFound();
  const result = await db.$transaction(async (tx) => {
    const found = await tx.approvalRequest.findFirst({ where: { ...where, ...approvalsDecidableBy(userId) }, select: { id: true } });
    if (!found) throw approvalNotFound();
    await tx.$queryRaw`SELECT id FROM approval_requests WHERE id = ${found.id}::uuid FOR UPDATE`;
    const request = await tx.approvalRequest.findUniqueOrThrow({
      where: { id: found.id },
      select: {
        id: true,
        projectId: true,
        runId: true,
        nodeId: true,
        waitKey: true,
        status: true,
        expiresAt: true,
        decidedByEmail: true,
        decidedAt: true,
        run: { select: { status: true, flowId: true } },
      },
    });
    const now = new Date();
    const status = effectiveApprovalStatus(request, now);
    if (status !== "PENDING")
      return { refused: alreadyDecided(status, request), expire: status === "EXPIRED" && request.status === "PENDING" ? request.id : null };
    if (!WAITING_RUN_STATUSES.includes(request.run.status)) {
      return { refused: new AppError("CONFLICT", "The run that asked for this approval has ended; it no longer waits for a decision."), expire: null };
    }
    const decided = decision === "approve" ? ("APPROVED" as const) : ("REJECTED" as const);
    await tx.approvalRequest.update({ where: { id: request.id }, data: { status: decided, decidedById: userId, decidedByEmail: user.email, decidedAt: now } });
    const payload: TApprovalDecisionPayload = { decision: decided === "APPROVED" ? "approved" : "rejected", by: user.email, at: now.toISOString() };
    await storeRunSignal(tx, { projectId: request.projectId, runId: request.runId }, request.waitKey, payload);
    await recordAuditEvent(
      {
        action: decided === "APPROVED" ? "run.approval_approved" : "run.approval_rejected",
        userId,
        projectId: request.projectId,
        meta,
        details: { runId: request.runId, flowId: request.run.flowId, nodeId: request.nodeId, approvalId: request.id, via },
      },
      tx,
    );
    return { decided: { approvalId: request.id, runId: request.runId, projectId: request.projectId, status: decided }, waitKey: request.waitKey };
  });
  if ("refused" in result) {
    // An expired request is marked so at its first refused decision (lists read expiry from the time anyway).
    if (result.expire) await db.approvalRequest.updateMany({ where: { id: result.expire, status: "PENDING" }, data: { status: "EXPIRED" } });
    throw result.refused;
  }
  await wakeSignalledRun({ projectId: result.decided.projectId, runId: result.decided.runId }, result.waitKey);
  return result.decided;
}
