import "server-only";
// A GitHub trigger's webhook address and secret, opened for the flow's editors to paste
// into GitHub's webhook settings (both start runs: as strong as the flow's write
// access). Viewers, strangers and other projects' flows read as not found. They go only
// into this answer, never into the page HTML, a log or audit details; each showing is
// audited (the token's last four characters only), as reading any secret is.
import { AppError } from "@/lib/errors";
import { ZShowGithubWebhookInput } from "@/lib/webhooks/github/github-webhook-schemas";
import { recordAuditEvent } from "../../audit/record-audit-event";
import { getDb } from "../../db";
import { flowsVisibleTo } from "../../flows/flow-access";
import { flowNotFound } from "../../flows/flow-not-found";
import { parseInput } from "../../parse-input";
import type { TRequestMeta } from "../../request-meta";
import { openWebhookToken } from "../webhook-address-seal";
import { openWebhookSigningSecret } from "../webhook-signing-secret";
import { webhookUrl } from "../webhook-token";
import { isGithubSigning } from "./set-up-github-webhook";

export async function showGithubWebhook(userId: string, raw: { flowId: string }, meta?: TRequestMeta): Promise<{ url: string; secret: string }> {
  const input = parseInput(ZShowGithubWebhookInput, raw);
  const flow = await getDb().flow.findFirst({
    where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
    select: {
      id: true,
      projectId: true,
      webhook: {
        select: { tokenSealed: true, tokenHint: true, signingSecretSealed: true, signatureHeader: true, signatureAlgorithm: true, timestampHeader: true },
      },
    },
  });
  if (!flow) throw flowNotFound();
  const webhook = flow.webhook;
  if (!webhook?.tokenSealed || !isGithubSigning(webhook)) throw new AppError("BAD_INPUT", "Set up the GitHub webhook first.");
  const url = webhookUrl(openWebhookToken(webhook.tokenSealed, flow.projectId, flow.id));
  const secret = openWebhookSigningSecret(webhook.signingSecretSealed!, flow.projectId, flow.id);
  await recordAuditEvent({
    action: "flow.webhook_address_viewed",
    userId,
    projectId: flow.projectId,
    meta,
    details: { flowId: flow.id, tokenHint: webhook.tokenHint, withSecret: true },
  });
  return { url, secret };
}

/** Whether the flow's webhook is set up for GitHub (for the trigger's panel; no secret). */
export async function getGithubWebhookState(userId: string, flowId: string): Promise<{ isSetUp: boolean; tokenHint: string | null }> {
  const flow = await getDb().flow.findFirst({
    where: { id: flowId, ...flowsVisibleTo(userId, "flows.read") },
    select: {
      webhook: {
        select: { tokenSealed: true, tokenHint: true, signingSecretSealed: true, signatureHeader: true, signatureAlgorithm: true, timestampHeader: true },
      },
    },
  });
  if (!flow) throw flowNotFound();
  return { isSetUp: Boolean(flow.webhook?.tokenSealed && isGithubSigning(flow.webhook)), tokenHint: flow.webhook?.tokenHint ?? null };
}
