"use client";

import { useReactFlow, useStoreApi } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { CANVAS_NODE_SIZE } from "@/lib/editor/canvas-node-size";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TSelectionChange } from "./flow-canvas";

function toggled(current: ReadonlySet<string>, changes: TSelectionChange[]): ReadonlySet<string> {
  const next = new Set(current);
  for (const change of changes) {
    if (change.selected) next.add(change.id);
    else next.delete(change.id);
  }
  return next;
}

/**
 * The selected steps and paths, picked on the canvas, in the inspector or from a problem;
 * a step picked outside the canvas is brought into view, and the inspector (its heading and
 * scrolling pane, the two refs returned) follows the selection.
 */
export function useEditorSelection(document: TFlowDocument) {
  const [selection, setSelectedIds] = useState<ReadonlySet<string>>(() => new Set());
  // A step removed by an edit, an undo or a rollback is no longer selected.
  const selectedIds = useMemo(() => {
    const ids = new Set(document.nodes.map((n) => n.id));
    const kept = [...selection].filter((id) => ids.has(id));
    return kept.length === selection.size ? selection : new Set(kept);
  }, [selection, document]);
  const [selectedEdgeIds, setSelectedEdgeIds] = useState<ReadonlySet<string>>(() => new Set());
  const inspectorHeading = useRef<HTMLHeadingElement>(null);
  const inspectorPane = useRef<HTMLElement>(null);
  const { getNode, setCenter } = useReactFlow();
  const flowStore = useStoreApi();

  const select = useCallback((ids: string[]) => {
    setSelectedIds(new Set(ids));
    setSelectedEdgeIds(new Set());
  }, []);

  const selectNodes = useCallback((changes: TSelectionChange[]) => setSelectedIds((current) => toggled(current, changes)), []);
  const selectEdges = useCallback((changes: TSelectionChange[]) => setSelectedEdgeIds((current) => toggled(current, changes)), []);

  // A step picked outside the canvas is brought into view at the current zoom; the view
  // stays put when the step is already on screen, so picking does not jolt the canvas.
  const revealNode = useCallback(
    (nodeId: string) => {
      const node = getNode(nodeId);
      if (!node) return;
      const { width, height, transform } = flowStore.getState();
      const [x, y, zoom] = transform;
      const left = node.position.x * zoom + x;
      const top = node.position.y * zoom + y;
      const isVisible = left >= 0 && top >= 0 && left + CANVAS_NODE_SIZE.width * zoom <= width && top + CANVAS_NODE_SIZE.height * zoom <= height;
      if (!isVisible) void setCenter(node.position.x + CANVAS_NODE_SIZE.width / 2, node.position.y + CANVAS_NODE_SIZE.height / 2, { zoom, duration: 200 });
    },
    [flowStore, getNode, setCenter],
  );

  const selectProblem = useCallback(
    (nodeId: string) => {
      select([nodeId]);
      revealNode(nodeId);
      requestAnimationFrame(() => inspectorHeading.current?.focus());
    },
    [revealNode, select],
  );
  const selectFromInspector = useCallback(
    (id: string | null) => {
      select(id ? [id] : []);
      if (id) revealNode(id);
    },
    [revealNode, select],
  );

  // Another step's settings start at the top, not at the scroll position of the last one's.
  const singleSelectedId = selectedIds.size === 1 ? [...selectedIds][0]! : null;
  useEffect(() => {
    inspectorPane.current?.scrollTo({ top: 0 });
  }, [singleSelectedId]);

  return { selectedIds, selectedEdgeIds, select, selectNodes, selectEdges, selectProblem, selectFromInspector, inspectorHeading, inspectorPane };
}
