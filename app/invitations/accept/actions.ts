"use server";

import { ZAcceptInvitationInput } from "@/lib/projects/member-schemas";
import { defineAction } from "@/lib/server/action";
import { acceptInvitation } from "@/lib/server/invitations/accept-invitation";

/** The "Accept invitation" button: a POST, so link scanners that only GET use nothing up. */
export const acceptInvitationAction = defineAction({ input: ZAcceptInvitationInput, auth: "user" }, async (input, { user, meta }) =>
  acceptInvitation(user.id, input.token, meta),
);
