"use client";

import { useState, useTransition } from "react";
import { startOAuthAuthorizationAction } from "@/app/projects/[projectId]/connections/actions";
import type { TConnectionStatus } from "@/lib/connections/schemas";
import { FormAlert } from "../ui/form-controls";

/**
 * Starts the provider sign-in: a form whose button posts a server action (checked
 * against the page's origin, rate limited, audited), then sends the browser to the
 * provider. Never a link: a URL anyone can send must not start a sign-in.
 */
export function OAuthConnectButton({ connectionId, status }: { connectionId: string; status: TConnectionStatus }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const isPrimary = status !== "CONNECTED";
  const label = status === "PENDING" ? "Connect" : "Reconnect";

  function start(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    startTransition(async () => {
      const answer = await startOAuthAuthorizationAction({ connectionId });
      if (!answer.ok) return setError(answer.error.message);
      window.location.assign(answer.data.authorizationUrl);
    });
  }

  return (
    <form onSubmit={start} aria-label="Sign in at the provider" className="space-y-2">
      <FormAlert message={error ?? undefined} />
      <button
        type="submit"
        disabled={pending}
        aria-busy={pending || undefined}
        className={`inline-block rounded-md px-4 py-2 font-medium disabled:opacity-60 ${
          isPrimary ? "bg-brand-600 text-white hover:bg-brand-700" : "border border-slate-300 bg-white hover:bg-slate-50"
        }`}
      >
        {pending ? "Opening the provider…" : label}
      </button>
    </form>
  );
}
