"use client";
// "Create a connection" beside a step's connection picker: the connections page's own
// form in a modal dialog, so a new connection is made and chosen without leaving the
// editor. An OAuth sign-in connection is not offered here: it is usable only after a
// sign-in at the provider, which leaves the page, so the dialog links to the page instead.
import Link from "next/link";
import { useEffect, useId, useRef, useState } from "react";
import { ConnectionForm, type TCreatedConnection } from "@/components/connections/connection-form";
import { fittingTypesOf, type TConnectionChoice } from "@/lib/editor/connection-options";

type Props = {
  projectId: string;
  /** The step's type: the form offers only the connection types it accepts. */
  nodeType: string;
  onCreated: (connection: TConnectionChoice) => void;
};

export function CreateConnectionDialog({ projectId, nodeType, onCreated }: Props) {
  const [isOpen, setOpen] = useState(false);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const fitting = fittingTypesOf(nodeType);
  const inlineTypes = fitting.filter((type) => type !== "OAUTH2_CODE");
  const needsSignIn = fitting.includes("OAUTH2_CODE");

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!isOpen || !dialog || dialog.open) return;
    dialog.showModal();
    // The browser would focus the first button (Close); the first field is where typing starts.
    dialog.querySelector<HTMLElement>("input, select")?.focus();
  }, [isOpen]);

  if (inlineTypes.length === 0) return null;

  // Escape, Close and a created connection all end here. The form unmounts with its typed secret.
  function onClosed() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  function created({ id, name, type, status }: TCreatedConnection) {
    // Only types without a provider sign-in are made here, and only those carry a provider.
    onCreated({ id, name, type, status, provider: null });
    dialogRef.current?.close();
  }

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-haspopup="dialog"
        className="rounded border border-slate-300 bg-white px-2 py-1 text-sm font-medium hover:bg-slate-50 disabled:opacity-60"
        onClick={() => setOpen(true)}
      >
        Create a connection
      </button>
      <dialog
        ref={dialogRef}
        aria-labelledby={headingId}
        onClose={onClosed}
        // A modal: the editor's shortcuts (undo, paste) must not act on the canvas behind it.
        onKeyDown={(event) => event.stopPropagation()}
        className="m-auto max-h-[calc(100dvh-2rem)] w-[min(40rem,calc(100vw-2rem))] overflow-y-auto rounded-lg border border-slate-300 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/40"
        data-testid="create-connection-dialog"
      >
        {isOpen ? (
          <div className="space-y-4 p-5">
            <div className="flex items-start justify-between gap-4">
              <h2 id={headingId} className="text-lg font-semibold">
                Create a connection
              </h2>
              <button type="button" className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50" onClick={() => dialogRef.current?.close()}>
                Close
              </button>
            </div>
            <p className="text-sm text-slate-700">
              It is added to this project and chosen for this step. Secrets are encrypted when saved and never shown again.
            </p>
            {needsSignIn ? (
              <p className="text-sm text-slate-700">
                An OAuth 2 sign-in connection needs a sign-in at the provider, so it is made on the{" "}
                <Link href={`/projects/${projectId}/connections/new`} className="text-brand-700 underline" target="_blank">
                  connections page (opens in a new tab)
                </Link>
                ; reload the editor afterwards to choose it.
              </p>
            ) : null}
            <ConnectionForm projectId={projectId} types={inlineTypes} onCreated={created} />
          </div>
        ) : null}
      </dialog>
    </>
  );
}
