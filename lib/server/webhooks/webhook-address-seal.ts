import "server-only";
// The webhook token, sealed so that editors can be shown the address again. Bound to
// the project and the flow: a sealed token copied to another flow's row fails to open.
// Incoming calls never open it: they are matched by the token's hash (webhook-token.ts).
// The key-rotation registry (lib/server/keys/sealed-columns.ts) rebuilds the same context.
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, seal, type SealContext } from "@/lib/crypto/seal";

export const WEBHOOK_ADDRESS_PURPOSE = "webhook-address";

export function webhookAddressContext(projectId: string, flowId: string): SealContext {
  return { purpose: WEBHOOK_ADDRESS_PURPOSE, projectId, recordId: flowId };
}

export function sealWebhookToken(token: string, projectId: string, flowId: string): string {
  return seal(token, webhookAddressContext(projectId, flowId), getAppSecrets().encryptionKeys);
}

export function openWebhookToken(sealed: string, projectId: string, flowId: string): string {
  return open(sealed, webhookAddressContext(projectId, flowId), getAppSecrets().encryptionKeys);
}
