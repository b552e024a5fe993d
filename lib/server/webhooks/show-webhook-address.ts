import "server-only";
import { AppError } from "@/lib/errors";
import { ZFlowWebhookInput } from "@/lib/webhooks/webhook-schemas";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import type { TRequestMeta } from "../request-meta";
import { flowsVisibleTo } from "../flows/flow-access";
import { flowNotFound } from "../flows/flow-not-found";
import { parseInput } from "../parse-input";
import { openWebhookToken } from "./webhook-address-seal";
import { webhookUrl } from "./webhook-token";

export const ADDRESS_NOT_SHOWABLE_MESSAGE = "This address was created before addresses could be shown again: regenerate it to see it.";

/**
 * The flow's webhook address, opened from its sealed token, for people who may edit the
 * flow (the address starts runs: it is as strong as the flow's write access). Viewers,
 * strangers and other projects' flows all read as not found. The address goes only
 * into this answer: never into the page HTML, a log, or audit details. Each showing is
 * audited (with the token's last four characters only), as reading any secret is.
 */
export async function showWebhookAddress(userId: string, raw: { flowId: string }, meta?: TRequestMeta): Promise<{ url: string }> {
  const input = parseInput(ZFlowWebhookInput, raw);
  const flow = await getDb().flow.findFirst({
    where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
    select: { id: true, projectId: true, webhook: { select: { tokenSealed: true, tokenHint: true } } },
  });
  if (!flow) throw flowNotFound();
  if (!flow.webhook) throw new AppError("BAD_INPUT", "This flow has no webhook address yet.");
  if (!flow.webhook.tokenSealed) throw new AppError("BAD_INPUT", ADDRESS_NOT_SHOWABLE_MESSAGE);
  const url = webhookUrl(openWebhookToken(flow.webhook.tokenSealed, flow.projectId, flow.id));
  await recordAuditEvent({
    action: "flow.webhook_address_viewed",
    userId,
    projectId: flow.projectId,
    meta,
    details: { flowId: flow.id, tokenHint: flow.webhook.tokenHint },
  });
  return { url };
}
