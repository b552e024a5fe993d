"use server";

import { defineAction } from "@/lib/server/action";
import { listMemberChoices, ZListMemberChoicesInput } from "@/lib/server/apps/email/list-member-choices";

// "flows.write" on the given project is checked inside listMemberChoices; a project the
// caller cannot edit reads as not found.
export const listMemberChoicesAction = defineAction({ input: ZListMemberChoicesInput, auth: "user" }, async (input, { user }) =>
  listMemberChoices(user.id, input),
);
