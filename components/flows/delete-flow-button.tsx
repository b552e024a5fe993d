"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { deleteFlowAction } from "@/app/projects/[projectId]/flows/actions";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

/** Deletes the flow with its versions and runs, after a second, explicit click. */
export function DeleteFlowButton({ projectId, flowId, name }: { projectId: string; flowId: string; name: string }) {
  const router = useRouter();
  const [isConfirming, setConfirming] = useState(false);
  const { pending, formError: error, run } = useActionForm();

  function remove() {
    run(
      () => deleteFlowAction({ flowId }),
      () => {
        router.push(`/projects/${projectId}/flows`);
        router.refresh();
      },
    );
  }

  return (
    <div className="space-y-2">
      {isConfirming ? (
        <div className="flex flex-wrap gap-2">
          <button
            type="button"
            disabled={pending}
            onClick={remove}
            className="rounded-md bg-red-700 px-4 py-2 font-medium text-white hover:bg-red-800 disabled:opacity-60"
          >
            {pending ? "Deleting…" : `Confirm: delete "${name}" and its runs`}
          </button>
          <button type="button" disabled={pending} onClick={() => setConfirming(false)} className="rounded-md border border-slate-300 px-4 py-2 font-medium">
            Keep it
          </button>
        </div>
      ) : (
        <button
          type="button"
          onClick={() => setConfirming(true)}
          className="rounded-md border border-red-300 px-4 py-2 font-medium text-red-800 hover:bg-red-50"
        >
          Delete flow
        </button>
      )}
      <FormAlert message={error} compact />
    </div>
  );
}
