import "server-only";
// The step.approval executor's side effect: one request per run and wait key (a replayed
// or retried step finds the one it made and mails nobody again). The message is scrubbed
// with the run's secrets, then sealed. When mail is configured, each owner and editor
// (people, not API keys) gets the decision link; only the link token's hash is stored.
import { randomUUID } from "node:crypto";
import { rolesWith } from "@/lib/auth/permissions";
import { approvalRequestMessage } from "@/lib/mail/approval-request-template";
import { getMailer, sendMailInBackground, type Mailer } from "@/lib/mail/mailer";
import { createScrubber } from "@/lib/scrub";
import { getDb } from "../db";
import { listSecretsOfRun } from "../runs/run-secrets";
import { sealApprovalMessage, MAX_APPROVAL_MESSAGE } from "./approval-message";
import { createApprovalToken } from "./approval-token";

export type TCreateApprovalInput = {
  projectId: string;
  runId: string;
  nodeId: string;
  stepName: string;
  waitKey: string;
  message: string;
  expiresAt: Date;
  /** The run's secrets as its driver read them; unset, they are read here. */
  runSecrets?: readonly string[];
};

export async function createApprovalRequest(input: TCreateApprovalInput, mailer: Mailer | null = getMailer()): Promise<{ approvalId: string; isNew: boolean }> {
  const db = getDb();
  const existing = await db.approvalRequest.findUnique({ where: { runId_waitKey: { runId: input.runId, waitKey: input.waitKey } }, select: { id: true } });
  if (existing) return { approvalId: existing.id, isNew: false };

  const scrubber = createScrubber({ secrets: input.runSecrets ?? (await listSecretsOfRun(input.projectId, input.runId)) });
  const message = scrubber.scrubText(input.message).slice(0, MAX_APPROVAL_MESSAGE);
  const id = randomUUID();
  const { token, tokenHash } = createApprovalToken();
  const created = await db.approvalRequest.createMany({
    data: [
      {
        id,
        projectId: input.projectId,
        runId: input.runId,
        nodeId: input.nodeId,
        waitKey: input.waitKey,
        messageSealed: sealApprovalMessage(message, input.projectId, id),
        tokenHash,
        expiresAt: input.expiresAt,
      },
    ],
    skipDuplicates: true,
  });
  if (created.count !== 1) {
    const winner = await db.approvalRequest.findUniqueOrThrow({
      where: { runId_waitKey: { runId: input.runId, waitKey: input.waitKey } },
      select: { id: true },
    });
    return { approvalId: winner.id, isNew: false };
  }
  if (mailer) await mailDeciders(input, token, mailer);
  return { approvalId: id, isNew: true };
}

async function mailDeciders(input: TCreateApprovalInput, token: string, mailer: Mailer): Promise<void> {
  const run = await getDb().flowRun.findFirst({
    where: { id: input.runId, projectId: input.projectId },
    select: {
      flow: { select: { name: true } },
      project: {
        select: {
          name: true,
          memberships: { where: { role: { in: rolesWith("runs.control") }, user: { kind: "PERSON" } }, select: { user: { select: { email: true } } } },
        },
      },
    },
  });
  if (!run) return;
  for (const { user } of run.project.memberships) {
    sendMailInBackground(
      mailer,
      approvalRequestMessage({
        to: user.email,
        projectName: run.project.name,
        flowName: run.flow.name,
        stepName: input.stepName,
        token,
        expiresAt: input.expiresAt,
      }),
    );
  }
}
