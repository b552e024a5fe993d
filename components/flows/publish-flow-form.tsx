"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { publishFlowAction } from "@/app/projects/[projectId]/flows/actions";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { TextField } from "../ui/text-field";

/** Publish the draft as the next version, with an optional note; blocked while problems exist. */
export function PublishFlowForm({ flowId, problemCount }: { flowId: string; problemCount: number }) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [published, setPublished] = useState<number | null>(null);
  const [pending, startTransition] = useTransition();
  const blockedReason = problemCount > 0 ? `Fix the ${problemCount === 1 ? "problem" : `${problemCount} problems`} above to publish.` : null;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setMessage(null);
    setPublished(null);
    startTransition(async () => {
      const result = await publishFlowAction({ flowId, note });
      if (!result.ok) {
        const details = Object.values(result.error.fieldErrors ?? {}).flat();
        return setMessage(details.length > 1 ? `${result.error.message} ${details.join(" ")}` : result.error.message);
      }
      setNote("");
      setPublished(result.data.number);
      router.refresh();
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Publish">
      <FormAlert message={message} />
      <TextField label="Version note (optional)" name="note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} placeholder="What changed" />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} pendingLabel="Publishing…" disabled={blockedReason !== null}>
          Publish
        </SubmitButton>
        {blockedReason ? <p className="text-sm text-slate-700">{blockedReason}</p> : null}
        {published !== null ? (
          <p role="status" className="text-sm text-green-800">
            Published version {published}.
          </p>
        ) : null}
      </div>
    </form>
  );
}
