import type { Metadata } from "next";
import { InviteMemberForm } from "@/components/projects/invite-member-form";
import { MembersList } from "@/components/projects/members-list";
import { PendingInvitations } from "@/components/projects/pending-invitations";
import { can } from "@/lib/auth/permissions";
import { loadProjectForPage } from "@/lib/projects/load-project-for-page";
import { listInvitations } from "@/lib/server/invitations/list-invitations";
import { listMembers } from "@/lib/server/members/list-members";

export const metadata: Metadata = { title: "Members" };

export default async function ProjectMembersPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { user, project } = await loadProjectForPage(projectId, `/projects/${projectId}/members`);
  const canManage = can(project.role, "members.manage");
  const { members, pendingInvitationCount } = await listMembers(user.id, project.id);
  const invitations = canManage ? await listInvitations(user.id, project.id) : [];
  const isAlone = members.length === 1;
  return (
    <>
      <main id="main" className="mx-auto max-w-3xl space-y-10 px-4 py-10">
        <section aria-labelledby="members-heading" className="space-y-4">
          <h1 id="members-heading" className="text-2xl font-semibold">
            Members
          </h1>
          <p className="text-sm text-slate-600" data-testid="pending-count">
            {members.length} {members.length === 1 ? "member" : "members"} · {pendingInvitationCount} pending{" "}
            {pendingInvitationCount === 1 ? "invitation" : "invitations"}
          </p>
          {isAlone ? (
            <p className="rounded-md border border-dashed border-slate-300 p-4 text-slate-700">No one else is here yet. Invite a teammate by email.</p>
          ) : null}
          <MembersList projectId={project.id} canManage={canManage} members={members.map((m) => ({ ...m, joined: m.joinedAt.toISOString() }))} />
          {canManage ? (
            <p className="text-sm text-slate-600">A project has one owner. Transferring ownership makes the member the owner and you an editor.</p>
          ) : null}
        </section>
        {canManage ? (
          <>
            <section aria-labelledby="invite-heading" className="space-y-3">
              <h2 id="invite-heading" className="text-lg font-semibold">
                Invite a teammate
              </h2>
              <p className="text-sm text-slate-600">Editors can build and run flows; viewers can look but not change anything.</p>
              <InviteMemberForm projectId={project.id} />
            </section>
            <section aria-labelledby="invitations-heading" className="space-y-3">
              <h2 id="invitations-heading" className="text-lg font-semibold">
                Pending invitations
              </h2>
              <PendingInvitations
                invitations={invitations.map((i) => ({
                  id: i.id,
                  email: i.email,
                  role: i.role,
                  isExpired: i.isExpired,
                  sent: i.createdAt.toISOString(),
                  expires: i.expiresAt.toISOString(),
                }))}
              />
            </section>
          </>
        ) : null}
      </main>
    </>
  );
}
