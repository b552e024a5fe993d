"use client";
// The canvas alone, memoised: React Flow's view state (where a dragged node is right
// now, what it measured) lives here, so a pointer move re-renders this component and
// React Flow, not the workspace, the inspector and the panels around it. What the user
// finishes (a drop, a selection, a connection) goes up through stable callbacks.
import {
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type NodeTypes,
  type ReactFlowInstance,
  type ReactFlowState,
  type Viewport,
} from "@xyflow/react";
import { memo, useCallback, useEffect, useState } from "react";
import { FLOW_NODE_KIND, mergeEdgeSelection, mergeViewState, type TCanvasEdge, type TCanvasNode } from "@/lib/editor/canvas-mapping";
import { CANVAS_GRID, CANVAS_NODE_SIZE } from "@/lib/editor/canvas-node-size";
import { isNodeType, type TNodeType } from "@/lib/flows/node-types";
import { FlowStepNode } from "./flow-step-node";
import { PALETTE_DRAG_TYPE } from "./step-palette";

// Module scope, so React Flow never sees a new nodeTypes object (it would remount every node).
const NODE_TYPES: NodeTypes = { [FLOW_NODE_KIND]: FlowStepNode };
const SNAP_GRID: [number, number] = [CANVAS_GRID, CANVAS_GRID];
const DELETE_KEYS = ["Backspace", "Delete"];
const PAN_BUTTONS = [1, 2];
const MULTI_SELECT_KEYS = ["Meta", "Control", "Shift"];
export const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1.2 };
const MIN_ZOOM = 0.1;
// The sidebars (15rem and 22rem from xl, 12rem and 18rem below: flow-editor.tsx) and the
// bars above the canvas, for a first estimate.
const XL_PX = 1280;
const asidesPx = (windowWidth: number) => (windowWidth >= XL_PX ? 37 : 30) * 16;
const BARS_PX = 150;

/**
 * A first viewport close to the fitted one, from the window's size: React Flow draws the
 * nodes once, at about the zoom the fit will choose (so at the level of detail they will
 * keep), and the exact fit right after mount barely moves them. Only in the browser; the
 * server draws no nodes.
 */
function estimateFit(nodes: readonly TCanvasNode[]): Viewport {
  if (typeof window === "undefined" || nodes.length === 0) return { x: 0, y: 0, zoom: 1 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const { position } of nodes) {
    minX = Math.min(minX, position.x);
    minY = Math.min(minY, position.y);
    maxX = Math.max(maxX, position.x + CANVAS_NODE_SIZE.width);
    maxY = Math.max(maxY, position.y + CANVAS_NODE_SIZE.height);
  }
  const width = Math.max(200, window.innerWidth - asidesPx(window.innerWidth));
  const height = Math.max(200, window.innerHeight - BARS_PX);
  const scale = 1 + 2 * FIT_VIEW_OPTIONS.padding;
  const zoom = Math.min(FIT_VIEW_OPTIONS.maxZoom, Math.max(MIN_ZOOM, Math.min(width / ((maxX - minX) * scale), height / ((maxY - minY) * scale))));
  return { x: width / 2 - ((minX + maxX) / 2) * zoom, y: height / 2 - ((minY + maxY) / 2) * zoom, zoom };
}

// The nodes carry their size, so React Flow's own `fitView` would run before its viewport
// exists and do nothing; the canvas fits once React Flow says it is ready.
const fitOnInit = (instance: ReactFlowInstance<TCanvasNode, TCanvasEdge>) => void instance.fitView(FIT_VIEW_OPTIONS);

// The overview takes a corner of the canvas: smaller on a narrow canvas, and none at all
// where it would cover much of what it gives an overview of.
const MINIMAP_SIZES = { large: { width: 180, height: 120 }, small: { width: 120, height: 80 } } as const;
const minimapSizeOf = (state: ReactFlowState): keyof typeof MINIMAP_SIZES | null => (state.width >= 800 ? "large" : state.width >= 480 ? "small" : null);
// Palette variables, so the overview follows the dark scheme too.
const MINIMAP_NODE_COLOR = "var(--color-slate-400)";
const MINIMAP_MASK_COLOR = "color-mix(in oklab, var(--color-slate-100) 45%, transparent)";

export type TSelectionChange = { id: string; selected: boolean };
export type TNodeDrop = { id: string; x: number; y: number };

type Props = {
  nodes: TCanvasNode[];
  edges: TCanvasEdge[];
  selectedIds: ReadonlySet<string>;
  selectedEdgeIds: ReadonlySet<string>;
  canEdit: boolean;
  flowName: string;
  onSelectNodes: (changes: TSelectionChange[]) => void;
  onSelectEdges: (changes: TSelectionChange[]) => void;
  /** Nodes whose drag (or arrow-key nudge) ended, where they ended. */
  onDropNodes: (drops: TNodeDrop[]) => void;
  onConnect: (connection: Connection) => void;
  onDelete: (nodeIds: string[], edgeIds: string[]) => void;
  onDropStep: (type: TNodeType, position: { x: number; y: number }) => void;
  /** A new number fits the flow in view, once React Flow has the nodes of this render. */
  fitRequest: number;
};

const selectionOf = (changes: (NodeChange<TCanvasNode> | EdgeChange<TCanvasEdge>)[]): TSelectionChange[] =>
  changes.flatMap((change) => (change.type === "select" ? [{ id: change.id, selected: change.selected }] : []));

function FlowCanvasView({
  nodes: derived,
  edges: derivedEdges,
  selectedIds,
  selectedEdgeIds,
  canEdit,
  flowName,
  onSelectNodes,
  onSelectEdges,
  onDropNodes,
  onConnect,
  onDelete,
  onDropStep,
  fitRequest,
}: Props) {
  const [view, setView] = useState(() => ({ derived, selectedIds, nodes: mergeViewState(derived, [], selectedIds) }));
  if (view.derived !== derived || view.selectedIds !== selectedIds) {
    // Re-derive on a document or selection change, keeping what React Flow measured.
    setView({ derived, selectedIds, nodes: mergeViewState(derived, view.nodes, selectedIds) });
  }
  const [edgeView, setEdgeView] = useState(() => ({ derived: derivedEdges, selectedEdgeIds, edges: mergeEdgeSelection(derivedEdges, [], selectedEdgeIds) }));
  if (edgeView.derived !== derivedEdges || edgeView.selectedEdgeIds !== selectedEdgeIds) {
    setEdgeView({ derived: derivedEdges, selectedEdgeIds, edges: mergeEdgeSelection(derivedEdges, edgeView.edges, selectedEdgeIds) });
  }
  const { fitView, screenToFlowPosition } = useReactFlow();
  // React Flow takes new nodes in an effect of its own, which (a child's) runs before this one.
  useEffect(() => {
    if (fitRequest > 0) void fitView({ ...FIT_VIEW_OPTIONS, duration: 200 });
  }, [fitRequest, fitView]);
  const [defaultViewport] = useState(() => estimateFit(derived));
  const minimapSize = useStore(minimapSizeOf);

  const onNodesChange = useCallback(
    (changes: NodeChange<TCanvasNode>[]) => {
      const selections = selectionOf(changes);
      if (selections.length > 0) onSelectNodes(selections);
      const viewChanges = changes.filter((c) => c.type === "dimensions" || c.type === "position");
      if (viewChanges.length > 0) setView((v) => ({ ...v, nodes: applyNodeChanges(viewChanges, v.nodes) }));
      const drops: TNodeDrop[] = [];
      for (const change of changes) {
        if (change.type === "position" && !change.dragging && change.position) drops.push({ id: change.id, x: change.position.x, y: change.position.y });
      }
      if (drops.length > 0) onDropNodes(drops);
    },
    [onDropNodes, onSelectNodes],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<TCanvasEdge>[]) => {
      const selections = selectionOf(changes);
      if (selections.length > 0) onSelectEdges(selections);
    },
    [onSelectEdges],
  );

  const onDeleteElements = useCallback(
    ({ nodes, edges }: { nodes: { id: string }[]; edges: { id: string }[] }) =>
      onDelete(
        nodes.map((n) => n.id),
        edges.map((e) => e.id),
      ),
    [onDelete],
  );

  const onDragOver = useCallback(
    (event: React.DragEvent) => {
      if (!canEdit) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
    },
    [canEdit],
  );

  const onDrop = useCallback(
    (event: React.DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_DRAG_TYPE);
      if (!canEdit || !isNodeType(type)) return;
      event.preventDefault();
      onDropStep(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [canEdit, onDropStep, screenToFlowPosition],
  );

  return (
    <div className="relative min-h-0" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow<TCanvasNode, TCanvasEdge>
        nodes={view.nodes}
        edges={edgeView.edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onDelete={onDeleteElements}
        nodesDraggable={canEdit}
        nodesConnectable={canEdit}
        edgesFocusable
        elementsSelectable
        deleteKeyCode={canEdit ? DELETE_KEYS : null}
        selectionOnDrag={canEdit}
        panOnDrag={canEdit ? PAN_BUTTONS : true}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        snapToGrid
        snapGrid={SNAP_GRID}
        defaultViewport={defaultViewport}
        onInit={fitOnInit}
        minZoom={MIN_ZOOM}
        aria-label={`Canvas of ${flowName}`}
      >
        <Background gap={CANVAS_GRID} />
        <Controls showInteractive={false} />
        {minimapSize ? (
          <MiniMap
            pannable
            zoomable
            ariaLabel="Overview of the flow"
            style={MINIMAP_SIZES[minimapSize]}
            nodeColor={MINIMAP_NODE_COLOR}
            maskColor={MINIMAP_MASK_COLOR}
          />
        ) : null}
      </ReactFlow>
    </div>
  );
}

export const FlowCanvas = memo(FlowCanvasView);
