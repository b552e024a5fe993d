"use client";

import { startOAuthAuthorizationAction } from "@/app/projects/[projectId]/connections/actions";
import type { TConnectionStatus } from "@/lib/connections/schemas";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";

/**
 * Starts the provider sign-in: a form whose button posts a server action (checked
 * against the page's origin, rate limited, audited), then sends the browser to the
 * provider. Never a link: a URL anyone can send must not start a sign-in.
 */
export function OAuthConnectButton({ connectionId, status }: { connectionId: string; status: TConnectionStatus }) {
  // The button stays pending while the browser leaves for the provider.
  const { pending, formError: error, run } = useActionForm({ leavesPage: true });
  const isPrimary = status !== "CONNECTED";
  const label = status === "PENDING" ? "Connect" : "Reconnect";

  function start(event: React.FormEvent) {
    event.preventDefault();
    run(
      () => startOAuthAuthorizationAction({ connectionId }),
      ({ authorizationUrl }) => window.location.assign(authorizationUrl),
    );
  }

  return (
    <form onSubmit={start} aria-label="Sign in at the provider" className="space-y-2">
      <FormAlert message={error} />
      <SubmitButton pending={pending} pendingLabel="Opening the provider…" variant={isPrimary ? "primary" : "secondary"}>
        {label}
      </SubmitButton>
    </form>
  );
}
