"use client";

import { useEffect, useRef } from "react";
import { saveFlowDraftAction } from "@/app/projects/[projectId]/flows/actions";
import type { TEditorAction, TEditorState } from "@/lib/editor/editor-state";

export const SAVE_DEBOUNCE_MS = 600;
const RETRY_DELAY_MS = 3000;

/**
 * Drives the save queue: after a quiet moment, takes the queued edits as one batch and
 * sends them with the revision they were made against; the answer confirms, rolls
 * back, blocks (someone else saved) or retries.
 */
export function useDraftSaving(flowId: string, state: TEditorState, dispatch: (action: TEditorAction) => void) {
  const { sync } = state;
  const sent = useRef<unknown>(null);
  const hasQueued = sync.queued.length > 0;
  const isIdle = sync.inFlight === null;
  const isRetrying = sync.error?.kind === "retrying";

  useEffect(() => {
    if (!hasQueued || !isIdle) return;
    const timer = setTimeout(() => dispatch({ type: "take" }), isRetrying ? RETRY_DELAY_MS : SAVE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [hasQueued, isIdle, isRetrying, sync.queued, dispatch]);

  useEffect(() => {
    const batch = sync.inFlight;
    if (!batch || sent.current === batch) return;
    sent.current = batch;
    saveFlowDraftAction({ flowId, revision: sync.revision, operations: batch })
      .then((result) => {
        if (result.ok) dispatch({ type: "accepted", revision: result.data.revision });
        else if (result.error.code === "CONFLICT") dispatch({ type: "conflict", message: result.error.message });
        else if (result.error.code === "BAD_INPUT" || result.error.code === "NOT_FOUND") dispatch({ type: "refused", message: result.error.message });
        else dispatch({ type: "retry", message: "Saving failed; trying again." });
      })
      .catch(() => dispatch({ type: "retry", message: "Saving failed (no connection?); trying again." }));
  }, [flowId, sync.inFlight, sync.revision, dispatch]);
}
