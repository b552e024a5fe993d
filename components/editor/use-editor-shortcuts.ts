"use client";

import { useEffect } from "react";

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

type TShortcutHandlers = { undo: () => void; redo: () => void; copy: () => void; paste: () => void; duplicate: () => void };

/**
 * The editor's keyboard shortcuts (Ctrl or ⌘ with Z, Shift+Z or Y, C, V, D), while the
 * draft may be edited and the key is not typed into a field. Copy leaves the event alone,
 * so the browser still copies selected text.
 */
export function useEditorShortcuts(canEdit: boolean, { undo, redo, copy, paste, duplicate }: TShortcutHandlers) {
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (isTypingTarget(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) undo();
      else if ((key === "z" && event.shiftKey) || key === "y") redo();
      else if (key === "c") return copy();
      else if (key === "v") paste();
      else if (key === "d") duplicate();
      else return;
      event.preventDefault();
    }
    if (!canEdit) return;
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [canEdit, copy, duplicate, paste, undo, redo]);
}
