"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { renameFlowAction } from "@/app/projects/[projectId]/flows/actions";
import { ZRenameFlowInput } from "@/lib/flows/flow-schemas";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { TextField } from "../ui/text-field";
import { useActionForm } from "../ui/use-action-form";
import { TextAreaField } from "./text-area-field";

export function FlowDetailsForm({ flowId, name: savedName, description: savedDescription }: { flowId: string; name: string; description: string }) {
  const router = useRouter();
  const [name, setName] = useState(savedName);
  const [description, setDescription] = useState(savedDescription);
  const [saved, setSaved] = useState(false);
  const { pending, fieldErrors: errors, formError: message, submit: submitAction } = useActionForm();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    submitAction(
      ZRenameFlowInput,
      { flowId, name, description },
      (parsed) => renameFlowAction({ flowId, name: parsed.name, description: parsed.description }),
      () => {
        setSaved(true);
        router.refresh();
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Name and description">
      <FormAlert message={message} />
      <TextField label="Flow name" name="name" value={name} onChange={(e) => setName(e.target.value)} errors={errors.name} />
      <TextAreaField
        label="Description"
        name="description"
        rows={2}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        errors={errors.description}
      />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} pendingLabel="Saving…" variant="secondary">
          Save name and description
        </SubmitButton>
        {saved ? (
          <p role="status" className="text-sm text-green-800">
            Saved.
          </p>
        ) : null}
      </div>
    </form>
  );
}
