// The flow engine's semantics suite on the Inngest driver, through @inngest/test's
// engine (which replays the function from the top for every step, as Inngest does), and
// the served endpoint's function list.
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { createInngestClient, RUN_REQUESTED_EVENT } from "@/inngest/client";
import { createRunFlowFunction } from "@/inngest/functions/run-flow";
import { parseEnv } from "@/lib/env";
import { conditionExecutor } from "@/lib/server/runs/executors/condition";
import { executeInngestRun } from "@/lib/server/runs/inngest/execute-inngest-run";
import { toStepTools, type TInngestStep } from "@/lib/server/runs/inngest/inngest-step-tools";
import { defineFlowSemanticsSuite, type TDriverRun } from "../support/flow-semantics";
import { queueSuiteRun, runResultFromLog } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const env = parseEnv({
  NODE_ENV: "test",
  INNGEST_DEV: "1",
  INNGEST_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
});
const inngest = createInngestClient(env);
let functions = 0;

const runOnInngest: TDriverRun = async ({ document, triggerPayload, executors, reuse, isCancelled, crashAfterSteps }) => {
  // The test engine has no way to kill a run mid-step; its replays are what this driver's memoization test covers.
  if (crashAfterSteps !== undefined) throw new Error("The Inngest test driver cannot simulate a crash (crashAfterSteps).");
  const { runId, projectId, executors: wrapped } = await queueSuiteRun({ document, triggerPayload, executors, reuse, isCancelled });
  const sleeps = new Map<string, number>();
  const fn = inngest.createFunction({ id: `run-flow-test-${++functions}`, triggers: { event: RUN_REQUESTED_EVENT }, retries: 0 }, async ({ event, step }) =>
    executeInngestRun(
      String(event.data.runId),
      toStepTools(step as unknown as TInngestStep, (id, ms) => sleeps.set(id, ms)),
      {
        executors: wrapped,
        secretsFor: async () => [],
      },
    ),
  );
  // Sleeps are mocked (they would wait for real); every sleep id the interpreter can use.
  // A loop's iterations sleep as `delay:<id>@<index>` (lib/flows/interpreter.ts).
  const sleepIds = document.nodes.flatMap((node) => [
    `delay:${node.id}`,
    ...Array.from({ length: 10 }, (_, i) => `delay:${node.id}@${i}`),
    ...Array.from({ length: 5 }, (_, i) => `node:${node.id}:backoff:${i + 1}`),
  ]);
  const engine = new InngestTestEngine({ function: fn });
  const { error } = await engine.execute({
    events: [{ name: RUN_REQUESTED_EVENT, data: { runId, projectId } }],
    steps: sleepIds.map((id) => ({ id, handler: () => undefined })),
  });
  if (error) throw error;

  return { result: await runResultFromLog(runId), sleeps: [...sleeps.values()] };
};

defineFlowSemanticsSuite("Inngest driver (@inngest/test)", runOnInngest, conditionExecutor, { canCrash: false });

describe("Inngest endpoint", () => {
  it("serves the run-flow function", async () => {
    const { serve } = await import("inngest/next");
    const handlers = serve({ client: inngest, functions: [createRunFlowFunction(inngest)] }) as unknown as {
      GET: (request: Request, context: unknown) => Promise<Response>;
    };
    const response = await handlers.GET(new Request("http://localhost:3000/api/inngest"), {});
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(200);
    expect(body.function_count).toBe(1);
  });
});
