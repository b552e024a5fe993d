"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { saveFlowDraftAction } from "@/app/projects/[projectId]/flows/actions";
import type { TFlowDocument } from "@/lib/flows/document";
import type { TActionResult } from "@/lib/web/action-result";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";
import { FlowFileError, readFlowFile } from "./flow-file";
import { TextAreaField } from "./text-area-field";

type Props = { flowId: string; draft: TFlowDocument; revision: number; canWrite: boolean };

const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** Export the draft as a file; import a file (or pasted JSON) that replaces the draft. */
export function FlowFileControls({ flowId, draft, revision, canWrite }: Props) {
  const router = useRouter();
  const [text, setText] = useState("");
  const [imported, setImported] = useState<string | null>(null);
  const { pending, formError: message, setFormError: setMessage, run } = useActionForm();

  async function pickFile(event: React.ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) return setMessage("The file is larger than 2 MB.");
    setText(await file.text());
    setMessage(null);
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setMessage(null);
    setImported(null);
    let next: TFlowDocument;
    try {
      next = readFlowFile(text).document;
    } catch (error) {
      if (error instanceof FlowFileError) return setMessage(error.message);
      throw error;
    }
    // The server applies the operations and refuses what would break the draft (a loop,
    // two triggers, an unknown step type); a refusal changes nothing.
    run(
      async (): Promise<TActionResult<unknown>> => {
        // Only what differs is sent; steps without usable positions are laid out first.
        // Loaded on demand, as in the editor: dagre stays out of the flow page's bundle.
        const loaded = await Promise.all([import("@/lib/editor/auto-layout"), import("@/lib/editor/draft-import")]).catch(() => null);
        if (!loaded) return { ok: false, error: { code: "INTERNAL", message: "Import could not load (no connection?). Try again." } };
        const [{ withUsablePositions }, { replaceDocumentOperations }] = loaded;
        const document = withUsablePositions(next);
        return saveFlowDraftAction({ flowId, revision, operations: replaceDocumentOperations(draft, document) });
      },
      () => {
        setText("");
        setImported(`Imported ${next.nodes.length} ${next.nodes.length === 1 ? "step" : "steps"}.`);
        router.refresh();
      },
    );
  }

  return (
    <div className="space-y-4">
      {/* The server writes the file: it lists the connections the steps use (names and
          types, never secrets) and redacts anything secret-looking typed into a field. */}
      <a
        href={`/api/flows/${flowId}/export`}
        download
        className="inline-block rounded-md border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-brand-600"
      >
        Export JSON
      </a>
      {canWrite ? (
        <form onSubmit={submit} noValidate className="space-y-3" aria-label="Import JSON">
          <p className="text-sm text-slate-700">Importing replaces every step of the draft. Published versions stay as they are.</p>
          <FormAlert message={message} />
          <div>
            <label htmlFor="flow-import-file" className="block text-sm font-medium">
              Flow file
            </label>
            <input
              id="flow-import-file"
              type="file"
              accept="application/json,.json"
              onChange={pickFile}
              className="mt-1 block w-full max-w-full text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5"
            />
          </div>
          <TextAreaField
            label="Flow JSON"
            name="flowJson"
            rows={6}
            spellCheck={false}
            textareaClassName="font-mono"
            value={text}
            onChange={(e) => setText(e.target.value)}
            hint="Or paste an exported flow here."
          />
          <div className="flex flex-wrap items-center gap-3">
            <SubmitButton pending={pending} pendingLabel="Importing…" variant="secondary" disabled={text.trim() === ""}>
              Import JSON
            </SubmitButton>
            {imported ? (
              <p role="status" className="text-sm text-green-800">
                {imported}
              </p>
            ) : null}
          </div>
        </form>
      ) : null}
    </div>
  );
}
