import "server-only";
import { AppError } from "@/lib/errors";
import { parseFlowDocument } from "@/lib/flows/document";
import { ZFlowId } from "@/lib/flows/flow-schemas";
import { z } from "@/lib/zod";
import { recordAuditEvent } from "../audit/record-audit-event";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import type { TRequestMeta } from "../request-meta";
import { documentJson } from "./document-json";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";
import { staleDraft } from "./save-flow-draft";

export const ZRestoreFlowVersionInput = z.strictObject({
  flowId: ZFlowId,
  versionId: z.uuid("That version does not exist."),
  /** The draft revision the person saw when choosing to restore. */
  revision: z.number().int().min(1),
});
export type TRestoreFlowVersionInput = z.infer<typeof ZRestoreFlowVersionInput>;

function versionNotFound(): AppError {
  return new AppError("NOT_FOUND", "Version not found.");
}

/**
 * Makes a published version's document the draft again. Versions never change: the
 * restored document becomes a new draft revision, to publish (as a new version) when
 * wanted. Compare-and-swap on the revision like any draft save, so a restore cannot
 * silently overwrite edits made in another tab since the page loaded.
 */
export async function restoreFlowVersion(userId: string, raw: TRestoreFlowVersionInput, meta: TRequestMeta): Promise<{ revision: number; number: number }> {
  const input = parseInput(ZRestoreFlowVersionInput, raw);
  return getDb().$transaction(async (tx) => {
    const flow = await tx.flow.findFirst({
      where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
      select: { id: true, projectId: true },
    });
    if (!flow) throw flowNotFound();
    // The version is looked up under the flow found above: another flow's version id,
    // in this project or any other, reads as not found.
    const version = await tx.flowVersion.findFirst({ where: { id: input.versionId, flowId: flow.id }, select: { number: true, document: true } });
    if (!version) throw versionNotFound();
    // Parsed so that a version stored in an older format is migrated before it is the draft.
    const document = parseFlowDocument(version.document);
    const saved = await tx.flow.updateMany({
      where: { id: flow.id, draftRevision: input.revision },
      data: { draft: documentJson(document), draftRevision: { increment: 1 } },
    });
    if (saved.count !== 1) throw staleDraft();
    await recordAuditEvent(
      { action: "flow.version_restored", userId, projectId: flow.projectId, meta, details: { flowId: flow.id, version: version.number } },
      tx,
    );
    return { revision: input.revision + 1, number: version.number };
  });
}
