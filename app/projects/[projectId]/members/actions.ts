"use server";

import { ZChangeMemberRoleInput, ZInvitationIdInput, ZLeaveProjectInput, ZMembershipIdInput } from "@/lib/projects/member-schemas";
import { defineAction } from "@/lib/server/action";
import { createInvitation } from "@/lib/server/invitations/create-invitation";
import { ZInviteMemberInput } from "@/lib/server/invitations/invite-input";
import { resendInvitation } from "@/lib/server/invitations/resend-invitation";
import { revokeInvitation } from "@/lib/server/invitations/revoke-invitation";
import { changeMemberRole } from "@/lib/server/members/change-member-role";
import { leaveProject } from "@/lib/server/members/leave-project";
import { removeMember } from "@/lib/server/members/remove-member";
import { transferOwnership } from "@/lib/server/members/transfer-ownership";

// Permissions ("members.manage" for all but leaving) are checked inside each data
// function's query; membership and invitation ids lead to their project, so no
// projectId in a body can widen what the caller reaches. Inviting an address whose
// pending invitation has another role answers CONFLICT (the message is the question
// to ask) and changes nothing until it is sent again with `confirmRoleChange: true`.
const issued = (result: Awaited<ReturnType<typeof createInvitation>>) => ({
  email: result.email,
  link: result.link,
  isEmailed: result.isEmailed,
  expiresAt: result.expiresAt.toISOString(),
});

export const createInvitationAction = defineAction({ input: ZInviteMemberInput, auth: "user" }, async (input, { user, meta }) =>
  issued(await createInvitation(user.id, input, meta)),
);

export const resendInvitationAction = defineAction({ input: ZInvitationIdInput, auth: "user" }, async (input, { user, meta }) =>
  issued(await resendInvitation(user.id, input, meta)),
);

export const revokeInvitationAction = defineAction({ input: ZInvitationIdInput, auth: "user" }, async (input, { user, meta }) => {
  await revokeInvitation(user.id, input, meta);
  return { revoked: true };
});

export const changeMemberRoleAction = defineAction({ input: ZChangeMemberRoleInput, auth: "user" }, async (input, { user, meta }) => {
  await changeMemberRole(user.id, input, meta);
  return { role: input.role };
});

export const removeMemberAction = defineAction({ input: ZMembershipIdInput, auth: "user" }, async (input, { user, meta }) => {
  await removeMember(user.id, input, meta);
  return { removed: true };
});

export const transferOwnershipAction = defineAction({ input: ZMembershipIdInput, auth: "user" }, async (input, { user, meta }) => {
  await transferOwnership(user.id, input, meta);
  return { transferred: true };
});

export const leaveProjectAction = defineAction({ input: ZLeaveProjectInput, auth: "user" }, async (input, { user, meta }) => {
  await leaveProject(user.id, input, meta);
  return { left: true };
});
