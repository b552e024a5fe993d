// Runs one flow run on Inngest. The event carries ids only; the body re-parses them and
// calls the shared interpreter (lib/server/runs/inngest/execute-inngest-run.ts).
import { getEnv } from "@/lib/env";
import { createExecutors } from "@/lib/server/runs/executors";
import { executeInngestRun } from "@/lib/server/runs/inngest/execute-inngest-run";
import { toStepTools, type TInngestStep } from "@/lib/server/runs/inngest/inngest-step-tools";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { z } from "@/lib/zod";
import { getInngest, RUN_REQUESTED_EVENT } from "../client";

export const ZRunRequested = z.strictObject({ runId: z.uuid(), projectId: z.uuid() });

export function createRunFlowFunction(inngest = getInngest()) {
  return inngest.createFunction(
    {
      id: "run-flow",
      triggers: { event: RUN_REQUESTED_EVENT },
      // The interpreter owns retries (per step, with backoff), so Inngest's are off.
      retries: 0,
      // Runs of one project executing at once; sleeping runs do not count.
      concurrency: [{ key: "event.data.projectId", limit: getEnv().RUN_CONCURRENCY_PER_PROJECT }],
    },
    async ({ event, step }) => {
      const data = ZRunRequested.parse(event.data);
      return executeInngestRun(data.runId, toStepTools(step as unknown as TInngestStep, undefined, data), {
        executors: createExecutors(),
        secretsFor: listRunSecrets,
      });
    },
  );
}
