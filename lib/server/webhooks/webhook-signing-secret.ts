import "server-only";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { open, seal, type SealContext } from "@/lib/crypto/seal";

export const WEBHOOK_SIGNING_SECRET_PURPOSE = "webhook-signing-secret";

export function webhookSigningSecretContext(projectId: string, flowId: string): SealContext {
  return { purpose: WEBHOOK_SIGNING_SECRET_PURPOSE, projectId, recordId: flowId };
}

export function sealWebhookSigningSecret(secret: string, projectId: string, flowId: string): string {
  return seal(secret, webhookSigningSecretContext(projectId, flowId), getAppSecrets().encryptionKeys);
}

export function openWebhookSigningSecret(sealed: string, projectId: string, flowId: string): string {
  return open(sealed, webhookSigningSecretContext(projectId, flowId), getAppSecrets().encryptionKeys);
}
