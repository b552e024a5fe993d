import { describe, expect, it } from "vitest";
import {
  acceptBatch,
  compactOperations,
  conflictBatch,
  isBlocked,
  isSaved,
  queueEdit,
  refuseBatch,
  retryBatch,
  startDraftSync,
  takeBatch,
} from "@/lib/editor/draft-sync";
import { emptyFlowDocument } from "@/lib/flows/document";
import { applyOperations, type TFlowOperation } from "@/lib/flows/operations";

const rename = (name: string): TFlowOperation => ({ op: "rename", nodeId: "trigger", name });
const add: TFlowOperation = { op: "add_node", node: { id: "t", type: "step.transform", name: "T", config: { expression: "1" }, ui: { x: 0, y: 100 } } };

function edit(sync: ReturnType<typeof startDraftSync>, operations: TFlowOperation[]) {
  return queueEdit(sync, operations, applyOperations(sync.local, operations));
}

describe("optimistic draft saving", () => {
  it("sends one batch at a time with the revision it was made against, and confirms it on acceptance", () => {
    let sync = edit(startDraftSync(emptyFlowDocument(), 3), [add]);
    const taken = takeBatch(sync)!;
    expect(taken.batch).toEqual({ revision: 3, operations: [add] });
    sync = edit(taken.sync, [rename("Go")]);
    expect(takeBatch(sync)).toBeNull();
    sync = acceptBatch(sync, 4);
    expect(sync.revision).toBe(4);
    expect(sync.confirmed.nodes.map((n) => n.id)).toEqual(["trigger", "t"]);
    expect(sync.confirmed.nodes[0]!.name).toBe("Run manually");
    const next = takeBatch(sync)!;
    expect(next.batch).toEqual({ revision: 4, operations: [rename("Go")] });
    sync = acceptBatch(next.sync, 5);
    expect(isSaved(sync)).toBe(true);
    expect(sync.confirmed).toEqual(sync.local);
  });

  it("a refused batch rolls back to the last accepted document, dropping edits made on top of it", () => {
    let sync = edit(startDraftSync(emptyFlowDocument(), 1), [rename("Accepted")]);
    let taken = takeBatch(sync)!;
    sync = acceptBatch(taken.sync, 2);
    sync = edit(sync, [add]);
    taken = takeBatch(sync)!;
    sync = edit(taken.sync, [rename("On top")]);
    sync = refuseBatch(sync, "This connection would make a loop; flows run forward only.");
    expect(sync.local).toEqual(sync.confirmed);
    expect(sync.local.nodes.map((n) => [n.id, n.name])).toEqual([["trigger", "Accepted"]]);
    expect(sync.queued).toEqual([]);
    expect(sync.error).toEqual({ kind: "refused", message: "This connection would make a loop; flows run forward only." });
    expect(sync.revision).toBe(2);
  });

  it("a stale revision blocks further saving until reload; a transient failure is sent again", () => {
    let sync = edit(startDraftSync(emptyFlowDocument(), 1), [rename("A")]);
    sync = conflictBatch(takeBatch(sync)!.sync, "changed elsewhere");
    expect(isBlocked(sync)).toBe(true);
    expect(takeBatch(edit(sync, [rename("B")]))).toBeNull();

    let other = edit(startDraftSync(emptyFlowDocument(), 1), [rename("A")]);
    other = retryBatch(takeBatch(other)!.sync, "Something went wrong.");
    expect(other.error?.kind).toBe("retrying");
    expect(takeBatch(other)!.batch.operations).toEqual([rename("A")]);
  });

  it("compacts consecutive overwrites of one step, keeping order elsewhere", () => {
    const ops: TFlowOperation[] = [
      rename("a"),
      rename("ab"),
      rename("abc"),
      add,
      { op: "move", nodeId: "t", ui: { x: 1, y: 1 } },
      { op: "move", nodeId: "t", ui: { x: 2, y: 2 } },
      rename("x"),
    ];
    expect(compactOperations(ops)).toEqual([rename("abc"), add, { op: "move", nodeId: "t", ui: { x: 2, y: 2 } }, rename("x")]);
  });
});
