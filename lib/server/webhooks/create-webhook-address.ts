import "server-only";
import { ZFlowWebhookInput } from "@/lib/webhooks/webhook-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { flowsVisibleTo } from "../flows/flow-access";
import { flowNotFound } from "../flows/flow-not-found";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";
import { sealWebhookToken } from "./webhook-address-seal";
import { newWebhookToken, webhookUrl } from "./webhook-token";

/**
 * Makes (or regenerates) a flow's webhook address and returns it. Calls are matched by
 * the token's hash; the token is also kept sealed so that editors can be shown the
 * address again (show-webhook-address.ts). Regenerating voids the old address at once:
 * its hash is replaced in the same statement.
 */
export async function createWebhookAddress(userId: string, raw: { flowId: string }, meta: TRequestMeta): Promise<{ url: string; tokenHint: string }> {
  const input = parseInput(ZFlowWebhookInput, raw);
  const { token, tokenHash, tokenHint } = newWebhookToken();
  await getDb().$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({ where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") }, select: { id: true, projectId: true } });
    if (!flow) throw flowNotFound();
    const existed = await tx.flowWebhook.findUnique({ where: { flowId: flow.id }, select: { flowId: true } });
    const tokenSealed = sealWebhookToken(token, flow.projectId, flow.id);
    await tx.flowWebhook.upsert({
      where: { flowId: flow.id },
      create: { flowId: flow.id, tokenHash, tokenHint, tokenSealed },
      update: { tokenHash, tokenHint, tokenSealed },
    });
    await recordAuditEvent(
      {
        action: "flow.webhook_created",
        userId,
        projectId: flow.projectId,
        meta,
        details: { flowId: flow.id, replaced: Boolean(existed), regenerated: Boolean(existed), tokenHint },
      },
      tx,
    );
  });
  return { url: webhookUrl(token), tokenHint };
}
