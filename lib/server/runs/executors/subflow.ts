import "server-only";
// step.subflow: starts the child run (start-child-run.ts) and returns its id; the
// interpreter then waits on the node's wait key, which the child's end signals
// (signals/parent-signal.ts). The input is the rendered template: JSON text, or empty
// for an empty payload.
import type { TExecutor, TExecutorContext } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";
import { startChildRun } from "../start-child-run";

export function waitKeyOf(context: TExecutorContext): string {
  const key = (context as TExecutorContext & { waitKey?: unknown }).waitKey;
  if (typeof key !== "string" || key === "") throw new StepFailure("This step can only run on a driver that waits for signals.", { retryable: false });
  return key;
}

function parseInput(raw: unknown): unknown {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== "string") return raw;
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new StepFailure("The sub-flow's input is not valid JSON after mapping: objects, lists and numbers go without quotes, text inside them.", {
      retryable: false,
    });
  }
}

export const subflowExecutor: TExecutor = async (context) => {
  const flowId = context.config.flowId;
  if (typeof flowId !== "string") throw new StepFailure("Choose the flow this step runs.", { retryable: false });
  const child = await startChildRun({
    parentRunId: context.runId,
    projectId: context.projectId,
    nodeId: context.node.id,
    waitKey: waitKeyOf(context),
    flowId,
    payload: parseInput(context.config.input),
  });
  return { runId: child.runId };
};
