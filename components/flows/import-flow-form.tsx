"use client";

// Creates a new flow from a flow file. The server re-maps the file's connections to this
// project's (same id, or same name and type) and says which steps need one chosen.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { importFlowAction } from "@/app/projects/[projectId]/flows/import-actions";
import { MAX_FLOW_FILE_BYTES, MAX_FLOW_FILE_LABEL } from "@/lib/flows/flow-file";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

export function ImportFlowForm({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [file, setFile] = useState<string | null>(null);
  const { pending, formError: message, setFormError: setMessage, run } = useActionForm();

  async function pick(event: React.ChangeEvent<HTMLInputElement>) {
    setMessage(null);
    const chosen = event.target.files?.[0];
    if (!chosen) return setFile(null);
    if (chosen.size > MAX_FLOW_FILE_BYTES) return setMessage(`The file is larger than ${MAX_FLOW_FILE_LABEL}.`);
    setFile(await chosen.text());
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    if (!file) return setMessage("Choose a flow file.");
    run(
      () => importFlowAction({ projectId, file, name: "" }),
      ({ flowId, unresolved }) => {
        const notice = unresolved.length > 0 ? `?needsConnections=${unresolved.length}` : "";
        router.push(`/projects/${projectId}/flows/${flowId}${notice}`);
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Import a flow">
      <FormAlert message={message} />
      <label className="block text-sm font-medium" htmlFor="import-flow-file">
        Flow file (.vaultflow.json)
      </label>
      <input id="import-flow-file" type="file" accept="application/json,.json" onChange={pick} className="block w-full text-sm" />
      <p className="text-sm text-slate-600">
        Steps keep their connections when this project has the same one (or one with the same name and type); otherwise you choose one before publishing.
      </p>
      <SubmitButton pending={pending} pendingLabel="Importing…" variant="secondary">
        Import flow
      </SubmitButton>
    </form>
  );
}
