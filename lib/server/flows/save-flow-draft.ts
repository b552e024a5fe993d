import "server-only";
import { AppError } from "@/lib/errors";
import { parseFlowDocument, type TFlowDocument } from "@/lib/flows/document";
import { ZSaveFlowDraftInput, type TSaveFlowDraftInput } from "@/lib/flows/flow-schemas";
import { applyOperations, FlowOperationError } from "@/lib/flows/operations";
import { validateRunnable, type TFlowProblem } from "@/lib/flows/validate";
import { getDb } from "../db";
import { parseInput } from "../parse-input";
import { documentJson } from "./document-json";
import { flowsVisibleTo } from "./flow-access";
import { flowNotFound } from "./flow-not-found";

export type TSavedDraft = { draft: TFlowDocument; revision: number; problems: TFlowProblem[] };

export function staleDraft(): AppError {
  return new AppError("CONFLICT", "This flow was changed elsewhere (another tab or person). Reload to see the latest version.");
}

/**
 * Applies the editor's typed operations to the draft with the same pure function the
 * editor used, then stores it only if nobody saved in between (compare-and-swap on the
 * revision). A refused operation changes nothing and says why. The step-test samples
 * of removed steps go in the same transaction, so a new step given a removed one's id
 * never shows the old one's data.
 */
export async function saveFlowDraft(userId: string, raw: TSaveFlowDraftInput): Promise<TSavedDraft> {
  const input = parseInput(ZSaveFlowDraftInput, raw);
  const db = getDb();
  const row = await db.flow.findFirst({
    where: { id: input.flowId, ...flowsVisibleTo(userId, "flows.write") },
    select: { id: true, draft: true, draftRevision: true },
  });
  if (!row) throw flowNotFound();
  if (row.draftRevision !== input.revision) throw staleDraft();
  let draft: TFlowDocument;
  const before = parseFlowDocument(row.draft);
  try {
    draft = applyOperations(before, input.operations);
  } catch (error) {
    if (error instanceof FlowOperationError) throw new AppError("BAD_INPUT", error.message);
    throw error;
  }
  const kept = new Set(draft.nodes.map((node) => node.id));
  const removed = [...new Set(before.nodes.map((node) => node.id))].filter((id) => !kept.has(id));
  await db.$transaction(async (tx) => {
    const saved = await tx.flow.updateMany({
      where: { id: row.id, draftRevision: input.revision, ...flowsVisibleTo(userId, "flows.write") },
      data: { draft: documentJson(draft), draftRevision: { increment: 1 } },
    });
    if (saved.count !== 1) throw staleDraft();
    if (removed.length > 0) await tx.flowStepSample.deleteMany({ where: { flowId: row.id, nodeId: { in: removed } } });
  });
  return { draft, revision: input.revision + 1, problems: validateRunnable(draft) };
}
