import "server-only";
import type { TWebhookSettings } from "@/lib/webhooks/webhook-settings";
import { getDb } from "../db";
import { flowsVisibleTo } from "../flows/flow-access";
import { flowNotFound } from "../flows/flow-not-found";

/** A flow's webhook settings for its members; never the token or the signing secret. */
export async function getWebhookSettings(userId: string, flowId: string): Promise<TWebhookSettings> {
  const flow = await getDb().flow.findFirst({
    where: { id: flowId, ...flowsVisibleTo(userId, "flows.read") },
    select: {
      webhook: {
        select: {
          tokenHint: true,
          tokenSealed: true,
          signingSecretSealed: true,
          signatureHeader: true,
          signatureAlgorithm: true,
          timestampHeader: true,
          toleranceSeconds: true,
        },
      },
    },
  });
  if (!flow) throw flowNotFound();
  const webhook = flow.webhook;
  return {
    hasAddress: Boolean(webhook),
    tokenHint: webhook?.tokenHint ?? null,
    canShowAddress: Boolean(webhook?.tokenSealed),
    signing: {
      isEnabled: Boolean(webhook?.signingSecretSealed),
      header: webhook?.signatureHeader ?? "x-vaultflow-signature",
      algorithm: webhook?.signatureAlgorithm ?? "sha256",
      timestampHeader: webhook?.timestampHeader ?? null,
      toleranceSeconds: webhook?.toleranceSeconds ?? 300,
    },
  };
}
