"use client";

import { useCallback, useEffect, useReducer } from "react";
import { isBlocked, isSaved } from "@/lib/editor/draft-sync";
import { editorReducer, startEditorState } from "@/lib/editor/editor-state";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TFlowOperation } from "@/lib/flows/operations";
import { useDraftSaving } from "./use-draft-saving";

/**
 * The draft being edited: the editor state (document, history, save queue), its saving,
 * whether it may be edited now (a draft changed elsewhere is blocked), the save status
 * the toolbar shows, and `commit`, the one way an edit enters the draft.
 */
export function useFlowDraft(flowId: string, initial: TFlowDocument, revision: number, canWrite: boolean) {
  const [state, dispatch] = useReducer(editorReducer, undefined, () => startEditorState(initial, revision));
  useDraftSaving(flowId, state, dispatch);
  const blocked = isBlocked(state.sync);
  const canEdit = canWrite && !blocked;

  const commit = useCallback(
    (operations: TFlowOperation[], coalesceKey?: string) => {
      if (!canEdit || operations.length === 0) return;
      dispatch({ type: "edit", operations, coalesceKey, at: Date.now() });
    },
    [canEdit],
  );

  const saved = isSaved(state.sync);
  useEffect(() => {
    if (saved) return;
    // Edits wait up to a debounce before they are sent; leaving now would lose them.
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [saved]);
  const syncError = state.sync.error;
  const statusText = blocked ? "Not saved" : syncError?.kind === "retrying" ? syncError.message : saved ? "All changes saved" : "Saving…";
  const dismissNotice = useCallback(() => dispatch({ type: "dismiss" }), []);

  return { state, dispatch, document: state.sync.local, blocked, canEdit, saved, syncError, statusText, commit, dismissNotice };
}
