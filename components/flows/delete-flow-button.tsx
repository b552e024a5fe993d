"use client";

import { useRouter } from "next/navigation";
import { deleteFlowAction } from "@/app/projects/[projectId]/flows/actions";
import { ConfirmStep } from "../ui/confirm-step";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

/** Deletes the flow with its versions and runs, after a second, explicit click. */
export function DeleteFlowButton({ projectId, flowId, name }: { projectId: string; flowId: string; name: string }) {
  const router = useRouter();
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
      <ConfirmStep
        askLabel="Delete flow"
        askLook="danger"
        confirmLabel={`Confirm: delete "${name}" and its runs`}
        pendingLabel="Deleting…"
        confirmLook="danger"
        dismissLabel="Keep it"
        size="md"
        pending={pending}
        onConfirm={remove}
      />
      <FormAlert message={error} compact />
    </div>
  );
}
