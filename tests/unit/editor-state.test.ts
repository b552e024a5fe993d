import { describe, expect, it } from "vitest";
import { editorReducer, startEditorState, type TEditorState } from "@/lib/editor/editor-state";
import { canRedo, canUndo } from "@/lib/editor/history";
import { emptyFlowDocument } from "@/lib/flows/document";

const start = () => startEditorState(emptyFlowDocument(), 1);
const addTransform = {
  type: "edit" as const,
  at: 0,
  operations: [{ op: "add_node" as const, node: { id: "t", type: "step.transform", name: "T", config: { expression: "1" }, ui: { x: 0, y: 140 } } }],
};

describe("editor state", () => {
  it("an edit applies locally, queues for saving and can be undone and redone", () => {
    let state: TEditorState = editorReducer(start(), addTransform);
    expect(state.sync.local.nodes.map((n) => n.id)).toEqual(["trigger", "t"]);
    expect(state.sync.queued).toHaveLength(1);
    state = editorReducer(state, { type: "undo" });
    expect(state.sync.local.nodes.map((n) => n.id)).toEqual(["trigger"]);
    // The undo is itself sent to the server as an ordinary operation.
    expect(state.sync.queued.at(-1)).toEqual({ op: "remove_node", nodeId: "t" });
    expect(canRedo(state.history)).toBe(true);
    state = editorReducer(state, { type: "redo" });
    expect(state.sync.local.nodes.map((n) => n.id)).toEqual(["trigger", "t"]);
  });

  it("an edit the document refuses (or a malformed one) changes nothing and says why", () => {
    const before = editorReducer(start(), addTransform);
    const loop = editorReducer(before, { type: "edit", at: 1, operations: [{ op: "connect", edge: { id: "x", source: "t", target: "trigger" } }] });
    expect(loop.notice).toBe("Nothing can lead into the trigger.");
    expect(loop.sync).toBe(before.sync);
    expect(loop.history).toBe(before.history);
    const empty = editorReducer(before, { type: "edit", at: 1, operations: [{ op: "rename", nodeId: "t", name: "" }] });
    expect(empty.notice).toBe("Give the step a name.");
    expect(empty.sync).toBe(before.sync);
  });

  it("a refusal from the server rolls back and forgets the history; a conflict blocks edits", () => {
    let state = editorReducer(editorReducer(start(), addTransform), { type: "take" });
    state = editorReducer(state, { type: "refused", message: "no" });
    expect(state.sync.local).toEqual(emptyFlowDocument());
    expect(canUndo(state.history)).toBe(false);
    let blocked = editorReducer(editorReducer(start(), addTransform), { type: "take" });
    blocked = editorReducer(blocked, { type: "conflict", message: "changed elsewhere" });
    expect(editorReducer(blocked, addTransform)).toBe(blocked);
    expect(editorReducer(blocked, { type: "undo" })).toBe(blocked);
  });
});
