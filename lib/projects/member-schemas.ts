// Member and invitation inputs, shared by forms and server actions. Strict objects:
// a projectId smuggled next to a membership or invitation id is an error, since the
// project is always derived from the object acted on.
import { ZEmail } from "@/lib/auth/schemas";
import { ZUserToken } from "@/lib/auth/schemas";
import { z } from "@/lib/zod";
import { ZProjectId } from "./schemas";

/** Roles an invitation or a role change can give; OWNER only through a transfer. */
export const INVITABLE_ROLES = ["EDITOR", "VIEWER"] as const;
export const ZInvitableRole = z.enum(INVITABLE_ROLES, "Choose Editor or Viewer.");
export type TInvitableRole = z.infer<typeof ZInvitableRole>;

const ZMembershipId = z.uuid("That member does not exist.");
const ZInvitationId = z.uuid("That invitation does not exist.");

export const ZCreateInvitationInput = z.strictObject({ projectId: ZProjectId, email: ZEmail, role: ZInvitableRole });
export type TCreateInvitationInput = z.infer<typeof ZCreateInvitationInput>;

export const ZInvitationIdInput = z.strictObject({ invitationId: ZInvitationId });
export type TInvitationIdInput = z.infer<typeof ZInvitationIdInput>;

export const ZAcceptInvitationInput = z.strictObject({ token: ZUserToken });
export type TAcceptInvitationInput = z.infer<typeof ZAcceptInvitationInput>;

export const ZChangeMemberRoleInput = z.strictObject({ membershipId: ZMembershipId, role: ZInvitableRole });
export type TChangeMemberRoleInput = z.infer<typeof ZChangeMemberRoleInput>;

export const ZMembershipIdInput = z.strictObject({ membershipId: ZMembershipId });
export type TMembershipIdInput = z.infer<typeof ZMembershipIdInput>;

export const ZLeaveProjectInput = z.strictObject({ projectId: ZProjectId });
export type TLeaveProjectInput = z.infer<typeof ZLeaveProjectInput>;

export const LAST_OWNER_MESSAGE = "A project always has at least one owner: transfer ownership first.";
export const WRONG_EMAIL_MESSAGE = "This invitation is for another email address.";
export const INVITATION_INVALID_MESSAGE = "This invitation has expired, was revoked or was already used.";
