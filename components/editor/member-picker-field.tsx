"use client";
// The member picker of Email project members: the project's people as checkboxes, by
// name and address. Choosing writes their member ids into the step's members field
// (older steps hold addresses: those of members are shown checked and become ids on
// the next change). Who receives the message is decided again from the memberships
// when the step runs, so a member removed since then receives nothing.
import { useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { useId } from "react";
import { listMemberChoicesAction } from "@/app/projects/[projectId]/flows/[flowId]/edit/member-choice-actions";
import { chosenMembersOf, chosenMembersText } from "@/lib/apps/email/email-app";

export const memberChoiceKeys = {
  list: (projectId: string) => ["member-choices", projectId] as const,
};

type TProps = { value: string; onPick: (value: string) => void };

export function MemberPickerField({ value, onPick }: TProps) {
  const params = useParams<{ projectId?: string }>();
  const projectId = typeof params?.projectId === "string" ? params.projectId : null;
  const legendId = useId();
  const query = useQuery({
    queryKey: memberChoiceKeys.list(projectId ?? ""),
    enabled: projectId !== null,
    staleTime: 60_000,
    retry: false,
    queryFn: async () => {
      const result = await listMemberChoicesAction({ projectId: projectId! });
      if (!result.ok) throw new Error(result.error.message);
      return result.data;
    },
  });
  if (!projectId) return null;
  const chosen = chosenMembersOf(value);
  const members = query.data?.members ?? [];
  const isChosen = (member: { userId: string; email: string }) => chosen.userIds.includes(member.userId) || chosen.emails.includes(member.email.toLowerCase());
  const unknown =
    query.data === undefined
      ? 0
      : chosen.userIds.filter((id) => !members.some((member) => member.userId === id)).length +
        chosen.emails.filter((email) => !members.some((member) => member.email.toLowerCase() === email)).length;
  const toggle = (userId: string, checked: boolean) => {
    const ids = members.filter((member) => (member.userId === userId ? checked : isChosen(member))).map((member) => member.userId);
    // Beyond a partial list, earlier choices it does not show are kept.
    const unlisted = query.data?.isComplete === false ? chosen.userIds.filter((id) => !members.some((member) => member.userId === id)) : [];
    onPick(chosenMembersText([...ids, ...unlisted]));
  };
  return (
    <div className="mt-1 space-y-1 text-xs" data-testid="member-picker">
      <div aria-live="polite">
        {query.isFetching && !query.data ? <p className="text-slate-700">{"Loading the project's members…"}</p> : null}
        {query.isError ? (
          <p className="text-red-700">
            {query.error.message}{" "}
            <button type="button" className="underline" onClick={() => void query.refetch()}>
              Try again
            </button>
          </p>
        ) : null}
      </div>
      {query.data ? (
        <fieldset aria-labelledby={legendId} className="max-h-48 space-y-1 overflow-y-auto rounded-md border border-slate-300 p-2">
          <legend id={legendId} className="sr-only">
            Members who receive the message
          </legend>
          {members.map((member) => (
            <label key={member.userId} className="flex items-start gap-2 text-sm">
              <input type="checkbox" className="mt-1" checked={isChosen(member)} onChange={(e) => toggle(member.userId, e.target.checked)} />
              <span>
                {member.name ? `${member.name} ` : ""}
                <span className="text-slate-700">{member.email}</span> <span className="text-slate-600">({member.role.toLowerCase()})</span>
                {member.isConfirmed ? null : <span className="block text-amber-800">Address not confirmed: skipped until it is.</span>}
              </span>
            </label>
          ))}
          {!query.data.isComplete ? <p className="text-slate-700">Only the first {members.length} members are listed.</p> : null}
        </fieldset>
      ) : null}
      {unknown > 0 ? (
        <p className="text-amber-800" data-testid="member-picker-unknown">
          {unknown === 1 ? "1 chosen entry is" : `${unknown} chosen entries are`} not a member of this project now and receive nothing; changing the choice
          removes {unknown === 1 ? "it" : "them"}.
        </p>
      ) : null}
    </div>
  );
}
