"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { createInvitationAction } from "@/app/projects/[projectId]/members/actions";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { INVITABLE_ROLES, ZCreateInvitationInput, type TInvitableRole } from "@/lib/projects/member-schemas";
import { optionsOf, SelectField } from "../ui/field";
import { FormAlert, SubmitButton } from "../ui/form-controls";
import { TextField } from "../ui/text-field";
import { useActionForm } from "../ui/use-action-form";
import { InvitationLinkNotice } from "./invitation-link-notice";

const DEFAULT_ROLE: TInvitableRole = "EDITOR";

export function InviteMemberForm({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<TInvitableRole>(DEFAULT_ROLE);
  const [issued, setIssued] = useState<{ email: string; link: string; isEmailed: boolean } | null>(null);
  // The address may already have a pending invitation with another role: the server asks
  // (CONFLICT), and nothing changes until the owner confirms. A failure with no field goes
  // under "form", which the alert below reads.
  const { pending, fieldErrors: errors, confirmation: roleChange, submit: submitAction } = useActionForm({ messageField: "form", confirmOn: "CONFLICT" });

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setIssued(null);
    submitAction(
      ZCreateInvitationInput,
      { projectId, email, role },
      (parsed, confirmRoleChange) =>
        createInvitationAction({ projectId, email: parsed.email, role: parsed.role, ...(confirmRoleChange ? { confirmRoleChange: true } : {}) }),
      (invitation) => {
        setIssued(invitation);
        // Each invitation starts from the defaults: a role kept from the last one would be
        // given, unnoticed, to the next person.
        setEmail("");
        setRole(DEFAULT_ROLE);
        router.refresh();
      },
    );
  }

  return (
    <div className="space-y-3">
      <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-3" aria-label="Invite by email">
        <TextField
          label="Email address"
          name="email"
          type="email"
          autoComplete="off"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          errors={errors.email}
          className="min-w-0 flex-1 basis-56"
        />
        <SelectField
          id="invite-role"
          label="Role"
          name="role"
          value={role}
          onChange={(e) => setRole(e.target.value as TInvitableRole)}
          isWide={false}
          options={optionsOf(INVITABLE_ROLES, ROLE_LABELS)}
        />
        <SubmitButton pending={pending} pendingLabel="Inviting…">
          Send invitation
        </SubmitButton>
      </form>
      <FormAlert message={(errors.form ?? errors.role ?? errors.projectId)?.[0]} compact />
      {roleChange ? (
        <div
          role="alertdialog"
          aria-labelledby="invite-role-change"
          className="space-y-3 rounded-md border border-amber-300 bg-amber-50 px-3 py-3"
          data-testid="invite-role-change"
        >
          <p id="invite-role-change" className="text-sm text-amber-900">
            {roleChange.question}
          </p>
          <p className="flex flex-wrap gap-3">
            <button
              type="button"
              disabled={pending}
              onClick={roleChange.confirm}
              className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
            >
              Change role and send again
            </button>
            <button type="button" onClick={roleChange.dismiss} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium">
              Keep the pending invitation
            </button>
          </p>
        </div>
      ) : null}
      {issued ? <InvitationLinkNotice {...issued} /> : null}
    </div>
  );
}
