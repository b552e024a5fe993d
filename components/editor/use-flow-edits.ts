"use client";

import type { Connection } from "@xyflow/react";
import { deleteOperations } from "@/lib/editor/clipboard";
import { addNodeOperations, freshEdgeId, nextBranchLabel, replaceTriggerOperations } from "@/lib/editor/palette";
import { isEdgeLabel, type TFlowDocument } from "@/lib/flows/document";
import { isTriggerType, NODE_TYPE_LABELS, type TNodeType } from "@/lib/flows/node-types";
import type { TFlowOperation } from "@/lib/flows/operations";
import type { TNodeDrop } from "./flow-canvas";
import type { TSetEditorMessage } from "./use-editor-message";
import { useStableCallback } from "./use-stable-callback";

type TFlowEditsOptions = {
  document: TFlowDocument;
  selectedIds: ReadonlySet<string>;
  selectedEdgeIds: ReadonlySet<string>;
  commit: (operations: TFlowOperation[], coalesceKey?: string) => void;
  select: (ids: string[]) => void;
  setMessage: TSetEditorMessage;
};

/**
 * The edits made on the canvas, the palette and the inspector (add, replace the trigger,
 * delete, move, connect), each turned into operations and committed.
 */
export function useFlowEdits({ document, selectedIds, selectedEdgeIds, commit, select, setMessage }: TFlowEditsOptions) {
  // Handlers below read the current document and selection but keep one identity, so
  // the memoised canvas, toolbar and panels are not re-rendered for a new function.
  // A flow has one trigger: choosing another type swaps it where it stands (one edit, one Undo).
  const replaceTrigger = useStableCallback((type: TNodeType) => {
    const replaced = replaceTriggerOperations(document, type);
    if (!replaced) {
      const current = document.nodes.find((n) => isTriggerType(n.type));
      if (current) select([current.id]);
      return setMessage({ tone: "success", text: `The flow already starts with a ${NODE_TYPE_LABELS[type].toLowerCase()}.` });
    }
    commit(replaced.operations);
    select([replaced.nodeId]);
    setMessage({
      tone: "success",
      text: `The trigger is now a ${NODE_TYPE_LABELS[type].toLowerCase()}; its paths are kept. Undo puts the previous trigger back.`,
    });
  });

  const addStep = useStableCallback((type: TNodeType, position?: { x: number; y: number }) => {
    if (isTriggerType(type) && document.nodes.some((n) => isTriggerType(n.type))) return replaceTrigger(type);
    const afterNodeId = position ? null : selectedIds.size === 1 ? [...selectedIds][0]! : null;
    const { operations, nodeId } = addNodeOperations(document, type, { afterNodeId, position });
    commit(operations);
    select([nodeId]);
  });

  const deleteSelection = useStableCallback(() => commit(deleteOperations(document, selectedIds, selectedEdgeIds)));
  const deleteSelectedSteps = useStableCallback(() => commit(deleteOperations(document, selectedIds)));

  // A finished drag (or an arrow-key nudge) becomes move operations.
  const dropNodes = useStableCallback((drops: TNodeDrop[]) => {
    const byId = new Map(document.nodes.map((n) => [n.id, n]));
    const moves: TFlowOperation[] = [];
    for (const drop of drops) {
      const node = byId.get(drop.id);
      const ui = { x: Math.round(drop.x), y: Math.round(drop.y) };
      if (node && (node.ui.x !== ui.x || node.ui.y !== ui.y)) moves.push({ op: "move", nodeId: drop.id, ui });
    }
    if (moves.length > 0) commit(moves, `move:${moves.map((m) => ("nodeId" in m ? m.nodeId : "")).join(",")}`);
  });

  const connect = useStableCallback((connection: Connection) => {
    const source = document.nodes.find((n) => n.id === connection.source);
    if (!source) return;
    const handle = connection.sourceHandle;
    // The handle a path is drawn from is its label (true/false, each/done, approved/rejected, error).
    const label = isEdgeLabel(handle) ? handle : nextBranchLabel(document, source);
    commit([
      {
        op: "connect",
        edge: {
          id: freshEdgeId(document, connection.source, connection.target, label),
          source: connection.source,
          target: connection.target,
          ...(label ? { label } : {}),
        },
      },
    ]);
  });

  const deleteElements = useStableCallback((nodeIds: string[], edgeIds: string[]) => commit(deleteOperations(document, new Set(nodeIds), new Set(edgeIds))));

  return { replaceTrigger, addStep, deleteSelection, deleteSelectedSteps, dropNodes, connect, deleteElements };
}
