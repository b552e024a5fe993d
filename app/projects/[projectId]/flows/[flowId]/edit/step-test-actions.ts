"use server";

import { defineAction } from "@/lib/server/action";
import { testFlowStep, ZTestFlowStepInput } from "@/lib/server/flows/test-flow-step";

// "flows.write" is checked inside testFlowStep's query, from the flow id; the step is
// read from the saved draft, never from the browser. The answer holds the scrubbed
// output only, and a failed test comes back as data (status "failed"), not an error.
export const testFlowStepAction = defineAction({ input: ZTestFlowStepInput, auth: "user" }, async (input, { user, meta }) =>
  testFlowStep(user.id, input, meta),
);
