"use client";

import { useCallback, useRef } from "react";
import { copySelection, pasteOperations, type TClipboard } from "@/lib/editor/clipboard";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TFlowOperation } from "@/lib/flows/operations";
import { useStableCallback } from "./use-stable-callback";

/**
 * Copy, Paste and Duplicate of the selected steps. The clipboard is the editor's own
 * (not the system's): pasted steps get fresh ids and are selected.
 */
export function useEditorClipboard(
  document: TFlowDocument,
  selectedIds: ReadonlySet<string>,
  commit: (operations: TFlowOperation[]) => void,
  select: (ids: string[]) => void,
) {
  const clipboard = useRef<TClipboard | null>(null);

  const copy = useStableCallback(() => {
    if (selectedIds.size > 0) clipboard.current = copySelection(document, selectedIds);
  });

  const paste = useStableCallback((from: TClipboard | null = clipboard.current) => {
    if (!from || from.nodes.length === 0) return;
    const { operations, nodeIds } = pasteOperations(document, from);
    commit(operations);
    select(nodeIds);
  });
  const pasteClipboard = useCallback(() => paste(), [paste]);

  const duplicate = useStableCallback(() => {
    if (selectedIds.size > 0) paste(copySelection(document, selectedIds));
  });

  return { copy, paste, pasteClipboard, duplicate };
}
