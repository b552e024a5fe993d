"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createFlowAction } from "@/app/projects/[projectId]/flows/actions";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import { ZCreateFlowInput } from "@/lib/flows/flow-schemas";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { TextField } from "../ui/text-field";
import { TextAreaField } from "./text-area-field";

export function CreateFlowForm({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = ZCreateFlowInput.safeParse({ projectId, name, description });
    if (!parsed.success) return setErrors(fieldErrorsOf(parsed.error));
    setErrors({});
    setMessage(null);
    startTransition(async () => {
      const result = await createFlowAction({ projectId, name: parsed.data.name, description: parsed.data.description });
      if (!result.ok) {
        if (result.error.fieldErrors) setErrors(result.error.fieldErrors);
        else setMessage(result.error.message);
        return;
      }
      router.push(`/projects/${projectId}/flows/${result.data.id}`);
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Create a flow">
      <FormAlert message={message} />
      <TextField label="Flow name" name="name" value={name} onChange={(e) => setName(e.target.value)} errors={errors.name} placeholder="e.g. Triage new invoices" />
      <TextAreaField
        label="Description (optional)"
        name="description"
        rows={2}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        errors={errors.description}
      />
      <SubmitButton pending={pending} pendingLabel="Creating…">
        Create flow
      </SubmitButton>
    </form>
  );
}
