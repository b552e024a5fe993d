"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { createInvitationAction } from "@/app/projects/[projectId]/members/actions";
import { ROLE_LABELS } from "@/lib/auth/permissions";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import { INVITABLE_ROLES, ZCreateInvitationInput, type TInvitableRole } from "@/lib/projects/member-schemas";
import { TextField } from "../ui/text-field";
import { InvitationLinkNotice } from "./invitation-link-notice";

const DEFAULT_ROLE: TInvitableRole = "EDITOR";

type TRoleChange = { email: string; role: TInvitableRole; question: string };

export function InviteMemberForm({ projectId }: { projectId: string }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<TInvitableRole>(DEFAULT_ROLE);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [issued, setIssued] = useState<{ email: string; link: string; isEmailed: boolean } | null>(null);
  // Set when the address already has a pending invitation with another role: nothing
  // changes until the owner confirms.
  const [roleChange, setRoleChange] = useState<TRoleChange | null>(null);
  const [pending, startTransition] = useTransition();

  function send(input: { email: string; role: TInvitableRole }, confirmRoleChange: boolean) {
    startTransition(async () => {
      const result = await createInvitationAction({ projectId, ...input, ...(confirmRoleChange ? { confirmRoleChange: true } : {}) });
      if (!result.ok) {
        if (result.error.code === "CONFLICT") return setRoleChange({ ...input, question: result.error.message });
        return setErrors(result.error.fieldErrors ?? { form: [result.error.message] });
      }
      setIssued(result.data);
      // Each invitation starts from the defaults: a role kept from the last one would be
      // given, unnoticed, to the next person.
      setEmail("");
      setRole(DEFAULT_ROLE);
      router.refresh();
    });
  }

  function submit(event: React.FormEvent) {
    event.preventDefault();
    setIssued(null);
    setRoleChange(null);
    const parsed = ZCreateInvitationInput.safeParse({ projectId, email, role });
    if (!parsed.success) return setErrors(fieldErrorsOf(parsed.error));
    setErrors({});
    send({ email: parsed.data.email, role: parsed.data.role }, false);
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
        <div>
          <label htmlFor="invite-role" className="block text-sm font-medium">
            Role
          </label>
          <select
            id="invite-role"
            name="role"
            value={role}
            onChange={(e) => setRole(e.target.value as TInvitableRole)}
            className="mt-1 block rounded-md border border-slate-300 px-3 py-2 text-base"
          >
            {INVITABLE_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={pending} className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {pending ? "Inviting…" : "Send invitation"}
        </button>
      </form>
      {errors.form || errors.role || errors.projectId ? (
        <p role="alert" className="text-sm text-red-700">
          {(errors.form ?? errors.role ?? errors.projectId)![0]}
        </p>
      ) : null}
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
              onClick={() => {
                const confirmed = roleChange;
                setRoleChange(null);
                send({ email: confirmed.email, role: confirmed.role }, true);
              }}
              className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
            >
              Change role and send again
            </button>
            <button type="button" onClick={() => setRoleChange(null)} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium">
              Keep the pending invitation
            </button>
          </p>
        </div>
      ) : null}
      {issued ? <InvitationLinkNotice {...issued} /> : null}
    </div>
  );
}
