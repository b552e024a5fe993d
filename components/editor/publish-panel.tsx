"use client";

import { memo, useId, useState, useTransition } from "react";
import { publishFlowAction } from "@/app/projects/[projectId]/flows/actions";
import type { TFlowProblem } from "@/lib/flows/validate";

const LISTED = 3;

/** Why Publish is off, in words: the problems to fix first (the first few, named), or the save in flight. */
function blockedReason(problems: readonly TFlowProblem[], isSaved: boolean): { text: string; listed: string[] } | null {
  if (problems.length > 0) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    return {
      text: `Publish is off until the draft has no problems: fix the ${count} listed under Problems${problems.length > LISTED ? ` (the first ${LISTED} below)` : " (below)"}.`,
      listed: problems.slice(0, LISTED).map((problem) => problem.message),
    };
  }
  return isSaved ? null : { text: "Publish waits for the draft to be saved…", listed: [] };
}

/** Publish the saved draft as a new version; blocked while problems exist or edits are unsaved, and it says which. */
function PublishPanelView({ flowId, problems, isSaved }: { flowId: string; problems: readonly TFlowProblem[]; isSaved: boolean }) {
  const [note, setNote] = useState("");
  const [refusal, setRefusal] = useState<{ message: string; details: string[] } | null>(null);
  const [published, setPublished] = useState<number | null>(null);
  const [pending, startTransition] = useTransition();
  const reasonId = useId();
  const reason = blockedReason(problems, isSaved);

  function publish(event: React.FormEvent) {
    event.preventDefault();
    setRefusal(null);
    setPublished(null);
    startTransition(async () => {
      const result = await publishFlowAction({ flowId, note });
      if (!result.ok) {
        // The server checks again: a problem the editor could not see (a connection's
        // allowed addresses, a schedule) comes back listed per step.
        const details = Object.values(result.error.fieldErrors ?? {}).flat();
        return setRefusal({ message: result.error.message, details: details.length > 1 ? details.slice(0, 10) : [] });
      }
      setNote("");
      setPublished(result.data.number);
    });
  }

  return (
    <form onSubmit={publish} className="space-y-2" aria-labelledby="publish-heading" data-testid="publish-panel">
      <h2 id="publish-heading" className="text-base font-semibold">
        Publish
      </h2>
      {refusal ? (
        <div role="alert" className="rounded-md bg-red-50 px-2 py-1 text-sm text-red-800" data-testid="publish-refused">
          <p>{refusal.message}</p>
          {refusal.details.length > 0 ? (
            <ul className="mt-1 list-disc pl-5">
              {refusal.details.map((detail, index) => (
                <li key={index}>{detail}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <label className="block text-sm font-medium">
        Version note (optional)
        <input
          value={note}
          maxLength={500}
          onChange={(e) => setNote(e.target.value)}
          className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
        />
      </label>
      <button
        type="submit"
        disabled={pending || reason !== null}
        aria-describedby={reason ? reasonId : undefined}
        className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Publishing…" : "Publish"}
      </button>
      {reason ? (
        <div id={reasonId} className="text-sm text-slate-700" data-testid="publish-blocked-reason">
          <p>{reason.text}</p>
          {reason.listed.length > 0 ? (
            <ul className="mt-1 list-disc space-y-0.5 pl-5 text-red-800">
              {reason.listed.map((message, index) => (
                <li key={index}>{message}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {published !== null ? (
        <p role="status" className="text-sm text-green-800">
          Published version {published}.
        </p>
      ) : null}
    </form>
  );
}

export const PublishPanel = memo(PublishPanelView);
