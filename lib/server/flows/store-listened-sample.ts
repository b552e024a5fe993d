import "server-only";
// "Listen for a test event": the webhook call that arrives while a flow's editor is
// listening becomes the trigger's sample for the data-mapping picker, exactly as a
// "Test step" of the trigger would store it: the payload the run would get (headers
// already filtered by lib/webhooks/trigger-headers.ts), scrubbed with every secret the
// flow can see, sealed per node. Only one call is taken: the listening marker is
// cleared in the same statement that claims it, so two concurrent calls store one sample.
// No authorization here: the caller is the webhook receiver, which matched the token;
// the sample is stored as the person who asked to listen.
import type { TFlowDocument } from "@/lib/flows/document";
import { createScrubber } from "@/lib/scrub";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { listRunSecrets } from "../runs/run-secrets";
import { connectionIdsOf } from "@/lib/flows/connection-uses";
import { isSampleTooLarge } from "./read-step-samples";
import { sealStepSample } from "./step-sample-seal";

export type TListenTarget = {
  flowId: string;
  projectId: string;
  draft: TFlowDocument;
  nodeId: string;
  listenerId: string | null;
  signingSecretSealed: string | null;
};

/** Claims the listening marker and stores the payload as the trigger's sample; false when another call took it first or it expired. */
export async function storeListenedSample(target: TListenTarget, payload: unknown, now: Date): Promise<boolean> {
  const secrets = await listRunSecrets(
    target.projectId,
    connectionIdsOf(target.draft).map((use) => use.connectionId),
    target.flowId,
    { webhookSecretSealed: target.signingSecretSealed },
  );
  const { sealed, scrubbed } = sealStepSample(payload, createScrubber({ secrets }), {
    projectId: target.projectId,
    flowId: target.flowId,
    nodeId: target.nodeId,
  });
  const db = getDb();
  if (isSampleTooLarge(scrubbed)) {
    // Too large to keep: listening stops (the caller is told), no sample replaces the old one.
    await db.flowWebhook.updateMany({ where: { flowId: target.flowId, listeningUntil: { gt: now } }, data: { listeningUntil: null } });
    return false;
  }
  return db.$transaction(async (tx) => {
    const claimed = await tx.flowWebhook.updateMany({ where: { flowId: target.flowId, listeningUntil: { gt: now } }, data: { listeningUntil: null } });
    if (claimed.count === 0) return false;
    await tx.flowStepSample.upsert({
      where: { flowId_nodeId: { flowId: target.flowId, nodeId: target.nodeId } },
      create: {
        flowId: target.flowId,
        nodeId: target.nodeId,
        nodeType: "trigger.webhook",
        outputSealed: sealed,
        createdById: target.listenerId,
        createdAt: now,
      },
      update: { nodeType: "trigger.webhook", outputSealed: sealed, createdById: target.listenerId, createdAt: now },
    });
    await recordAuditEvent(
      {
        action: "flow.step_tested",
        userId: target.listenerId,
        projectId: target.projectId,
        details: { flowId: target.flowId, nodeId: target.nodeId, type: "trigger.webhook", source: "test_event" },
      },
      tx,
    );
    return true;
  });
}
