import "server-only";
// The invite action's input: the shared invitation fields plus the answer to "change
// the pending invitation's role?", so that a re-invite with another role never
// changes anything until the owner has said yes.
import { ZCreateInvitationInput } from "@/lib/projects/member-schemas";
import { z } from "@/lib/zod";

export const ZInviteMemberInput = ZCreateInvitationInput.extend({ confirmRoleChange: z.boolean().optional() }).strict();
export type TInviteMemberInput = z.infer<typeof ZInviteMemberInput>;
