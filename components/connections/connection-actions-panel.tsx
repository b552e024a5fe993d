"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { deleteConnectionAction, testConnectionAction } from "@/app/projects/[projectId]/connections/actions";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

/** "Test connection": calls the saved test URL with the saved credential and shows the summary. */
export function TestConnectionButton({ connectionId }: { connectionId: string }) {
  const router = useRouter();
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [pending, startTransition] = useTransition();

  function test() {
    setResult(null);
    startTransition(async () => {
      const answer = await testConnectionAction({ connectionId });
      setResult(answer.ok ? answer.data : { ok: false, message: answer.error.message });
      router.refresh();
    });
  }

  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600">Tests the saved settings and secret: save your changes first.</p>
      <button
        type="button"
        onClick={test}
        disabled={pending}
        aria-busy={pending || undefined}
        className="inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-4 py-2 font-medium hover:bg-slate-50 disabled:opacity-60"
      >
        {pending ? <span aria-hidden="true" className="h-4 w-4 animate-spin rounded-full border-2 border-slate-400 border-t-transparent" /> : null}
        {pending ? "Testing…" : "Test connection"}
      </button>
      <div aria-live="polite">
        {result ? (
          <p
            role="status"
            data-testid="connection-test-result"
            className={`rounded-md px-3 py-2 text-sm break-words ${result.ok ? "bg-green-50 text-green-900" : "bg-red-50 text-red-900"}`}
          >
            {result.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** Delete with a confirmation step: flows that use the connection stop working. */
export function DeleteConnectionButton({ projectId, connectionId, name }: { projectId: string; connectionId: string; name: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const { pending, formError: error, run } = useActionForm();

  function remove() {
    run(
      () => deleteConnectionAction({ connectionId }),
      () => {
        router.push(`/projects/${projectId}/connections`);
        router.refresh();
      },
      () => {
        setConfirming(false);
        return false;
      },
    );
  }

  return (
    <div className="space-y-2">
      <FormAlert message={error} />
      {confirming ? (
        <div role="group" aria-label="Confirm deletion" className="space-y-2 rounded-md border border-red-200 p-3">
          <p className="text-sm break-words">
            Delete <strong>{name}</strong>? Its saved secret is erased and flows that use it will fail. This cannot be undone.
          </p>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              onClick={remove}
              disabled={pending}
              className="rounded-md bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-60"
            >
              {pending ? "Deleting…" : "Yes, delete it"}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={pending} className="rounded-md border border-slate-300 px-4 py-2 font-medium">
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          onClick={() => setConfirming(true)}
          className="rounded-md border border-red-300 px-4 py-2 font-medium text-red-800 hover:bg-red-50"
        >
          Delete connection
        </button>
      )}
    </div>
  );
}
