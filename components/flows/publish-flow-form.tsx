"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { publishFlowAction, setFlowActiveAction } from "@/app/projects/[projectId]/flows/actions";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { TextField } from "../ui/text-field";
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
  const [message, setMessage] = useState<string | null>(null);
  const [published, setPublished] = useState<number | null>(null);
  const [turnedOn, setTurnedOn] = useState(false);
  const [turnOnError, setTurnOnError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [turningOn, startTurningOn] = useTransition();
  const blockedReason = problemCount > 0 ? `Fix the ${problemCount === 1 ? "problem" : `${problemCount} problems`} above to publish.` : null;

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setMessage(null);
    setPublished(null);
    setTurnedOn(false);
    setTurnOnError(null);
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

  function turnOn() {
    setTurnOnError(null);
    startTurningOn(async () => {
      const result = await setFlowActiveAction({ flowId, isActive: true });
      // LIMIT_REACHED (the plan's active flows) and any other refusal: its message as given.
      if (!result.ok) return setTurnOnError(result.error.message);
      setTurnedOn(true);
      router.refresh();
    });
  }

  const offersTurnOn = published !== null && !isActive && !turnedOn;
  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="Publish">
      <FormAlert message={message} />
      <TextField
        label="Version note (optional)"
        name="note"
        value={note}
        maxLength={500}
        onChange={(e) => setNote(e.target.value)}
        placeholder="What changed"
      />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={pending} pendingLabel="Publishing…" disabled={blockedReason !== null}>
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
            disabled={turningOn}
            aria-busy={turningOn || undefined}
            className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
          >
            {turningOn ? "Turning on…" : "Turn on now"}
          </button>
          <FormAlert message={turnOnError} compact />
        </div>
      ) : null}
    </form>
  );
}
