"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createProjectAction } from "@/app/projects/actions";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import { ZCreateProjectInput } from "@/lib/projects/schemas";
import { TextField } from "../ui/text-field";
import { SubmitButton } from "../ui/form-controls";

export function CreateProjectForm({ autoFocus = false }: { autoFocus?: boolean }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    const parsed = ZCreateProjectInput.safeParse({ name });
    if (!parsed.success) return setErrors(fieldErrorsOf(parsed.error));
    setErrors({});
    startTransition(async () => {
      const result = await createProjectAction(parsed.data);
      if (!result.ok) return setErrors(result.error.fieldErrors ?? { name: [result.error.message] });
      router.push(`/projects/${result.data.id}`);
    });
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3">
      <TextField
        label="Project name"
        name="name"
        value={name}
        autoFocus={autoFocus}
        placeholder="e.g. Billing automations"
        onChange={(e) => setName(e.target.value)}
        errors={errors.name}
        className="min-w-0 flex-1"
      />
      <SubmitButton pending={pending} pendingLabel="Creating…">
        Create project
      </SubmitButton>
    </form>
  );
}
