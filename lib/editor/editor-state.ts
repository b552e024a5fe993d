// The editor's document state as one pure reducer: every edit, undo and redo goes
// through `applyWithInverse` on the local document, then into the save queue and the
// history. A refused edit leaves everything as it was and says why.
import type { TFlowDocument } from "@/lib/flows/document";
import { FlowOperationError, ZFlowOperations, type TFlowOperation } from "@/lib/flows/operations";
import { acceptBatch, conflictBatch, queueEdit, refuseBatch, retryBatch, startDraftSync, takeBatch, type TDraftSync } from "./draft-sync";
import { emptyHistory, recordEdit, redo, undo, type THistory } from "./history";
import { applyWithInverse } from "./inverse-operations";

export type TEditorState = { sync: TDraftSync; history: THistory; notice: string | null };

export type TEditorAction =
  | { type: "edit"; operations: TFlowOperation[]; coalesceKey?: string; at: number }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "take" }
  | { type: "accepted"; revision: number }
  | { type: "refused"; message: string }
  | { type: "conflict"; message: string }
  | { type: "retry"; message: string }
  | { type: "dismiss" };

export function startEditorState(document: TFlowDocument, revision: number): TEditorState {
  return { sync: startDraftSync(document, revision), history: emptyHistory(), notice: null };
}

/** Applies operations locally; the message when they are refused (by shape or by the document's rules). */
function tryApply(document: TFlowDocument, operations: TFlowOperation[]): { document: TFlowDocument; inverse: TFlowOperation[] } | string {
  const parsed = ZFlowOperations.safeParse(operations);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? "That change is not valid.";
  try {
    return applyWithInverse(document, operations);
  } catch (error) {
    if (error instanceof FlowOperationError) return error.message;
    throw error;
  }
}

export function editorReducer(state: TEditorState, action: TEditorAction): TEditorState {
  switch (action.type) {
    case "edit": {
      if (state.sync.error?.kind === "conflict") return state;
      const applied = tryApply(state.sync.local, action.operations);
      if (typeof applied === "string") return { ...state, notice: applied };
      return {
        sync: queueEdit(state.sync, action.operations, applied.document),
        history: recordEdit(state.history, { operations: action.operations, inverse: applied.inverse, coalesceKey: action.coalesceKey, at: action.at }),
        notice: null,
      };
    }
    case "undo":
    case "redo": {
      if (state.sync.error?.kind === "conflict") return state;
      const step = action.type === "undo" ? undo(state.history) : redo(state.history);
      if (!step) return state;
      const applied = tryApply(state.sync.local, step.operations);
      if (typeof applied === "string") return { ...state, notice: applied };
      return { sync: queueEdit(state.sync, step.operations, applied.document), history: step.history, notice: null };
    }
    case "take": {
      const taken = takeBatch(state.sync);
      return taken ? { ...state, sync: taken.sync } : state;
    }
    case "accepted":
      return { ...state, sync: acceptBatch(state.sync, action.revision) };
    case "refused":
      // The history's inverses were computed on edits that are gone now.
      return { ...state, sync: refuseBatch(state.sync, action.message), history: emptyHistory() };
    case "conflict":
      return { ...state, sync: conflictBatch(state.sync, action.message) };
    case "retry":
      return { ...state, sync: retryBatch(state.sync, action.message) };
    case "dismiss":
      return { ...state, notice: null };
  }
}
