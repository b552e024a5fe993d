import "server-only";
// A GitHub trigger's webhook: the flow's webhook address (made when it has none) and a
// generated secret that GitHub signs deliveries with (X-Hub-Signature-256). The secret
// is stored sealed, like a webhook signing secret, and shown to the flow's editors with
// the address (show-github-webhook.ts). Renewing it voids the old one at once.
import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { parseFlowDocument } from "@/lib/flows/document";
import { ZSetUpGithubWebhookInput, type TSetUpGithubWebhookInput } from "@/lib/webhooks/github/github-webhook-schemas";
import { GITHUB_SIGNATURE_HEADER } from "@/lib/webhooks/github/github-signature";
import { recordAuditEvent } from "../../audit/record-audit-event";
import { getDb } from "../../db";
import { flowsVisibleTo } from "../../flows/flow-access";
import { flowNotFound } from "../../flows/flow-not-found";
import { parseInput } from "../../parse-input";
import type { TRequestMeta } from "../../request-meta";
import { sealWebhookToken } from "../webhook-address-seal";
import { sealWebhookSigningSecret } from "../webhook-signing-secret";
import { newWebhookToken } from "../webhook-token";
import { GITHUB_TRIGGER_TYPE } from "./receive-github-delivery";

export type TGithubWebhookState = { hasAddress: boolean; hasSecret: boolean; tokenHint: string | null };

/** Whether a signing secret is GitHub's: the header GitHub sends, HMAC-SHA256, no timestamp. */
export function isGithubSigning(
  webhook: { signingSecretSealed: string | null; signatureHeader: string; signatureAlgorithm: string; timestampHeader: string | null } | null,
): boolean {
  return Boolean(
    webhook?.signingSecretSealed && webhook.signatureHeader === GITHUB_SIGNATURE_HEADER && webhook.signatureAlgorithm === "sha256" && !webhook.timestampHeader,
  );
}

export async function setUpGithubWebhook(userId: string, raw: TSetUpGithubWebhookInput, meta: TRequestMeta): Promise<TGithubWebhookState> {
  const input = parseInput(ZSetUpGithubWebhookInput, raw);
  return getDb().$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({
      where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
      select: { id: true, projectId: true, draft: true },
    });
    if (!flow) throw flowNotFound();
    // Only for a GitHub trigger: another trigger's own signature settings are not replaced from here.
    const trigger = parseFlowDocument(flow.draft).nodes.find((node) => node.type.startsWith("trigger."));
    if (trigger?.type !== GITHUB_TRIGGER_TYPE) throw new AppError("BAD_INPUT", "This flow's trigger is not a GitHub trigger.");
    let webhook = await tx.flowWebhook.findUnique({
      where: { flowId: flow.id },
      select: { tokenHint: true, signingSecretSealed: true, signatureHeader: true, signatureAlgorithm: true, timestampHeader: true },
    });
    if (!webhook) {
      const { token, tokenHash, tokenHint } = newWebhookToken();
      webhook = await tx.flowWebhook.create({
        data: { flowId: flow.id, tokenHash, tokenHint, tokenSealed: sealWebhookToken(token, flow.projectId, flow.id) },
        select: { tokenHint: true, signingSecretSealed: true, signatureHeader: true, signatureAlgorithm: true, timestampHeader: true },
      });
      await recordAuditEvent(
        {
          action: "flow.webhook_created",
          userId,
          projectId: flow.projectId,
          meta,
          details: { flowId: flow.id, replaced: false, regenerated: false, tokenHint },
        },
        tx,
      );
    }
    if (input.renewSecret || !isGithubSigning(webhook)) {
      // 256 random bits; GitHub accepts any text as the secret.
      const secret = randomBytes(32).toString("base64url");
      await tx.flowWebhook.update({
        where: { flowId: flow.id },
        data: {
          signingSecretSealed: sealWebhookSigningSecret(secret, flow.projectId, flow.id),
          signatureHeader: GITHUB_SIGNATURE_HEADER,
          signatureAlgorithm: "sha256",
          timestampHeader: null,
          toleranceSeconds: 300,
        },
      });
      await recordAuditEvent(
        {
          action: "flow.webhook_signing_changed",
          userId,
          projectId: flow.projectId,
          meta,
          details: {
            flowId: flow.id,
            enabled: true,
            algorithm: "sha256",
            header: GITHUB_SIGNATURE_HEADER,
            timestamped: false,
            renewed: Boolean(webhook.signingSecretSealed),
          },
        },
        tx,
      );
    }
    return { hasAddress: true, hasSecret: true, tokenHint: webhook.tokenHint };
  });
}
