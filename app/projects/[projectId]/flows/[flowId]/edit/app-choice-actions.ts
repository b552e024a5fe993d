"use server";

import { defineAction } from "@/lib/server/action";
import { listAppChoices, ZListAppChoicesInput } from "@/lib/server/apps/list-app-choices";

// "flows.write" is checked inside listAppChoices's query, from the connection id; the
// project is the connection's, never a value from the page.
export const listAppChoicesAction = defineAction({ input: ZListAppChoicesInput, auth: "user" }, async (input, { user }) => listAppChoices(user.id, input));
