"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createProjectAction } from "@/app/projects/actions";
import { ZCreateProjectInput } from "@/lib/projects/schemas";
import { TextField } from "../ui/text-field";
import { SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

export function CreateProjectForm({ autoFocus = false }: { autoFocus?: boolean }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const { pending, fieldErrors: errors, submit: submitAction } = useActionForm({ messageField: "name" });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    submitAction(ZCreateProjectInput, { name }, createProjectAction, (project) => router.push(`/projects/${project.id}`));
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
