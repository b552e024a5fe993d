"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { resendInvitationAction, revokeInvitationAction } from "@/app/projects/[projectId]/members/actions";
import { ROLE_LABELS, type TProjectRole } from "@/lib/auth/permissions";
import { InvitationLinkNotice } from "./invitation-link-notice";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";
import { LocalTime } from "../ui/local-time";

/** `sent` and `expires` are ISO times, shown as dates in the viewer's time zone. */
export type TInvitationRow = { id: string; email: string; role: TProjectRole; sent: string; expires: string; isExpired: boolean };

export function PendingInvitations({ invitations }: { invitations: TInvitationRow[] }) {
  if (invitations.length === 0) return <p className="text-sm text-slate-600">No pending invitations.</p>;
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="Pending invitations">
      {invitations.map((invitation) => (
        <InvitationItem key={invitation.id} invitation={invitation} />
      ))}
    </ul>
  );
}

function InvitationItem({ invitation }: { invitation: TInvitationRow }) {
  const router = useRouter();
  const [issued, setIssued] = useState<{ email: string; link: string; isEmailed: boolean } | null>(null);
  // One action at a time; `started` says which button shows the progress.
  const [started, setStarted] = useState<"resend" | "revoke" | null>(null);
  const { pending, formError: error, run } = useActionForm();
  const busy = pending ? started : null;

  function resend() {
    setStarted("resend");
    run(() => resendInvitationAction({ invitationId: invitation.id }), setIssued);
  }

  function revoke() {
    setStarted("revoke");
    run(
      () => revokeInvitationAction({ invitationId: invitation.id }),
      () => router.refresh(),
    );
  }

  return (
    <li className="space-y-2 p-4" data-testid="invitation-row">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="min-w-0">
          <p className="font-medium break-all">{invitation.email}</p>
          <p className="text-sm text-slate-600">
            {ROLE_LABELS[invitation.role]} · sent <LocalTime iso={invitation.sent} dateOnly /> ·{" "}
            {invitation.isExpired ? (
              <strong>
                expired <LocalTime iso={invitation.expires} dateOnly />
              </strong>
            ) : (
              <>
                expires <LocalTime iso={invitation.expires} dateOnly />
              </>
            )}
          </p>
        </div>
        <div className="flex gap-2">
          <button
            type="button"
            disabled={pending}
            aria-label={`Resend invitation to ${invitation.email}`}
            onClick={resend}
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium disabled:opacity-50"
          >
            {busy === "resend" ? "Resending…" : "Resend"}
          </button>
          <button
            type="button"
            disabled={pending}
            aria-label={`Revoke invitation to ${invitation.email}`}
            onClick={revoke}
            className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-800 disabled:opacity-50"
          >
            {busy === "revoke" ? "Revoking…" : "Revoke"}
          </button>
        </div>
      </div>
      {issued ? <InvitationLinkNotice {...issued} /> : null}
      <FormAlert message={error} compact />
    </li>
  );
}
