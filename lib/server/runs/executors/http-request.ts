import "server-only";
// The HTTP request step. The request is built from the rendered config, the chosen
// connection's credential is applied after mapping (so no mapping can read or shadow
// it), and it is sent through the SSRF guard. The output (status, headers, body) has
// the connection's secret values removed at the source, in every encoding the run-log
// scrubber knows (lib/scrub, known-secrets rules), so they never enter the engine's
// state or a later step; the run log is scrubbed again, with all rules, on the way out.
import type { TExecutor } from "@/lib/flows/interpreter";
import { NODE_CONFIG_SCHEMAS, type TNodeConfig } from "@/lib/flows/node-types";
import { isRetryableStatus, parseRetryAfter, StepFailure } from "@/lib/flows/retry-policy";
import { AppError } from "@/lib/errors";
import { removeKnownSecrets } from "@/lib/scrub";
import { OutboundBlockedError, OutboundNetworkError, OutboundResponseTooLargeError, OutboundTimeoutError } from "@/lib/http/outbound-errors";
import { sendOutboundRequest, type OutboundPolicy, type OutboundRequest } from "@/lib/http/outbound-request";
import { outboundPolicyFromEnv } from "@/lib/http/outbound-policy-from-env";
import { ConnectionOriginRefusedError } from "@/lib/connections/connection-origins";
import { recordAuditEvent } from "../../audit/record-audit-event";
import { resolveConnection } from "../../connections/resolve-connection";

type THttpConfig = TNodeConfig<"step.http">;

function stringOf(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function buildRequest(config: THttpConfig): OutboundRequest {
  let url: URL;
  try {
    url = new URL(stringOf(config.url));
  } catch {
    throw new StepFailure("The URL is not a valid address (after mapping).", { retryable: false, code: "BAD_URL" });
  }
  for (const { name, value } of config.query) url.searchParams.append(name, stringOf(value));
  const headers: Record<string, string> = {};
  for (const { name, value } of config.headers) headers[name] = stringOf(value);
  let body: string | undefined;
  const body_ = config.body;
  if (body_.kind === "json") {
    const text = stringOf(body_.json);
    try {
      JSON.parse(text);
    } catch {
      throw new StepFailure(
        'The JSON body is not valid JSON (after mapping). A reference to an object, a list or a number goes without quotes ({{steps.fetch.output}}); one to text goes inside quotes ("{{trigger.name}}").',
        { retryable: false, code: "BAD_BODY" },
      );
    }
    body = text;
    headers["content-type"] ??= "application/json";
  } else if (body_.kind === "form") {
    body = new URLSearchParams(body_.fields.map(({ name, value }) => [name, stringOf(value)])).toString();
    headers["content-type"] ??= "application/x-www-form-urlencoded";
  } else if (body_.kind === "raw") {
    body = stringOf(body_.text);
    if (body_.contentType) headers["content-type"] ??= body_.contentType;
  }
  return { method: config.method, url: url.toString(), headers, body, timeoutMs: config.timeoutMs, maxResponseBytes: config.maxResponseBytes };
}

function parseBody(body: Buffer, contentType: string): unknown {
  const text = body.toString("utf8");
  if (/\bjson\b/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (/^text\/|xml|x-www-form-urlencoded|javascript/i.test(contentType) || contentType === "") return text;
  return { base64: body.toString("base64"), contentType };
}

export type THttpExecutorOptions = {
  policy?: () => OutboundPolicy;
  /** Who sent the request when it is not a run's: added to the audit event of a blocked request. */
  auditAs?: { source: "step-test" | "app-picker"; userId: string };
};

/** A step's answer with the connection's secrets removed: what becomes its output. */
export type TStepResponse = { status: number; headers: Record<string, string | undefined>; body: unknown };

/**
 * Sends a request a step built (its mapping done) with the connection's credential
 * applied last, through the SSRF guard, renewing an OAuth token once after a 401. Every
 * refusal and transport failure becomes a StepFailure (blocks audited); an HTTP error
 * status does not: the caller decides what it means. App steps (lib/server/apps) send
 * through here too, so they get the same guard, origin binding and secret removal.
 */
export async function sendStepRequest(
  input: { request: OutboundRequest; connectionId: string | null; projectId: string; runId: string | null; nodeId: string | null },
  options: THttpExecutorOptions = {},
): Promise<TStepResponse> {
  const { request, connectionId, projectId, runId } = input;
  let secrets: string[] = [];
  // Both refusals before a byte is sent (a blocked address, a credential off its
  // connection's origins) are audited alike; only the reason and its details differ.
  const recordBlocked = (details: Record<string, string | null>) =>
    recordAuditEvent({
      action: "outbound.blocked",
      outcome: "failure",
      projectId,
      userId: options.auditAs?.userId ?? null,
      // A picker's list has no run or step: those keys are left out, not null.
      details: {
        ...(runId !== null ? { runId } : {}),
        ...(input.nodeId !== null ? { nodeId: input.nodeId } : {}),
        ...details,
        ...(options.auditAs ? { source: options.auditAs.source } : {}),
      },
    });
  const send = async (forceRefresh: boolean) => {
    let prepared = request;
    if (connectionId) {
      try {
        const connection = await resolveConnection(projectId, connectionId, { forceRefresh });
        secrets = connection.secrets;
        prepared = connection.apply(request);
      } catch (error) {
        if (error instanceof ConnectionOriginRefusedError) {
          // Checked on the URL after mapping, before a byte is sent: the credential is
          // bound to its connection's origins, whoever wrote the step.
          await recordBlocked({ reason: "connection_origin", origin: error.origin, connectionId });
          throw new StepFailure(error.message, { retryable: false, code: "CONNECTION_ORIGIN" });
        }
        if (error instanceof AppError)
          throw new StepFailure(error.code === "NOT_FOUND" ? "The step's connection is not one of this project's connections." : error.message, {
            retryable: false,
            code: "CONNECTION",
          });
        throw error;
      }
    }
    return sendOutboundRequest(prepared, (options.policy ?? outboundPolicyFromEnv)());
  };
  let response;
  try {
    response = await send(false);
    // An expired or revoked OAuth token: renew once and try again.
    if (response.status === 401 && connectionId) response = await send(true);
  } catch (error) {
    if (error instanceof StepFailure) throw error;
    if (error instanceof OutboundBlockedError) {
      await recordBlocked({ reason: error.reason, origin: error.origin, range: error.detail.range ?? null });
      throw new StepFailure(error.message, { retryable: false, code: "BLOCKED" });
    }
    if (error instanceof OutboundTimeoutError) throw new StepFailure(error.message, { retryable: true, code: "TIMEOUT" });
    if (error instanceof OutboundNetworkError) throw new StepFailure(error.message, { retryable: true, code: "NETWORK" });
    if (error instanceof OutboundResponseTooLargeError) throw new StepFailure(error.message, { retryable: false, code: "TOO_LARGE" });
    throw error;
  }
  const headers = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(", ") : v]));
  // Before the answer becomes the step's result: a service that echoes the credential
  // back (in hex, base64 at any offset, nested URL-encoding...) hands it to no later step.
  return removeKnownSecrets({ status: response.status, headers, body: parseBody(response.body, headers["content-type"] ?? "") }, secrets);
}

export function createHttpRequestExecutor(options: THttpExecutorOptions = {}): TExecutor {
  return async ({ config, projectId, runId, node }) => {
    // Defaults come from the stored config (validated at publish); values from the
    // rendered one, where a mapping may have produced a number or an object.
    const stored = NODE_CONFIG_SCHEMAS["step.http"].safeParse(node.config);
    if (!stored.success) throw new StepFailure("The step's settings are not valid; open it in the editor.", { retryable: false, code: "CONFIG" });
    const http = { ...stored.data, ...config } as THttpConfig;
    const request = buildRequest(http);
    const output = await sendStepRequest({ request, connectionId: http.connectionId, projectId, runId, nodeId: node.id }, options);
    if (output.status >= 400) {
      throw new StepFailure(`The service answered ${output.status}.`, {
        retryable: isRetryableStatus(output.status),
        retryAfterMs: parseRetryAfter(output.headers["retry-after"]),
        code: `HTTP_${output.status}`,
      });
    }
    return output;
  };
}
