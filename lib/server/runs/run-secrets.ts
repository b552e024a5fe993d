import "server-only";
// Every secret value a run could see, for its scrubber: the flow's webhook signing
// secret and the secrets and tokens of the connections its flow version uses (only this project's: another project's id finds
// nothing). Values are read from the sealed store without refreshing anything.
import { connectionSecretStrings } from "@/lib/connections/connection-secret-strings";
import { getDb } from "../db";
import { openConnectionSecret } from "../connections/connection-secret";
import { connectionIdsOf } from "@/lib/flows/connection-uses";
import { openWebhookSigningSecret } from "../webhooks/webhook-signing-secret";
import { getVersionDocument } from "./version-document";

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
    select: { id: true, type: true, settings: true, secretSealed: true },
  });
  for (const row of rows) {
    try {
      const secret = openConnectionSecret(row.secretSealed, projectId, row.id);
      secrets.push(...connectionSecretStrings({ type: row.type, settings: row.settings, secret }));
    } catch {
      // A value that does not open cannot leak through this run either.
    }
  }
  return secrets.filter((value) => value.length > 0);
}

/**
 * The secrets of a run already under way, from its id: what a step that speaks for the
 * run (the Respond step's reply) is scrubbed with. Another project's run finds nothing.
 */
export async function listSecretsOfRun(projectId: string, runId: string): Promise<string[]> {
  const run = await getDb().flowRun.findFirst({
    where: { id: runId, projectId },
    select: { flowId: true, versionId: true, flow: { select: { webhook: { select: { signingSecretSealed: true } } } } },
  });
  if (!run) return [];
  const document = await getVersionDocument(run.versionId);
  const connectionIds = document ? connectionIdsOf(document).map((use) => use.connectionId) : [];
  return listRunSecrets(projectId, connectionIds, run.flowId, { webhookSecretSealed: run.flow.webhook?.signingSecretSealed ?? null });
}
