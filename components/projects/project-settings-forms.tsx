"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteProjectAction, renameProjectAction } from "@/app/projects/actions";
import { ZRenameProjectInput } from "@/lib/projects/schemas";
import { TextField } from "../ui/text-field";
import { SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

export function RenameProjectForm({ projectId, name }: { projectId: string; name: string }) {
  const router = useRouter();
  const [value, setValue] = useState(name);
  const [saved, setSaved] = useState(false);
  const { pending, fieldErrors: errors, submit: submitAction } = useActionForm({ messageField: "name" });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setSaved(false);
    submitAction(ZRenameProjectInput, { projectId, name: value }, renameProjectAction, () => {
      setSaved(true);
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} noValidate className="flex max-w-lg flex-wrap items-end gap-3">
      <TextField label="Project name" name="name" value={value} onChange={(e) => setValue(e.target.value)} errors={errors.name} className="min-w-0 flex-1" />
      <SubmitButton pending={pending} pendingLabel="Saving…" variant="secondary">
        Rename
      </SubmitButton>
      {saved ? (
        <p role="status" className="w-full text-sm text-green-800">
          Renamed.
        </p>
      ) : null}
    </form>
  );
}

export function DeleteProjectForm({ projectId, name }: { projectId: string; name: string }) {
  const router = useRouter();
  const [confirmName, setConfirmName] = useState("");
  const { pending, fieldErrors: errors, send } = useActionForm({ messageField: "confirmName" });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    send(
      () => deleteProjectAction({ projectId, confirmName }),
      () => {
        router.push("/projects");
        router.refresh();
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="max-w-lg space-y-3 rounded-md border border-red-200 p-4">
      <p className="text-sm">
        Deleting the project removes its flows, runs, connections, members and invitations. It cannot be undone. Type{" "}
        <strong className="break-words">{name}</strong> to confirm.
      </p>
      <TextField
        label="Project name to confirm"
        name="confirmName"
        autoComplete="off"
        value={confirmName}
        onChange={(e) => setConfirmName(e.target.value)}
        errors={errors.confirmName}
      />
      <SubmitButton pending={pending} pendingLabel="Deleting…" variant="danger" disabled={confirmName.trim() !== name}>
        Delete project
      </SubmitButton>
    </form>
  );
}
