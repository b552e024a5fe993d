import "server-only";
// Respond to webhook: the answer a synchronous webhook call is waiting for. A call
// waiting in this process takes it from memory; otherwise it is stored sealed in the
// run's state under one key that the waiting request reads and removes. The run goes on
// after it.
import type { TExecutor } from "@/lib/flows/interpreter";
import { NODE_CONFIG_SCHEMAS } from "@/lib/flows/node-types";
import { StepFailure } from "@/lib/flows/retry-policy";
import { respondHeaderProblem, respondStatusProblem } from "@/lib/webhooks/webhook-response-policy";
import { RESPONSE_STATE_KEY, saveRunState } from "../run-state";
import { offerRunAnswer, writeWithRunEvent } from "../run-events";
import { scrubWebhookResponse } from "./scrub-webhook-response";

export type TWebhookResponse = { status: number; headers: Record<string, string>; body: string };

/** The answer a Respond step gives for its stored and rendered config; also what a step test shows. */
export function buildWebhookResponse(nodeConfig: unknown, config: Record<string, unknown>): TWebhookResponse {
  const stored = NODE_CONFIG_SCHEMAS["step.respond"].safeParse(nodeConfig);
  if (!stored.success) {
    // A version published before the answer policy may hold a 3xx or a forbidden
    // header: say which, not just "invalid" (these messages are the policy's own).
    const policy = stored.error.issues.find((issue) => issue.path[0] === "status" || (issue.path[0] === "headers" && issue.code === "custom"));
    throw new StepFailure(policy?.message ?? "The step's settings are not valid; open it in the editor.", { retryable: false });
  }
  const rendered = { ...stored.data, ...config } as typeof stored.data & { body: unknown };
  const headers: Record<string, string> = {};
  for (const { name, value } of rendered.headers) {
    const key = name.toLowerCase();
    const text = typeof value === "string" ? value : JSON.stringify(value);
    // The allow list and its reasons: lib/webhooks/webhook-response-policy.ts.
    const problem = respondHeaderProblem(name, text);
    if (problem) throw new StepFailure(problem, { retryable: false });
    headers[key] = text;
  }
  const body = typeof rendered.body === "string" ? rendered.body : JSON.stringify(rendered.body);
  if (typeof rendered.body !== "string") headers["content-type"] ??= "application/json";
  const status = Number(rendered.status);
  const statusProblem = respondStatusProblem(status);
  if (statusProblem) throw new StepFailure(statusProblem, { retryable: false });
  return { status, headers, body };
}

/** The step's output in the run (the answer itself goes to the waiting call only); a step test's sample is the same. */
export function respondOutputOf(response: TWebhookResponse): { status: number } {
  return { status: response.status };
}

export const respondExecutor: TExecutor = async ({ node, config, runId, projectId, runSecrets }) => {
  const response = await scrubWebhookResponse(buildWebhookResponse(node.config, config), projectId, runId, runSecrets);
  // A call waiting in this process takes the answer from memory: nothing to store or remove.
  if (offerRunAnswer(runId, response)) return respondOutputOf(response);
  // Otherwise stored and announced in one transaction: the webhook call waiting for it wakes at once.
  await writeWithRunEvent(runId, (tx) => saveRunState(projectId, runId, RESPONSE_STATE_KEY, response, tx));
  return respondOutputOf(response);
};
