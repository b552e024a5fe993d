// Undo/redo stacks of edits. Each entry holds the operations that made the edit and
// their inverse; undo applies the inverse, redo the operations again. Typing into one
// field makes many edits in a row: those with the same coalesce key inside a short
// window merge into one entry, so one undo takes back the whole word, not one letter.
import type { TFlowOperation } from "@/lib/flows/operations";

export const MAX_HISTORY = 200;
export const COALESCE_WINDOW_MS = 1500;

export type THistoryEntry = {
  operations: TFlowOperation[];
  inverse: TFlowOperation[];
  /** Edits with the same key within the window merge (e.g. "config:nodeId:field"). */
  coalesceKey?: string;
  at: number;
};

export type THistory = { past: THistoryEntry[]; future: THistoryEntry[] };

export const emptyHistory = (): THistory => ({ past: [], future: [] });

/** Records a new edit; any redo is gone once something new happened. */
export function recordEdit(history: THistory, entry: THistoryEntry): THistory {
  const last = history.past.at(-1);
  if (last && entry.coalesceKey && last.coalesceKey === entry.coalesceKey && entry.at - last.at <= COALESCE_WINDOW_MS) {
    // The merged entry undoes to the state before the first edit of the run.
    const merged: THistoryEntry = {
      operations: [...last.operations, ...entry.operations],
      inverse: last.inverse,
      coalesceKey: entry.coalesceKey,
      at: entry.at,
    };
    return { past: [...history.past.slice(0, -1), merged], future: [] };
  }
  return { past: [...history.past, entry].slice(-MAX_HISTORY), future: [] };
}

export const canUndo = (history: THistory) => history.past.length > 0;
export const canRedo = (history: THistory) => history.future.length > 0;

/** The operations that undo the last edit, and the history after it; null when there is nothing to undo. */
export function undo(history: THistory): { history: THistory; operations: TFlowOperation[] } | null {
  const entry = history.past.at(-1);
  if (!entry) return null;
  // A redone edit never merges with what follows it.
  const done = { ...entry, coalesceKey: undefined };
  return { history: { past: history.past.slice(0, -1), future: [...history.future, done] }, operations: entry.inverse };
}

export function redo(history: THistory): { history: THistory; operations: TFlowOperation[] } | null {
  const entry = history.future.at(-1);
  if (!entry) return null;
  return { history: { past: [...history.past, entry], future: history.future.slice(0, -1) }, operations: entry.operations };
}
