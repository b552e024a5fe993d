"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createFlowAction } from "@/app/projects/[projectId]/flows/actions";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import { ZNewFlowInput } from "@/lib/templates/schemas";
import { BLANK, TemplatePicker } from "../templates/template-picker";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { TextField } from "../ui/text-field";
import { TextAreaField } from "./text-area-field";

/**
 * A new flow, blank or from a template. A blank flow opens on its overview; one from a
 * template opens in the editor, whose notice lists the steps that need a connection.
 */
export function CreateFlowForm({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  // The name a template filled in, so choosing another template replaces it but never a typed one.
  const [suggestedName, setSuggestedName] = useState("");
  const [description, setDescription] = useState("");
  const [start, setStart] = useState(BLANK);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function choose(value: string, template: { title: string } | null) {
    setStart(value);
    if (name === "" || name === suggestedName) {
      const next = template ? template.title.slice(0, 80) : "";
      setName(next);
      setSuggestedName(next);
    }
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const templateId = start === BLANK ? undefined : start;
    const parsed = ZNewFlowInput.safeParse({ projectId, name, description, ...(templateId ? { templateId } : {}) });
    if (!parsed.success) return setErrors(fieldErrorsOf(parsed.error));
    setErrors({});
    setMessage(null);
    startTransition(async () => {
      const result = await createFlowAction({ projectId, name: parsed.data.name, description: parsed.data.description, ...(templateId ? { templateId } : {}) });
      if (!result.ok) {
        if (result.error.fieldErrors?.name || result.error.fieldErrors?.description) setErrors(result.error.fieldErrors);
        else setMessage(result.error.message);
        return;
      }
      router.push(
        templateId
          ? `/projects/${projectId}/flows/${result.data.id}/edit?template=${encodeURIComponent(templateId)}`
          : `/projects/${projectId}/flows/${result.data.id}`,
      );
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-4" aria-label="Create a flow">
      <FormAlert message={message} />
      <TextField
        label="Flow name"
        name="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        errors={errors.name}
        placeholder="e.g. Triage new invoices"
      />
      <TextAreaField
        label="Description (optional)"
        name="description"
        rows={2}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        errors={errors.description}
      />
      <TemplatePicker value={start} onChange={choose} />
      <SubmitButton pending={pending} pendingLabel="Creating…">
        {start === BLANK ? "Create flow" : "Create flow and open the editor"}
      </SubmitButton>
    </form>
  );
}
