"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { changeMemberRoleAction, leaveProjectAction, removeMemberAction, transferOwnershipAction } from "@/app/projects/[projectId]/members/actions";
import { ROLE_LABELS, type TProjectRole } from "@/lib/auth/permissions";
import { INVITABLE_ROLES, type TInvitableRole } from "@/lib/projects/member-schemas";
import type { TActionResult } from "@/lib/web/action-result";
import { FormAlert } from "../ui/form-controls";
import { useActionForm } from "../ui/use-action-form";
import { LocalTime } from "../ui/local-time";

export type TMemberRow = {
  membershipId: string;
  name: string | null;
  email: string;
  role: TProjectRole;
  /** ISO time; shown as a date in the viewer's time zone. */
  joined: string;
  isYou: boolean;
};

type Props = { projectId: string; members: TMemberRow[]; canManage: boolean };

export function MembersList({ projectId, members, canManage }: Props) {
  return (
    <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="Members">
      {members.map((member) => (
        <MemberItem key={member.membershipId} projectId={projectId} member={member} canManage={canManage} />
      ))}
    </ul>
  );
}

function MemberItem({ projectId, member, canManage }: { projectId: string; member: TMemberRow; canManage: boolean }) {
  const router = useRouter();
  const [role, setRole] = useState<TInvitableRole>(member.role === "VIEWER" ? "VIEWER" : "EDITOR");
  const [confirming, setConfirming] = useState<"remove" | "transfer" | "leave" | null>(null);
  // One action at a time; `started` says which button shows the progress.
  const [started, setStarted] = useState<string | null>(null);
  const { pending, formError: error, run: runAction } = useActionForm();
  const busy = pending ? started : null;
  const who = member.name ?? member.email;

  /** Any answer closes the question; a success reloads the page's data unless `after` goes elsewhere. */
  function run(label: string, action: () => Promise<TActionResult<unknown>>, after?: () => void) {
    setStarted(label);
    runAction(
      () => action().finally(() => setConfirming(null)),
      () => (after ? after() : router.refresh()),
    );
  }

  const canEditThis = canManage && member.role !== "OWNER";
  return (
    <li className="space-y-2 p-4" data-testid="member-row">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="min-w-0">
          <p className="font-medium break-words">
            {who}
            {member.isYou ? <span className="text-slate-500"> (you)</span> : null}
          </p>
          {member.name ? <p className="text-sm break-all text-slate-600">{member.email}</p> : null}
          <p className="text-sm text-slate-600">
            Joined <LocalTime iso={member.joined} dateOnly />
          </p>
        </div>
        <span className="rounded-full bg-slate-100 px-3 py-1 text-sm" data-testid="member-role">
          {ROLE_LABELS[member.role]}
        </span>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        {canEditThis ? (
          <>
            <div>
              <label htmlFor={`role-${member.membershipId}`} className="sr-only">
                Role for {who}
              </label>
              <select
                id={`role-${member.membershipId}`}
                value={role}
                onChange={(e) => setRole(e.target.value as TInvitableRole)}
                className="rounded-md border border-slate-300 px-2 py-1.5"
              >
                {INVITABLE_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]}
                  </option>
                ))}
              </select>
            </div>
            <button
              type="button"
              disabled={pending || role === member.role}
              aria-label={`Change role of ${who}`}
              onClick={() => run("role", () => changeMemberRoleAction({ membershipId: member.membershipId, role }))}
              className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium disabled:opacity-50"
            >
              {busy === "role" ? "Saving…" : "Change role"}
            </button>
            {confirming === "transfer" ? (
              <button
                type="button"
                disabled={pending}
                onClick={() => run("transfer", () => transferOwnershipAction({ membershipId: member.membershipId }))}
                className="rounded-md bg-amber-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
              >
                {busy === "transfer" ? "Transferring…" : `Confirm: make ${who} the owner, me an editor`}
              </button>
            ) : (
              <button
                type="button"
                aria-label={`Transfer ownership to ${who}`}
                onClick={() => setConfirming("transfer")}
                className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium"
              >
                Transfer ownership
              </button>
            )}
            {confirming === "remove" ? (
              <button
                type="button"
                disabled={pending}
                onClick={() => run("remove", () => removeMemberAction({ membershipId: member.membershipId }))}
                className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
              >
                {busy === "remove" ? "Removing…" : `Confirm removal of ${who}`}
              </button>
            ) : (
              <button
                type="button"
                aria-label={`Remove ${who}`}
                onClick={() => setConfirming("remove")}
                className="rounded-md border border-red-300 px-3 py-1.5 text-sm font-medium text-red-800"
              >
                Remove
              </button>
            )}
          </>
        ) : null}
        {member.isYou ? (
          confirming === "leave" ? (
            <button
              type="button"
              disabled={pending}
              onClick={() =>
                run(
                  "leave",
                  () => leaveProjectAction({ projectId }),
                  () => {
                    router.push("/projects");
                    router.refresh();
                  },
                )
              }
              className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
            >
              {busy === "leave" ? "Leaving…" : "Confirm: leave this project"}
            </button>
          ) : (
            <button type="button" onClick={() => setConfirming("leave")} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium">
              Leave project
            </button>
          )
        ) : null}
      </div>
      {confirming === "transfer" ? <p className="text-sm text-slate-600">Transferring makes {who} the owner; you become an editor.</p> : null}
      <FormAlert message={error} compact />
    </li>
  );
}
