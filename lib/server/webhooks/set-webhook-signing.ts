import "server-only";
import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { ZWebhookSigningInput, type TWebhookSigningInput } from "@/lib/webhooks/webhook-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { flowsVisibleTo } from "../flows/flow-access";
import { flowNotFound } from "../flows/flow-not-found";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";
import { sealWebhookSigningSecret } from "./webhook-signing-secret";

/**
 * Turns HMAC verification of a flow's webhook on or off. A generated secret is
 * returned once (to paste into the sending system); it is stored sealed only.
 */
export async function setWebhookSigning(userId: string, raw: TWebhookSigningInput, meta: TRequestMeta): Promise<{ secret: string | null }> {
  const input = parseInput(ZWebhookSigningInput, raw);
  return getDb().$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({ where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") }, select: { id: true, projectId: true } });
    if (!flow) throw flowNotFound();
    const webhook = await tx.flowWebhook.findUnique({ where: { flowId: flow.id }, select: { flowId: true } });
    if (!webhook) throw new AppError("BAD_INPUT", "Create the webhook address first.");
    if (!input.enabled) {
      await tx.flowWebhook.update({ where: { flowId: flow.id }, data: { signingSecretSealed: null } });
      await recordAuditEvent(
        { action: "flow.webhook_signing_changed", userId, projectId: flow.projectId, meta, details: { flowId: flow.id, enabled: false } },
        tx,
      );
      return { secret: null };
    }
    const generated = input.secret === "";
    if (!generated && input.secret.length < 16)
      throw new AppError("BAD_INPUT", "Use a signing secret of at least 16 characters.", { secret: ["Use at least 16 characters."] });
    const secret = generated ? randomBytes(32).toString("base64url") : input.secret;
    await tx.flowWebhook.update({
      where: { flowId: flow.id },
      data: {
        signingSecretSealed: sealWebhookSigningSecret(secret, flow.projectId, flow.id),
        signatureHeader: input.signatureHeader,
        signatureAlgorithm: input.algorithm,
        timestampHeader: input.timestampHeader || null,
        toleranceSeconds: input.toleranceSeconds,
      },
    });
    await recordAuditEvent(
      {
        action: "flow.webhook_signing_changed",
        userId,
        projectId: flow.projectId,
        meta,
        details: { flowId: flow.id, enabled: true, algorithm: input.algorithm, header: input.signatureHeader, timestamped: Boolean(input.timestampHeader) },
      },
      tx,
    );
    return { secret: generated ? secret : null };
  });
}
