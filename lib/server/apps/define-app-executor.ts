import "server-only";
// The shape every app step executor shares: the stored config (validated at publish)
// gives defaults, the rendered one the values (a mapping may have produced a number or
// an object), and the step's work gets a sender bound to its app and connection.
import type { TApp, TAppStep } from "@/lib/apps/types";
import type { TExecutor, TExecutorContext } from "@/lib/flows/interpreter";
import { StepFailure } from "@/lib/flows/retry-policy";
import { appSender, type TAppExecutorOptions, type TAppSend } from "./send-app-request";

export type TAppStepWork = (input: { config: Record<string, unknown>; send: TAppSend; context: TExecutorContext }) => Promise<unknown>;

export function defineAppExecutor(app: TApp, step: TAppStep, work: TAppStepWork): (options?: TAppExecutorOptions) => TExecutor {
  return (options = {}) =>
    async (context) => {
      const stored = step.schema.safeParse(context.node.config);
      if (!stored.success) throw new StepFailure("The step's settings are not valid; open it in the editor.", { retryable: false, code: "CONFIG" });
      const config = { ...(stored.data as Record<string, unknown>), ...context.config };
      // The connection is the stored one: a mapping never chooses whose credential is used.
      const connectionId = (stored.data as { connectionId?: unknown }).connectionId;
      const send = appSender({ app, projectId: context.projectId, connectionId, runId: context.runId, nodeId: context.node.id }, options);
      return work({ config, send, context });
    };
}
