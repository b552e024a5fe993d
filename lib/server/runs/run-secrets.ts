import "server-only";
// Every secret value a run could see, for its scrubber: the flow's webhook signing
// secret and the secrets and tokens of the connections its flow version uses (only this project's: another project's id finds
// nothing). Values are read from the sealed store without refreshing anything.
import { getDb } from "../db";
import { openConnectionSecret } from "../connections/connection-secret";
import { openWebhookSigningSecret } from "../webhooks/webhook-signing-secret";

function stringsIn(value: unknown, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, out);
  else if (value && typeof value === "object") for (const item of Object.values(value)) stringsIn(item, out);
}

/** What the caller already read with the run (the embedded driver reads it with its claim). */
export type TKnownRunSecrets = { webhookSecretSealed: string | null };

export async function listRunSecrets(projectId: string, connectionIds: string[], flowId?: string, known?: TKnownRunSecrets): Promise<string[]> {
  const secrets: string[] = [];
  if (flowId) {
    // The flow's webhook signing secret can reach a run (a sender may echo it back).
    const webhook = known
      ? { signingSecretSealed: known.webhookSecretSealed }
      : await getDb().flowWebhook.findFirst({ where: { flowId, flow: { projectId } }, select: { signingSecretSealed: true } });
    if (webhook?.signingSecretSealed) {
      try {
        secrets.push(openWebhookSigningSecret(webhook.signingSecretSealed, projectId, flowId));
      } catch {
        // Cannot open: cannot leak.
      }
    }
  }
  if (connectionIds.length === 0) return secrets;
  const rows = await getDb().connection.findMany({
    where: { projectId, id: { in: [...new Set(connectionIds)] } },
    select: { id: true, secretSealed: true },
  });
  for (const row of rows) {
    try {
      stringsIn(openConnectionSecret(row.secretSealed, projectId, row.id), secrets);
    } catch {
      // A value that does not open cannot leak through this run either.
    }
  }
  return secrets.filter((value) => value.length > 0);
}
