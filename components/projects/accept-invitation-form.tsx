"use client";

import { useRouter } from "next/navigation";
import { acceptInvitationAction } from "@/app/invitations/accept/actions";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

/**
 * Accepting is a button press (a POST): mail scanners and link previews fetch links
 * and must not use the invitation up.
 */
export function AcceptInvitationForm({ token }: { token: string }) {
  const router = useRouter();
  const { pending, formError, run } = useActionForm();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    run(
      () => acceptInvitationAction({ token }),
      (accepted) => router.push(`/projects/${accepted.projectId}`),
    );
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      <FormAlert message={formError} />
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-brand-600 px-4 py-2.5 font-medium text-white hover:bg-brand-700 disabled:opacity-60 sm:w-auto"
      >
        {pending ? "Accepting…" : "Accept invitation"}
      </button>
    </form>
  );
}
