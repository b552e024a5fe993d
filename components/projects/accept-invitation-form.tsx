"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { acceptInvitationAction } from "@/app/invitations/accept/actions";

/**
 * Accepting is a button press (a POST): mail scanners and link previews fetch links
 * and must not use the invitation up.
 */
export function AcceptInvitationForm({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    startTransition(async () => {
      const result = await acceptInvitationAction({ token });
      if (!result.ok) return setError(result.error.message);
      router.push(`/projects/${result.data.projectId}`);
    });
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      {error ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
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
