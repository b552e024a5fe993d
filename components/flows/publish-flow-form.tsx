"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { publishFlowAction, setFlowActiveAction } from "@/app/projects/[projectId]/flows/actions";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { TextField } from "../ui/text-field";
import { useActionForm } from "../ui/use-action-form";
import { PUBLISHED_BUT_OFF_TEXT } from "./flow-active-badge";

/**
 * Publish the draft as the next version, with an optional note; blocked while problems
 * exist. Publishing does not turn a flow on: right after publishing a flow that is off,
 * "Turn on now" does what the Active switch does (same action, same permission and plan
 * limits), so a webhook works the first time.
 */
export function PublishFlowForm({ flowId, problemCount, isActive = true }: { flowId: string; problemCount: number; isActive?: boolean }) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const [published, setPublished] = useState<number | null>(null);
  const [turnedOn, setTurnedOn] = useState(false);
  const publishing = useActionForm();
  const turningOn = useActionForm();
  const blockedReason = problemCount > 0 ? `Fix the ${problemCount === 1 ? "problem" : `${problemCount} problems`} above to publish.` : null;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setPublished(null);
    setTurnedOn(false);
    turningOn.setFormError(null);
    publishing.run(
      () => publishFlowAction({ flowId, note }),
      (version) => {
        setNote("");
        setPublished(version.number);
        router.refresh();
      },
      (error) => {
        // The problems that block publishing are listed in the alert, after the message.
        const details = Object.values(error.fieldErrors ?? {}).flat();
        publishing.setFormError(details.length > 1 ? `${error.message} ${details.join(" ")}` : error.message);
        return true;
      },
    );
  }

  function turnOn() {
    // LIMIT_REACHED (the plan's active flows) and any other refusal: its message as given.
    turningOn.run(
      () => setFlowActiveAction({ flowId, isActive: true }),
      () => {
        setTurnedOn(true);
        router.refresh();
      },
    );
  }

  const offersTurnOn = published !== null && !isActive && !turnedOn;
  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Publish">
      <FormAlert message={publishing.formError} />
      <TextField
        label="Version note (optional)"
        name="note"
        value={note}
        maxLength={500}
        onChange={(e) => setNote(e.target.value)}
        placeholder="What changed"
      />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={publishing.pending} pendingLabel="Publishing…" disabled={blockedReason !== null}>
          Publish
        </SubmitButton>
        {blockedReason ? <p className="text-sm text-slate-700">{blockedReason}</p> : null}
        {published !== null ? (
          <p role="status" className="text-sm text-green-800">
            Published version {published}.{turnedOn ? " The flow is on: webhook calls and schedules start runs." : null}
          </p>
        ) : null}
      </div>
      {offersTurnOn ? (
        <div className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="turn-on-offer">
          <p className="text-sm text-amber-950">{PUBLISHED_BUT_OFF_TEXT}</p>
          <button
            type="button"
            onClick={turnOn}
            disabled={turningOn.pending}
            aria-busy={turningOn.pending || undefined}
            className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
          >
            {turningOn.pending ? "Turning on…" : "Turn on now"}
          </button>
          <FormAlert message={turningOn.formError} compact />
        </div>
      ) : null}
    </form>
  );
}
