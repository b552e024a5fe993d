"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { runNowAction } from "@/app/projects/[projectId]/flows/actions";
import { z } from "@/lib/zod";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";
import { TextAreaField } from "./text-area-field";

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Checked here before sending: empty, or JSON (the server checks it again). */
const ZPayloadText = z.strictObject({ payload: z.string().refine((text) => text.trim() === "" || isJson(text), "The payload is not valid JSON.") });

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
  const { pending, fieldErrors, formError: message, submit: submitAction } = useActionForm();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    submitAction(
      ZPayloadText,
      { payload },
      () => runNowAction({ flowId, payload }),
      ({ runId }) => router.push(`/projects/${projectId}/runs/${runId}`),
    );
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
        errors={fieldErrors.payload}
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
