// Calling one step's executor directly, outside a run: the context the interpreter would
// hand it (the stored config, then the values after mapping), and the StepFailure a
// refused call rejects with. A promise that resolves fails the test.
import { expect } from "vitest";
import type { TFlowNode } from "@/lib/flows/document";
import type { TExecutorContext } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";

/** The context of `step` in a fresh run of `projectId`: `rendered` replaces mapped fields of `config`. */
export function stepContext(
  step: { id: string; type: string; name: string },
  projectId: string,
  config: Record<string, unknown>,
  rendered: Record<string, unknown> = {},
  trigger: unknown = {},
): TExecutorContext {
  const node: TFlowNode = { ...step, config, ui: { x: 0, y: 0 } } as TFlowNode;
  return {
    node,
    config: { ...config, ...rendered },
    scope: { trigger, steps: {} },
    runId: crypto.randomUUID(),
    projectId,
    attempt: 1,
    waitKey: step.id,
  };
}

export async function failureOf(promise: Promise<unknown>): Promise<StepFailure> {
  const error = await promise.then(
    () => {
      throw new Error("expected the step to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StepFailure);
  return error as StepFailure;
}
