"use client";

import "@xyflow/react/dist/style.css";
import "./flow-editor.css";
import {
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type NodeTypes,
} from "@xyflow/react";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";
import { FlowStepsList } from "@/components/flows/flow-steps-list";
import { FLOW_NODE_KIND, mergeViewState, toCanvasEdges, toCanvasNodes, type TCanvasNode } from "@/lib/editor/canvas-mapping";
import { copySelection, deleteOperations, pasteOperations, type TClipboard } from "@/lib/editor/clipboard";
import { isBlocked, isSaved } from "@/lib/editor/draft-sync";
import { editorReducer, startEditorState } from "@/lib/editor/editor-state";
import { canRedo, canUndo } from "@/lib/editor/history";
import { addNodeOperations, freshEdgeId, nextBranchLabel } from "@/lib/editor/palette";
import type { TFlowDocument } from "@/lib/flows/document";
import { isNodeType, type TNodeType } from "@/lib/flows/node-types";
import type { TFlowOperation } from "@/lib/flows/operations";
import { validateRunnable } from "@/lib/flows/validate";
import type { TConnectionOption } from "./config-field";
import { FlowStepNode } from "./flow-step-node";
import { PublishPanel } from "./publish-panel";
import { StepInspector } from "./step-inspector";
import { PALETTE_DRAG_TYPE, StepPalette } from "./step-palette";
import { useDraftSaving } from "./use-draft-saving";
import { ValidationPanel } from "./validation-panel";

// Module scope, so React Flow never sees a new nodeTypes object (it would remount every node).
const NODE_TYPES: NodeTypes = { [FLOW_NODE_KIND]: FlowStepNode };
const SNAP_GRID: [number, number] = [20, 20];
const DELETE_KEYS = ["Backspace", "Delete"];
const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1.2 };

export type TFlowEditorProps = {
  projectId: string;
  flowId: string;
  flowName: string;
  document: TFlowDocument;
  revision: number;
  canWrite: boolean;
  connections: TConnectionOption[];
};

const TOOL = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium hover:bg-slate-50 disabled:opacity-50";

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function EditorWorkspace({ projectId, flowId, flowName, document: initial, revision, canWrite, connections }: TFlowEditorProps) {
  const [state, dispatch] = useReducer(editorReducer, undefined, () => startEditorState(initial, revision));
  useDraftSaving(flowId, state, dispatch);
  const document = state.sync.local;
  const problems = useMemo(() => validateRunnable(document), [document]);
  const derivedNodes = useMemo(() => toCanvasNodes(document, problems), [document, problems]);
  const [selection, setSelectedIds] = useState<ReadonlySet<string>>(() => new Set());
  // A step removed by an edit, an undo or a rollback is no longer selected.
  const selectedIds = useMemo(() => new Set([...selection].filter((id) => document.nodes.some((n) => n.id === id))), [selection, document]);
  const [selectedEdgeIds, setSelectedEdgeIds] = useState<ReadonlySet<string>>(() => new Set());
  const [view, setView] = useState(() => ({ derived: derivedNodes, selectedIds, nodes: mergeViewState(derivedNodes, [], selectedIds) }));
  if (view.derived !== derivedNodes || view.selectedIds !== selectedIds) {
    // Re-derive on a document or selection change, keeping what React Flow measured.
    setView({ derived: derivedNodes, selectedIds, nodes: mergeViewState(derivedNodes, view.nodes, selectedIds) });
  }
  const edges = useMemo(() => toCanvasEdges(document).map((edge) => ({ ...edge, selected: selectedEdgeIds.has(edge.id) })), [document, selectedEdgeIds]);
  const clipboard = useRef<TClipboard | null>(null);
  const inspectorHeading = useRef<HTMLHeadingElement>(null);
  const { screenToFlowPosition, fitView } = useReactFlow();
  const blocked = isBlocked(state.sync);
  const canEdit = canWrite && !blocked;

  const commit = useCallback(
    (operations: TFlowOperation[], coalesceKey?: string) => {
      if (!canEdit || operations.length === 0) return;
      dispatch({ type: "edit", operations, coalesceKey, at: Date.now() });
    },
    [canEdit],
  );

  const select = useCallback((ids: string[]) => {
    setSelectedIds(new Set(ids));
    setSelectedEdgeIds(new Set());
  }, []);

  const addStep = useCallback(
    (type: TNodeType, position?: { x: number; y: number }) => {
      const afterNodeId = position ? null : selectedIds.size === 1 ? [...selectedIds][0]! : null;
      const { operations, nodeId } = addNodeOperations(document, type, { afterNodeId, position });
      commit(operations);
      select([nodeId]);
    },
    [commit, document, select, selectedIds],
  );

  const deleteSelection = useCallback(() => commit(deleteOperations(document, selectedIds, selectedEdgeIds)), [commit, document, selectedIds, selectedEdgeIds]);

  const copy = useCallback(() => {
    if (selectedIds.size > 0) clipboard.current = copySelection(document, selectedIds);
  }, [document, selectedIds]);

  const paste = useCallback(
    (from: TClipboard | null = clipboard.current) => {
      if (!from || from.nodes.length === 0) return;
      const { operations, nodeIds } = pasteOperations(document, from);
      commit(operations);
      select(nodeIds);
    },
    [commit, document, select],
  );

  const duplicate = useCallback(() => {
    if (selectedIds.size > 0) paste(copySelection(document, selectedIds));
  }, [document, paste, selectedIds]);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (isTypingTarget(event.target)) return;
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) return;
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) dispatch({ type: "undo" });
      else if ((key === "z" && event.shiftKey) || key === "y") dispatch({ type: "redo" });
      else if (key === "c") return copy();
      else if (key === "v") paste();
      else if (key === "d") duplicate();
      else return;
      event.preventDefault();
    }
    if (!canEdit) return;
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [canEdit, copy, duplicate, paste]);

  const onNodesChange = useCallback(
    (changes: NodeChange<TCanvasNode>[]) => {
      const selections = changes.filter((c) => c.type === "select");
      if (selections.length > 0) {
        setSelectedIds((current) => {
          const next = new Set(current);
          for (const change of selections) {
            if (change.selected) next.add(change.id);
            else next.delete(change.id);
          }
          return next;
        });
      }
      const viewChanges = changes.filter((c) => c.type === "dimensions" || c.type === "position");
      if (viewChanges.length > 0) setView((v) => ({ ...v, nodes: applyNodeChanges(viewChanges, v.nodes) }));
      // A finished drag (or an arrow-key nudge) becomes move operations.
      const moves: TFlowOperation[] = [];
      for (const change of changes) {
        if (change.type !== "position" || change.dragging || !change.position) continue;
        const node = document.nodes.find((n) => n.id === change.id);
        const ui = { x: Math.round(change.position.x), y: Math.round(change.position.y) };
        if (node && (node.ui.x !== ui.x || node.ui.y !== ui.y)) moves.push({ op: "move", nodeId: change.id, ui });
      }
      if (moves.length > 0) commit(moves, `move:${moves.map((m) => ("nodeId" in m ? m.nodeId : "")).join(",")}`);
    },
    [commit, document.nodes],
  );

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const selections = changes.filter((c) => c.type === "select");
    if (selections.length === 0) return;
    setSelectedEdgeIds((current) => {
      const next = new Set(current);
      for (const change of selections) {
        if (change.selected) next.add(change.id);
        else next.delete(change.id);
      }
      return next;
    });
  }, []);

  const onConnect = useCallback(
    (connection: Connection) => {
      const source = document.nodes.find((n) => n.id === connection.source);
      if (!source) return;
      const handle = connection.sourceHandle;
      const label = handle === "true" || handle === "false" ? handle : nextBranchLabel(document, source);
      commit([
        {
          op: "connect",
          edge: { id: freshEdgeId(document, connection.source, connection.target, label), source: connection.source, target: connection.target, ...(label ? { label } : {}) },
        },
      ]);
    },
    [commit, document],
  );

  const onDelete = useCallback(
    ({ nodes, edges: removed }: { nodes: { id: string }[]; edges: { id: string }[] }) =>
      commit(deleteOperations(document, new Set(nodes.map((n) => n.id)), new Set(removed.map((e) => e.id)))),
    [commit, document],
  );

  const onDrop = useCallback(
    (event: React.DragEvent) => {
      const type = event.dataTransfer.getData(PALETTE_DRAG_TYPE);
      if (!isNodeType(type)) return;
      event.preventDefault();
      addStep(type, screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [addStep, screenToFlowPosition],
  );

  const selectProblem = useCallback(
    (nodeId: string) => {
      select([nodeId]);
      void fitView({ nodes: [{ id: nodeId }], duration: 200, maxZoom: 1.2 });
      requestAnimationFrame(() => inspectorHeading.current?.focus());
    },
    [fitView, select],
  );

  const saved = isSaved(state.sync);
  useEffect(() => {
    if (saved) return;
    // Edits wait up to a debounce before they are sent; leaving now would lose them.
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [saved]);
  const syncError = state.sync.error;
  const statusText = blocked ? "Not saved" : syncError?.kind === "retrying" ? syncError.message : saved ? "All changes saved" : "Saving…";

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-3 py-2">
        <h1 className="mr-2 min-w-0 truncate text-lg font-semibold" data-testid="editor-flow-name">
          {flowName}
        </h1>
        {canWrite ? (
          <div role="toolbar" aria-label="Edit" className="flex flex-wrap gap-1">
            <button type="button" className={TOOL} onClick={() => dispatch({ type: "undo" })} disabled={!canEdit || !canUndo(state.history)} aria-keyshortcuts="Control+Z Meta+Z">
              Undo
            </button>
            <button type="button" className={TOOL} onClick={() => dispatch({ type: "redo" })} disabled={!canEdit || !canRedo(state.history)} aria-keyshortcuts="Control+Shift+Z Control+Y">
              Redo
            </button>
            <button type="button" className={TOOL} onClick={copy} disabled={selectedIds.size === 0}>
              Copy
            </button>
            <button type="button" className={TOOL} onClick={() => paste()} disabled={!canEdit}>
              Paste
            </button>
            <button type="button" className={TOOL} onClick={duplicate} disabled={!canEdit || selectedIds.size === 0}>
              Duplicate
            </button>
            <button type="button" className={TOOL} onClick={deleteSelection} disabled={!canEdit || (selectedIds.size === 0 && selectedEdgeIds.size === 0)}>
              Delete selected
            </button>
          </div>
        ) : (
          <p className="rounded bg-slate-100 px-2 py-0.5 text-sm text-slate-800" data-testid="read-only-notice">
            Read only: you can view this flow but not change it.
          </p>
        )}
        {canWrite ? (
          <p role="status" className="ml-auto text-sm text-slate-700" data-testid="save-status">
            {statusText}
          </p>
        ) : null}
      </div>
      {state.notice ? (
        <div role="alert" className="flex items-center justify-between gap-2 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="editor-notice">
          <span>{state.notice}</span>
          <button type="button" className="underline" onClick={() => dispatch({ type: "dismiss" })}>
            Dismiss
          </button>
        </div>
      ) : null}
      {syncError && syncError.kind !== "retrying" ? (
        <div role="alert" className="flex flex-wrap items-center gap-3 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="save-error">
          <span>
            {syncError.kind === "refused" ? `The server refused the last change, so it was undone: ${syncError.message}` : syncError.message}
          </span>
          {syncError.kind === "conflict" ? (
            <button type="button" className="rounded-md border border-red-300 bg-white px-2 py-0.5 font-medium" onClick={() => window.location.reload()}>
              Reload
            </button>
          ) : null}
        </div>
      ) : null}
      <div className="grid min-h-0 flex-1 grid-cols-[15rem_minmax(0,1fr)_22rem]">
        <aside className="overflow-y-auto border-r border-slate-200 bg-slate-50 p-3" aria-label="Palette and problems">
          {canWrite ? <StepPalette onAdd={addStep} hasSelection={selectedIds.size === 1} /> : null}
          <div className={canWrite ? "mt-6" : ""}>
            <ValidationPanel problems={problems} document={document} onSelectProblem={selectProblem} />
          </div>
        </aside>
        <div className="relative min-h-0" onDragOver={(e) => { if (canEdit) { e.preventDefault(); e.dataTransfer.dropEffect = "move"; } }} onDrop={canEdit ? onDrop : undefined} data-testid="canvas">
          <ReactFlow<TCanvasNode>
            nodes={view.nodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onConnect={onConnect}
            onDelete={onDelete}
            nodesDraggable={canEdit}
            nodesConnectable={canEdit}
            edgesFocusable
            elementsSelectable
            deleteKeyCode={canEdit ? DELETE_KEYS : null}
            selectionOnDrag={canEdit}
            panOnDrag={canEdit ? [1, 2] : true}
            selectionKeyCode="Shift"
            multiSelectionKeyCode={["Meta", "Control", "Shift"]}
            snapToGrid
            snapGrid={SNAP_GRID}
            fitView
            fitViewOptions={FIT_VIEW_OPTIONS}
            minZoom={0.1}
            aria-label={`Canvas of ${flowName}`}
          >
            <Background gap={20} />
            <Controls showInteractive={false} />
            <MiniMap pannable zoomable ariaLabel="Overview of the flow" />
          </ReactFlow>
        </div>
        <aside className="space-y-6 overflow-y-auto border-l border-slate-200 bg-white p-3" aria-label="Inspector and publishing">
          <StepInspector
            ref={inspectorHeading}
            document={document}
            problems={problems}
            selectedIds={selectedIds}
            onSelect={(id) => select(id ? [id] : [])}
            onCommit={commit}
            onDelete={() => commit(deleteOperations(document, selectedIds))}
            canWrite={canEdit}
            connections={connections}
            projectId={projectId}
          />
          {canWrite ? <PublishPanel flowId={flowId} problemCount={problems.length} isSaved={saved && !blocked} /> : null}
          <p className="text-sm">
            <Link href={`/projects/${projectId}/flows/${flowId}`} className="text-brand-700 underline">
              Back to the flow overview
            </Link>
          </p>
        </aside>
      </div>
    </div>
  );
}

/**
 * The flow editor. On a phone-width screen a canvas is not usable, so the steps show
 * as a read-only list with a notice instead (and nothing scrolls sideways).
 */
export function FlowEditor(props: TFlowEditorProps) {
  return (
    <>
      <div className="space-y-3 p-4 md:hidden" data-testid="editor-narrow">
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">The editor needs a wider screen. Here are the draft&apos;s steps, read only.</p>
        <FlowStepsList document={props.document} />
      </div>
      <div className="hidden min-h-0 flex-1 flex-col md:flex" data-testid="editor">
        <ReactFlowProvider>
          <EditorWorkspace {...props} />
        </ReactFlowProvider>
      </div>
    </>
  );
}
