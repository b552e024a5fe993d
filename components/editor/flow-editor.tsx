"use client";

import "@xyflow/react/dist/style.css";
import "./flow-editor.css";
import { ReactFlowProvider, useReactFlow, useStoreApi, type Connection } from "@xyflow/react";
import Link from "next/link";
import { memo, useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from "react";
import { FlowFileError, readFlowFile, type TReadFlowFile } from "@/components/flows/flow-file";
import { FlowStepsList } from "@/components/flows/flow-steps-list";
import { plural } from "@/components/ui/plural";
import { toCanvasEdges, toCanvasNodes } from "@/lib/editor/canvas-mapping";
import { CANVAS_NODE_SIZE } from "@/lib/editor/canvas-node-size";
import { copySelection, deleteOperations, pasteOperations, type TClipboard } from "@/lib/editor/clipboard";
import type { planDraftImport } from "@/lib/editor/draft-import";
import { isBlocked, isSaved } from "@/lib/editor/draft-sync";
import { editorReducer, startEditorState } from "@/lib/editor/editor-state";
import { canRedo, canUndo } from "@/lib/editor/history";
import { addNodeOperations, freshEdgeId, nextBranchLabel, replaceTriggerOperations } from "@/lib/editor/palette";
import { isEdgeLabel, type TFlowDocument } from "@/lib/flows/document";
import { MAX_FLOW_FILE_LABEL } from "@/lib/flows/flow-file";
import { isTriggerType, NODE_TYPE_LABELS, type TNodeType } from "@/lib/flows/node-types";
import { applyOperations, FlowOperationError, ZFlowOperations, type TFlowOperation } from "@/lib/flows/operations";
import type { TStepSamples } from "@/lib/flows/step-sample";
import { validateRunnable } from "@/lib/flows/validate";
import { appStepOriginProblems } from "@/lib/apps/app-origins";
import { stepOriginProblems } from "@/lib/connections/connection-origins";
import type { TWebhookSettings } from "@/lib/webhooks/webhook-settings";
import type { TConnectionChoice } from "@/lib/editor/connection-options";
import { EditorDataProvider } from "./editor-data";
import type { TPickedFile } from "./editor-file-menu";
import { EditorToolbar } from "./editor-toolbar";
import { FlowCanvas, type TNodeDrop, type TSelectionChange } from "./flow-canvas";
import { PublishPanel } from "./publish-panel";
import { StepInspector } from "./step-inspector";
import { StepPalette } from "./step-palette";
import { useDraftSaving } from "./use-draft-saving";
import { useStableCallback } from "./use-stable-callback";
import { ValidationPanel } from "./validation-panel";
import { TemplateConnectionsNotice } from "@/components/templates/template-connections-notice";

// Re-rendered only when its props change (a document or selection change), never by a drag.
const MemoStepInspector = memo(StepInspector);

export type TFlowEditorProps = {
  projectId: string;
  flowId: string;
  flowName: string;
  document: TFlowDocument;
  revision: number;
  canWrite: boolean;
  connections: TConnectionChoice[];
  /** The steps' last outputs (from a step test or the last run), for the data-mapping picker. */
  samples: TStepSamples;
  /** The flow's webhook address hint and signing settings (defaults when it has no address yet). */
  webhook: TWebhookSettings;
};

/** A result the editor reports outside the reducer's notices (tidy up, import). */
type TEditorMessage = { tone: "success" | "error"; text: string; details?: string[] };

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function toggled(current: ReadonlySet<string>, changes: TSelectionChange[]): ReadonlySet<string> {
  const next = new Set(current);
  for (const change of changes) {
    if (change.selected) next.add(change.id);
    else next.delete(change.id);
  }
  return next;
}

function EditorWorkspace({ projectId, flowId, flowName, document: initial, revision, canWrite, connections, samples, webhook }: TFlowEditorProps) {
  const [state, dispatch] = useReducer(editorReducer, undefined, () => startEditorState(initial, revision));
  useDraftSaving(flowId, state, dispatch);
  const document = state.sync.local;
  // The runnable check is pure; the connection-origin check needs the connections the page loaded.
  const problems = useMemo(
    () => [...validateRunnable(document), ...stepOriginProblems(document.nodes, connections), ...appStepOriginProblems(document.nodes, connections)],
    [document, connections],
  );
  const canvasNodes = useMemo(() => toCanvasNodes(document, problems), [document, problems]);
  const canvasEdges = useMemo(() => toCanvasEdges(document), [document]);
  const hasTrigger = document.nodes.some((n) => isTriggerType(n.type));
  const [selection, setSelectedIds] = useState<ReadonlySet<string>>(() => new Set());
  // A step removed by an edit, an undo or a rollback is no longer selected.
  const selectedIds = useMemo(() => {
    const ids = new Set(document.nodes.map((n) => n.id));
    const kept = [...selection].filter((id) => ids.has(id));
    return kept.length === selection.size ? selection : new Set(kept);
  }, [selection, document]);
  const [selectedEdgeIds, setSelectedEdgeIds] = useState<ReadonlySet<string>>(() => new Set());
  const [message, setMessage] = useState<TEditorMessage | null>(null);
  const [isTidying, setIsTidying] = useState(false);
  // Bumped with an edit that should end fitted in view (tidy up, import): the canvas fits
  // once React Flow holds the new positions, not a frame that may still have the old.
  const [fitRequest, setFitRequest] = useState(0);
  const clipboard = useRef<TClipboard | null>(null);
  const inspectorHeading = useRef<HTMLHeadingElement>(null);
  const inspectorPane = useRef<HTMLElement>(null);
  const { getNode, setCenter } = useReactFlow();
  const flowStore = useStoreApi();
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

  const undo = useCallback(() => dispatch({ type: "undo" }), []);
  const redo = useCallback(() => dispatch({ type: "redo" }), []);

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

  const selectNodes = useCallback((changes: TSelectionChange[]) => setSelectedIds((current) => toggled(current, changes)), []);
  const selectEdges = useCallback((changes: TSelectionChange[]) => setSelectedEdgeIds((current) => toggled(current, changes)), []);

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

  // Tidy up and import apply after an await (their code loads on demand): by then the
  // draft may be blocked (changed elsewhere), and commit would drop the edit silently.
  const isStillEditable = (what: string) => {
    if (canEdit) return true;
    setMessage({ tone: "error", text: `${what} changed nothing: this draft was changed elsewhere. Reload to continue.` });
    return false;
  };

  const applyTidy = useStableCallback((autoLayoutOperations: (document: TFlowDocument) => TFlowOperation[]) => {
    if (!isStillEditable("Tidy up")) return;
    const operations = autoLayoutOperations(document);
    if (operations.length === 0) return setMessage({ tone: "success", text: "The steps are already tidy." });
    // One edit, so one Undo puts every step back.
    commit(operations);
    setMessage({ tone: "success", text: `Tidied ${plural(operations.length, "step", "steps")}. Undo puts them back.` });
    setFitRequest((n) => n + 1);
  });

  // The layout code (and dagre) loads on the first tidy-up, not with the editor; the
  // layout is then computed from the document as it is after the load.
  const tidy = useStableCallback(async () => {
    setIsTidying(true);
    const layout = await import("@/lib/editor/auto-layout").catch(() => null);
    setIsTidying(false);
    if (!layout) return setMessage({ tone: "error", text: "Tidy up could not load (no connection?). Try again." });
    applyTidy(layout.autoLayoutOperations);
  });

  const applyImport = useStableCallback((planImport: typeof planDraftImport, picked: TPickedFile) => {
    if (!isStillEditable(`Importing "${picked.fileName}"`)) return;
    if ("isTooLarge" in picked) return setMessage({ tone: "error", text: `"${picked.fileName}" is larger than ${MAX_FLOW_FILE_LABEL}.` });
    let imported: TReadFlowFile;
    try {
      imported = readFlowFile(picked.text);
    } catch (error) {
      if (error instanceof FlowFileError) return setMessage({ tone: "error", text: `"${picked.fileName}" cannot be imported: ${error.message}` });
      throw error;
    }
    const plan = planImport(document, imported.document, imported.connections, connections);
    if (plan.operations.length === 0) return setMessage({ tone: "success", text: `"${picked.fileName}" is the same as the draft: nothing changed.` });
    const refusal = ZFlowOperations.safeParse(plan.operations).success
      ? null
      : `it changes too much at once (${plan.operations.length} changes; the editor applies at most 1,000). Import it as a new flow from the Flows page instead.`;
    try {
      if (!refusal) applyOperations(document, plan.operations);
    } catch (error) {
      if (!(error instanceof FlowOperationError)) throw error;
      return setMessage({ tone: "error", text: `"${picked.fileName}" cannot be imported: ${error.message}` });
    }
    if (refusal) return setMessage({ tone: "error", text: `"${picked.fileName}" cannot be imported: ${refusal}` });
    commit(plan.operations);
    select([]);
    const nameOf = (nodeId: string) => plan.document.nodes.find((n) => n.id === nodeId)?.name ?? nodeId;
    setMessage({
      tone: "success",
      text: `Imported ${plural(plan.document.nodes.length, "step", "steps")} from "${picked.fileName}"${plan.isLaidOut ? ", laid out (the file had no positions)" : ""}. Undo brings the previous draft back.`,
      details: [
        ...plan.remapped.map((r) => `"${nameOf(r.nodeId)}" now uses this project's connection "${r.connectionName}".`),
        ...plan.unresolved.map(
          (u) =>
            `"${nameOf(u.nodeId)}" needs a connection: ${u.connectionName ? `the file used "${u.connectionName}"${u.type ? ` (${u.type})` : ""}, which this project does not have` : "the file did not say which"}.`,
        ),
      ],
    });
    setFitRequest((n) => n + 1);
  });

  const importFile = useStableCallback(async (picked: TPickedFile) => {
    // Loaded on demand, like tidy-up: importing may lay the flow out.
    const importer = await import("@/lib/editor/draft-import").catch(() => null);
    if (!importer) return setMessage({ tone: "error", text: "Import could not load (no connection?). Try again." });
    applyImport(importer.planDraftImport, picked);
  });

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
    <EditorDataProvider
      projectId={projectId}
      flowId={flowId}
      canWrite={canWrite}
      connections={connections}
      initialSamples={samples}
      webhook={webhook}
      isDraftSaved={saved && !blocked}
    >
      <div className="flex min-h-0 flex-1 flex-col">
        <EditorToolbar
          flowId={flowId}
          flowName={flowName}
          canWrite={canWrite}
          canEdit={canEdit}
          canUndo={canUndo(state.history)}
          canRedo={canRedo(state.history)}
          selectedCount={selectedIds.size}
          hasEdgeSelection={selectedEdgeIds.size > 0}
          canTidy={document.nodes.length > 1}
          isTidying={isTidying}
          isSaved={saved}
          statusText={statusText}
          onUndo={undo}
          onRedo={redo}
          onCopy={copy}
          onPaste={pasteClipboard}
          onDuplicate={duplicate}
          onDeleteSelection={deleteSelection}
          onTidy={tidy}
          onImport={importFile}
        />
        {state.notice ? (
          <div role="alert" className="flex items-center justify-between gap-2 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="editor-notice">
            <span>{state.notice}</span>
            <button type="button" className="underline" onClick={() => dispatch({ type: "dismiss" })}>
              Dismiss
            </button>
          </div>
        ) : null}
        {message ? (
          <div
            role={message.tone === "error" ? "alert" : "status"}
            className={`flex items-start justify-between gap-2 px-3 py-2 text-sm ${message.tone === "error" ? "bg-red-50 text-red-800" : "bg-emerald-50 text-emerald-900"}`}
            data-testid="editor-message"
          >
            <div>
              <p>{message.text}</p>
              {message.details && message.details.length > 0 ? (
                <ul className="mt-1 list-disc pl-5">
                  {message.details.map((detail) => (
                    <li key={detail}>{detail}</li>
                  ))}
                </ul>
              ) : null}
            </div>
            <button type="button" className="underline" onClick={() => setMessage(null)}>
              Dismiss
            </button>
          </div>
        ) : null}
        <TemplateConnectionsNotice document={document} onSelectStep={selectProblem} />
        {syncError && syncError.kind !== "retrying" ? (
          <div role="alert" className="flex flex-wrap items-center gap-3 bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="save-error">
            <span>{syncError.kind === "refused" ? `The server refused the last change, so it was undone: ${syncError.message}` : syncError.message}</span>
            {syncError.kind === "conflict" ? (
              <button type="button" className="rounded-md border border-red-300 bg-white px-2 py-0.5 font-medium" onClick={() => window.location.reload()}>
                Reload
              </button>
            ) : null}
          </div>
        ) : null}
        <div className="grid min-h-0 flex-1 grid-cols-[12rem_minmax(0,1fr)_18rem] xl:grid-cols-[15rem_minmax(0,1fr)_22rem]">
          <aside className="overflow-y-auto border-r border-slate-200 bg-slate-50 p-3" aria-label="Palette and problems">
            {canWrite ? <StepPalette onAdd={addStep} hasSelection={selectedIds.size === 1} hasTrigger={hasTrigger} /> : null}
            <div className={canWrite ? "mt-6" : ""}>
              <ValidationPanel problems={problems} document={document} onSelectProblem={selectProblem} />
            </div>
          </aside>
          <FlowCanvas
            nodes={canvasNodes}
            edges={canvasEdges}
            selectedIds={selectedIds}
            selectedEdgeIds={selectedEdgeIds}
            canEdit={canEdit}
            flowName={flowName}
            onSelectNodes={selectNodes}
            onSelectEdges={selectEdges}
            onDropNodes={dropNodes}
            onConnect={connect}
            onDelete={deleteElements}
            onDropStep={addStep}
            fitRequest={fitRequest}
          />
          <aside ref={inspectorPane} className="space-y-6 overflow-y-auto border-l border-slate-200 bg-white p-3" aria-label="Inspector and publishing">
            <MemoStepInspector
              ref={inspectorHeading}
              document={document}
              problems={problems}
              selectedIds={selectedIds}
              onSelect={selectFromInspector}
              onCommit={commit}
              onDelete={deleteSelectedSteps}
              onReplaceTrigger={replaceTrigger}
              canWrite={canEdit}
              projectId={projectId}
            />
            {canWrite ? <PublishPanel flowId={flowId} problems={problems} isSaved={saved && !blocked} /> : null}
            <p className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
              <Link href={`/projects/${projectId}/flows/${flowId}`} className="text-brand-700 underline">
                Back to the flow overview
              </Link>
              {/* Versions, their diff against this draft and Restore live on the overview. */}
              <Link href={`/projects/${projectId}/flows/${flowId}#history`} className="text-brand-700 underline">
                Version history
              </Link>
            </p>
          </aside>
        </div>
      </div>
    </EditorDataProvider>
  );
}

const WIDE_QUERY = "(min-width: 48rem)";
const subscribeToWidth = (onChange: () => void) => {
  const query = window.matchMedia(WIDE_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
};

/** True or false in the browser; null on the server, which cannot know the screen. */
function useIsWide(): boolean | null {
  return useSyncExternalStore(
    subscribeToWidth,
    () => window.matchMedia(WIDE_QUERY).matches,
    () => null,
  );
}

/**
 * The flow editor. On a phone-width screen a canvas is not usable, so the steps show
 * as a read-only list with a notice instead (and nothing scrolls sideways). The list is
 * drawn only once the browser says the screen is narrow: on a wide one, a list of a
 * large flow's steps would be rendered and hydrated for nothing.
 */
export function FlowEditor(props: TFlowEditorProps) {
  const isWide = useIsWide();
  return (
    <>
      <div className="space-y-3 p-4 md:hidden" data-testid="editor-narrow">
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">The editor needs a wider screen. Here are the draft&apos;s steps, read only.</p>
        {isWide === false ? <FlowStepsList document={props.document} /> : null}
      </div>
      <div className="hidden min-h-0 flex-1 flex-col md:flex" data-testid="editor">
        <ReactFlowProvider>
          <EditorWorkspace {...props} />
        </ReactFlowProvider>
      </div>
    </>
  );
}
