"use client";

import { memo, useState, useTransition } from "react";
import { publishFlowAction } from "@/app/projects/[projectId]/flows/actions";

/** Publish the saved draft as a new version; blocked while problems exist or edits are unsaved. */
function PublishPanelView({ flowId, problemCount, isSaved }: { flowId: string; problemCount: number; isSaved: boolean }) {
  const [note, setNote] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [published, setPublished] = useState<number | null>(null);
  const [pending, startTransition] = useTransition();
  const reason = problemCount > 0 ? `Fix ${problemCount === 1 ? "the problem" : `the ${problemCount} problems`} to publish.` : !isSaved ? "Saving the draft…" : null;

  function publish(event: React.FormEvent) {
    event.preventDefault();
    setMessage(null);
    setPublished(null);
    startTransition(async () => {
      const result = await publishFlowAction({ flowId, note });
      if (!result.ok) return setMessage(result.error.message);
      setNote("");
      setPublished(result.data.number);
    });
  }

  return (
    <form onSubmit={publish} className="space-y-2" aria-labelledby="publish-heading">
      <h2 id="publish-heading" className="text-base font-semibold">
        Publish
      </h2>
      {message ? (
        <p role="alert" className="rounded-md bg-red-50 px-2 py-1 text-sm text-red-800">
          {message}
        </p>
      ) : null}
      <label className="block text-sm font-medium">
        Version note (optional)
        <input value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
      </label>
      <button
        type="submit"
        disabled={pending || reason !== null}
        className="rounded-md bg-brand-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
      >
        {pending ? "Publishing…" : "Publish"}
      </button>
      {reason ? <p className="text-sm text-slate-700">{reason}</p> : null}
      {published !== null ? (
        <p role="status" className="text-sm text-green-800">
          Published version {published}.
        </p>
      ) : null}
    </form>
  );
}

export const PublishPanel = memo(PublishPanelView);
