"use server";

import { defineAction } from "@/lib/server/action";
import { restoreFlowVersion, ZRestoreFlowVersionInput } from "@/lib/server/flows/restore-flow-version";

// "flows.write" is checked inside restoreFlowVersion's query, from the flow id; the
// version must belong to that flow. The answer is numbers only: the restored document
// reaches the browser through the page it refreshes.
export const restoreFlowVersionAction = defineAction({ input: ZRestoreFlowVersionInput, auth: "user" }, async (input, { user, meta }) =>
  restoreFlowVersion(user.id, input, meta),
);
