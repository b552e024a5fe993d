"use client";

import "@xyflow/react/dist/style.css";
import "./flow-editor.css";
import { ReactFlowProvider } from "@xyflow/react";
import Link from "next/link";
import { memo, useCallback, useMemo, useState, useSyncExternalStore } from "react";
import { FlowStepsList } from "@/components/flows/flow-steps-list";
import { toCanvasEdges, toCanvasNodes } from "@/lib/editor/canvas-mapping";
import type { TFlowDocument } from "@/lib/flows/document";
import { isTriggerType } from "@/lib/flows/node-types";
import type { TStepSamples } from "@/lib/flows/step-sample";
import { validateRunnable } from "@/lib/flows/validate";
import { appStepOriginProblems } from "@/lib/apps/app-origins";
import { stepOriginProblems } from "@/lib/connections/connection-origins";
import type { TWebhookSettings } from "@/lib/webhooks/webhook-settings";
import type { TConnectionChoice } from "@/lib/editor/connection-options";
import { EditorDataProvider } from "./editor-data";
import { EditorToolbar } from "./editor-toolbar";
import { FlowCanvas } from "./flow-canvas";
import { PublishPanel } from "./publish-panel";
import { StepInspector } from "./step-inspector";
import { StepPalette } from "./step-palette";
import { useEditorClipboard } from "./use-editor-clipboard";
import { useEditorHistory } from "./use-editor-history";
import { useEditorMessage } from "./use-editor-message";
import { useEditorSelection } from "./use-editor-selection";
import { useEditorShortcuts } from "./use-editor-shortcuts";
import { useFlowDraft } from "./use-flow-draft";
import { useFlowEdits } from "./use-flow-edits";
import { useFlowImport } from "./use-flow-import";
import { useTidyUp } from "./use-tidy-up";
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

function EditorWorkspace({ projectId, flowId, flowName, document: initial, revision, canWrite, connections, samples, webhook }: TFlowEditorProps) {
  const { state, document, blocked, canEdit, saved, syncError, statusText, commit, dispatch, dismissNotice } = useFlowDraft(
    flowId,
    initial,
    revision,
    canWrite,
  );
  // The runnable check is pure; the connection-origin check needs the connections the page loaded.
  const problems = useMemo(
    () => [...validateRunnable(document), ...stepOriginProblems(document.nodes, connections), ...appStepOriginProblems(document.nodes, connections)],
    [document, connections],
  );
  const canvasNodes = useMemo(() => toCanvasNodes(document, problems), [document, problems]);
  const canvasEdges = useMemo(() => toCanvasEdges(document), [document]);
  const hasTrigger = document.nodes.some((n) => isTriggerType(n.type));
  const { selectedIds, selectedEdgeIds, select, selectNodes, selectEdges, selectProblem, selectFromInspector, inspectorHeading, inspectorPane } =
    useEditorSelection(document);
  const { message, setMessage, isStillEditable } = useEditorMessage(canEdit);
  // Bumped with an edit that should end fitted in view (tidy up, import): the canvas fits
  // once React Flow holds the new positions, not a frame that may still have the old.
  const [fitRequest, setFitRequest] = useState(0);
  const requestFit = useCallback(() => setFitRequest((n) => n + 1), []);

  const { replaceTrigger, addStep, deleteSelection, deleteSelectedSteps, dropNodes, connect, deleteElements } = useFlowEdits({
    document,
    selectedIds,
    selectedEdgeIds,
    commit,
    select,
    setMessage,
  });
  const { undo, redo, canUndo, canRedo } = useEditorHistory(state.history, dispatch);
  const { copy, paste, pasteClipboard, duplicate } = useEditorClipboard(document, selectedIds, commit, select);
  useEditorShortcuts(canEdit, { undo, redo, copy, paste, duplicate });
  const { tidy, isTidying } = useTidyUp({ document, commit, setMessage, isStillEditable, requestFit });
  const importFile = useFlowImport({ document, connections, commit, select, setMessage, isStillEditable, requestFit });

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
          canUndo={canUndo}
          canRedo={canRedo}
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
            <button type="button" className="underline" onClick={dismissNotice}>
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
