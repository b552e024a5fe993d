"use server";

import { defineAction } from "@/lib/server/action";
import { importFlow, ZImportFlowInput } from "@/lib/server/flows/import-flow";

/** Creates a flow from an uploaded flow file; says which steps need a connection chosen. */
export const importFlowAction = defineAction({ input: ZImportFlowInput, auth: "user" }, async (input, { user, meta }) => importFlow(user.id, input, meta));
