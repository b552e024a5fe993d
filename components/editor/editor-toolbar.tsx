"use client";

import { memo } from "react";
import { EditorFileMenu, type TPickedFile } from "./editor-file-menu";

const TOOL = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm font-medium whitespace-nowrap hover:bg-slate-50 disabled:opacity-50 xl:px-2.5";

type Props = {
  flowId: string;
  flowName: string;
  canWrite: boolean;
  canEdit: boolean;
  canUndo: boolean;
  canRedo: boolean;
  selectedCount: number;
  hasEdgeSelection: boolean;
  canTidy: boolean;
  isTidying: boolean;
  isSaved: boolean;
  statusText: string;
  onUndo: () => void;
  onRedo: () => void;
  onCopy: () => void;
  onPaste: () => void;
  onDuplicate: () => void;
  onDeleteSelection: () => void;
  onTidy: () => void;
  onImport: (picked: TPickedFile) => void;
};

/**
 * The editor's title bar: edit tools (writers), the flow file, and the save status. From
 * lg up it stays one row: a long flow name is cut short (its full text in the tooltip)
 * rather than pushing the tools onto a second line. Memoised: a drag does not touch it.
 */
function EditorToolbarView(props: Props) {
  const { canWrite, canEdit, selectedCount } = props;
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 bg-white px-3 py-2 lg:flex-nowrap">
      <h1 className="mr-2 min-w-20 truncate text-lg font-semibold" title={props.flowName} data-testid="editor-flow-name">
        {props.flowName}
      </h1>
      {canWrite ? (
        <div role="toolbar" aria-label="Edit" className="flex shrink-0 flex-wrap gap-1">
          <button type="button" className={TOOL} onClick={props.onUndo} disabled={!canEdit || !props.canUndo} aria-keyshortcuts="Control+Z Meta+Z">
            Undo
          </button>
          <button type="button" className={TOOL} onClick={props.onRedo} disabled={!canEdit || !props.canRedo} aria-keyshortcuts="Control+Shift+Z Control+Y">
            Redo
          </button>
          <button type="button" className={TOOL} onClick={props.onCopy} disabled={selectedCount === 0}>
            Copy
          </button>
          <button type="button" className={TOOL} onClick={props.onPaste} disabled={!canEdit}>
            Paste
          </button>
          <button type="button" className={TOOL} onClick={props.onDuplicate} disabled={!canEdit || selectedCount === 0}>
            Duplicate
          </button>
          <button
            type="button"
            className={TOOL}
            onClick={props.onDeleteSelection}
            disabled={!canEdit || (selectedCount === 0 && !props.hasEdgeSelection)}
            // The short label below xl keeps the bar on one row; the name stays the same.
            aria-label="Delete selected"
          >
            <span className="xl:hidden">Delete</span>
            <span className="hidden xl:inline">Delete selected</span>
          </button>
          <button
            type="button"
            className={TOOL}
            onClick={props.onTidy}
            disabled={!canEdit || !props.canTidy || props.isTidying}
            title="Arrange every step in ranks from the trigger down; one Undo puts them back"
            data-testid="editor-tidy"
          >
            {props.isTidying ? "Tidying…" : "Tidy up"}
          </button>
        </div>
      ) : (
        <p className="rounded bg-slate-100 px-2 py-0.5 text-sm text-slate-800" data-testid="read-only-notice">
          You can view this flow; only owners and editors can change it.
        </p>
      )}
      <div className="shrink-0">
        <EditorFileMenu flowId={props.flowId} isSaved={props.isSaved} canImport={canWrite} isImportDisabled={!canEdit} onImport={props.onImport} />
      </div>
      {canWrite ? (
        <p role="status" className="ml-auto max-w-64 shrink-0 truncate text-sm text-slate-700" title={props.statusText} data-testid="save-status">
          {props.statusText}
        </p>
      ) : null}
    </div>
  );
}

export const EditorToolbar = memo(EditorToolbarView);
