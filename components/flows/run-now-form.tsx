"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { runNowAction } from "@/app/projects/[projectId]/flows/actions";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { TextAreaField } from "./text-area-field";

/** Starts a run of the published version with a JSON payload, then opens the run. */
export function RunNowForm({
  projectId,
  flowId,
  isPublished,
  samplePayload,
}: {
  projectId: string;
  flowId: string;
  isPublished: boolean;
  samplePayload: string;
}) {
  const router = useRouter();
  const [payload, setPayload] = useState(samplePayload);
  const [errors, setErrors] = useState<string[] | undefined>();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setMessage(null);
    setErrors(undefined);
    if (payload.trim() !== "") {
      try {
        JSON.parse(payload);
      } catch {
        return setErrors(["The payload is not valid JSON."]);
      }
    }
    startTransition(async () => {
      const result = await runNowAction({ flowId, payload });
      if (!result.ok) {
        if (result.error.fieldErrors?.payload) setErrors(result.error.fieldErrors.payload);
        else setMessage(result.error.message);
        return;
      }
      router.push(`/projects/${projectId}/runs/${result.data.runId}`);
    });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Run now">
      <FormAlert message={message} />
      <TextAreaField
        label="Payload (JSON)"
        name="payload"
        rows={4}
        spellCheck={false}
        textareaClassName="font-mono"
        value={payload}
        onChange={(e) => setPayload(e.target.value)}
        errors={errors}
        disabled={!isPublished}
        hint="Steps read it as trigger.<field>. Values under keys such as password or token are removed from the run log."
      />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} pendingLabel="Starting…" disabled={!isPublished}>
          Run now
        </SubmitButton>
        {!isPublished ? <p className="text-sm text-slate-700">Publish the flow to run it.</p> : null}
      </div>
    </form>
  );
}
