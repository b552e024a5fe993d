"use client";

import { memo, useId, useRef } from "react";
import { MAX_FLOW_FILE_BYTES } from "@/lib/flows/flow-file";

export type TPickedFile = { fileName: string; text: string } | { fileName: string; isTooLarge: true };

const TOOL = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium hover:bg-slate-50 disabled:opacity-50";

/**
 * Export the saved draft as a flow file (the server writes it: connections listed by
 * name and type, secret-looking values redacted); writers can import a file into the
 * draft, which the editor applies as one undoable edit.
 */
function EditorFileMenuView({
  flowId,
  isSaved,
  canImport,
  isImportDisabled,
  onImport,
}: {
  flowId: string;
  isSaved: boolean;
  canImport: boolean;
  isImportDisabled: boolean;
  onImport: (picked: TPickedFile) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();

  async function pick(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    // Cleared, so choosing the same file again is a new import.
    event.target.value = "";
    if (!file) return;
    onImport(file.size > MAX_FLOW_FILE_BYTES ? { fileName: file.name, isTooLarge: true } : { fileName: file.name, text: await file.text() });
  }

  return (
    <div role="group" aria-label="Flow file" className="flex flex-wrap gap-1">
      {isSaved ? (
        <a
          href={`/api/flows/${flowId}/export`}
          download
          className={`${TOOL} inline-block focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600`}
          data-testid="editor-export"
        >
          Export JSON
        </a>
      ) : (
        // The export is of the saved draft; until the last edits are saved it would miss them.
        <button type="button" className={TOOL} disabled aria-describedby={hintId}>
          Export JSON
          <span id={hintId} className="sr-only">
            {" "}
            (available once the changes are saved)
          </span>
        </button>
      )}
      {canImport ? (
        <>
          <button
            type="button"
            className={TOOL}
            onClick={() => input.current?.click()}
            disabled={isImportDisabled}
            title="Replace this draft with a flow file; one Undo brings the draft back"
            data-testid="editor-import"
          >
            Import JSON…
          </button>
          <input
            ref={input}
            type="file"
            accept="application/json,.json"
            className="sr-only"
            tabIndex={-1}
            aria-label="Flow file to import into this draft"
            onChange={pick}
            data-testid="editor-import-file"
          />
        </>
      ) : null}
    </div>
  );
}

export const EditorFileMenu = memo(EditorFileMenuView);
