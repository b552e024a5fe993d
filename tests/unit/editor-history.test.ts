import { describe, expect, it } from "vitest";
import { canRedo, canUndo, COALESCE_WINDOW_MS, emptyHistory, MAX_HISTORY, recordEdit, redo, undo, type THistoryEntry } from "@/lib/editor/history";

const rename = (name: string, previous: string, at: number, coalesceKey?: string): THistoryEntry => ({
  operations: [{ op: "rename", nodeId: "a", name }],
  inverse: [{ op: "rename", nodeId: "a", name: previous }],
  coalesceKey,
  at,
});

describe("edit history", () => {
  it("undo returns the inverse of the last edit and makes it redoable; redo returns its operations", () => {
    let history = recordEdit(recordEdit(emptyHistory(), rename("B", "A", 0)), rename("C", "B", 10_000));
    const first = undo(history)!;
    expect(first.operations).toEqual([{ op: "rename", nodeId: "a", name: "B" }]);
    history = first.history;
    const second = undo(history)!;
    expect(second.operations).toEqual([{ op: "rename", nodeId: "a", name: "A" }]);
    history = second.history;
    expect(canUndo(history)).toBe(false);
    expect(undo(history)).toBeNull();
    const again = redo(history)!;
    expect(again.operations).toEqual([{ op: "rename", nodeId: "a", name: "B" }]);
    expect(redo(again.history)!.operations).toEqual([{ op: "rename", nodeId: "a", name: "C" }]);
  });

  it("a new edit after an undo clears the redo stack", () => {
    let history = recordEdit(recordEdit(emptyHistory(), rename("B", "A", 0)), rename("C", "B", 10_000));
    history = undo(history)!.history;
    expect(canRedo(history)).toBe(true);
    history = recordEdit(history, rename("D", "B", 20_000));
    expect(canRedo(history)).toBe(false);
    expect(redo(history)).toBeNull();
    expect(history.past).toHaveLength(2);
  });

  it("edits of one field in quick succession merge into one undo step that goes back to before the first", () => {
    let history = emptyHistory();
    history = recordEdit(history, rename("Ab", "A", 0, "name:a"));
    history = recordEdit(history, rename("Abc", "Ab", 500, "name:a"));
    history = recordEdit(history, rename("Abcd", "Abc", 900, "name:a"));
    expect(history.past).toHaveLength(1);
    expect(undo(history)!.operations).toEqual([{ op: "rename", nodeId: "a", name: "A" }]);
    // Outside the window, or another key: a new entry.
    history = recordEdit(history, rename("X", "Abcd", 900 + COALESCE_WINDOW_MS + 1, "name:a"));
    history = recordEdit(history, rename("Y", "X", 900 + COALESCE_WINDOW_MS + 2, "name:b"));
    expect(history.past).toHaveLength(3);
  });

  it("keeps at most MAX_HISTORY edits", () => {
    let history = emptyHistory();
    for (let i = 0; i < MAX_HISTORY + 5; i += 1) history = recordEdit(history, rename(`N${i}`, `N${i - 1}`, i * 10_000));
    expect(history.past).toHaveLength(MAX_HISTORY);
    expect(history.past[0]!.operations).toEqual([{ op: "rename", nodeId: "a", name: "N5" }]);
  });
});
