import "server-only";
// Respond to webhook: the answer a synchronous webhook call is waiting for. It is
// stored sealed in the run's state under one key that the waiting request reads and
// removes; the run goes on after it.
import type { TExecutor } from "@/lib/flows/interpreter";
import { NODE_CONFIG_SCHEMAS } from "@/lib/flows/node-types";
import { StepFailure } from "@/lib/flows/retry-policy";
import { RESPONSE_STATE_KEY } from "../embedded/execute-run";
import { saveRunState } from "../run-state";

export type TWebhookResponse = { status: number; headers: Record<string, string>; body: string };

const FORBIDDEN_HEADERS = new Set(["connection", "content-length", "transfer-encoding", "keep-alive", "upgrade", "set-cookie", "host"]);

/** The answer a Respond step gives for its stored and rendered config; also what a step test shows. */
export function buildWebhookResponse(nodeConfig: unknown, config: Record<string, unknown>): TWebhookResponse {
  const stored = NODE_CONFIG_SCHEMAS["step.respond"].safeParse(nodeConfig);
  if (!stored.success) throw new StepFailure("The step's settings are not valid; open it in the editor.", { retryable: false });
  const rendered = { ...stored.data, ...config } as typeof stored.data & { body: unknown };
  const headers: Record<string, string> = {};
  for (const { name, value } of rendered.headers) {
    const key = name.toLowerCase();
    const text = typeof value === "string" ? value : JSON.stringify(value);
    if (FORBIDDEN_HEADERS.has(key) || /[\r\n\0]/.test(text) || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key)) {
      throw new StepFailure(`The response header "${name}" cannot be set.`, { retryable: false });
    }
    headers[key] = text;
  }
  const body = typeof rendered.body === "string" ? rendered.body : JSON.stringify(rendered.body);
  if (typeof rendered.body !== "string") headers["content-type"] ??= "application/json";
  return { status: Number(rendered.status), headers, body };
}

/** The step's output in the run (the answer itself goes to the waiting call only); a step test's sample is the same. */
export function respondOutputOf(response: TWebhookResponse): { status: number } {
  return { status: response.status };
}

export const respondExecutor: TExecutor = async ({ node, config, runId, projectId }) => {
  const response = buildWebhookResponse(node.config, config);
  await saveRunState(projectId, runId, RESPONSE_STATE_KEY, response);
  return respondOutputOf(response);
};
