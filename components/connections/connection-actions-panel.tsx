"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteConnectionAction, testConnectionAction } from "@/app/projects/[projectId]/connections/actions";
import { ConfirmStep } from "../ui/confirm-step";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

/** "Test connection": calls the saved test URL with the saved credential and shows the summary. */
export function TestConnectionButton({ connectionId }: { connectionId: string }) {
  const router = useRouter();
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  // Either answer shows as the test's result (a status), never as an alert.
  const { pending, run } = useActionForm();

  function test() {
    setResult(null);
    run(
      () => testConnectionAction({ connectionId }),
      (data) => {
        setResult(data);
        router.refresh();
      },
      (error) => {
        setResult({ ok: false, message: error.message });
        router.refresh();
        return true;
      },
    );
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
  const { pending, formError: error, run } = useActionForm();

  function remove(close: () => void) {
    run(
      () => deleteConnectionAction({ connectionId }),
      () => {
        router.push(`/projects/${projectId}/connections`);
        router.refresh();
      },
      () => {
        close();
        return false;
      },
    );
  }

  return (
    <div className="space-y-2">
      <FormAlert message={error} />
      <ConfirmStep
        askLabel="Delete connection"
        askLook="danger"
        question={
          <>
            Delete <strong>{name}</strong>? Its saved secret is erased and flows that use it will fail. This cannot be undone.
          </>
        }
        questionLabel="Confirm deletion"
        confirmLabel="Yes, delete it"
        pendingLabel="Deleting…"
        confirmLook="danger"
        dismissLabel="Cancel"
        size="md"
        pending={pending}
        onConfirm={remove}
      />
    </div>
  );
}
