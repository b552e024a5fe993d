"use client";

import { useCallback } from "react";
import type { TEditorAction } from "@/lib/editor/editor-state";
import { canRedo, canUndo, type THistory } from "@/lib/editor/history";

/** Undo and Redo over the draft's edit history (the toolbar's buttons and the shortcuts). */
export function useEditorHistory(history: THistory, dispatch: (action: TEditorAction) => void) {
  const undo = useCallback(() => dispatch({ type: "undo" }), [dispatch]);
  const redo = useCallback(() => dispatch({ type: "redo" }), [dispatch]);
  return { undo, redo, canUndo: canUndo(history), canRedo: canRedo(history) };
}
