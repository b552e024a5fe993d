// Every operation of the REST API v1, once: its path, scope and schemas. The route
// handlers parse with these (lib/api/v1/api-route.ts), the OpenAPI document is built
// from them (openapi.ts) and the docs page renders that document, so a route, its
// documentation and its validation are one declaration.
import type { TApiScope } from "@/lib/api-keys/scopes";
import type { z } from "@/lib/zod";
import {
  ZApiError,
  ZCancelRunBody,
  ZEmptyQuery,
  ZFlowDetail,
  ZFlowList,
  ZFlowPath,
  ZIdempotencyHeader,
  ZListRunsQuery,
  ZOpenApiDocument,
  ZRetryRunBody,
  ZRunCancelled,
  ZRunDetail,
  ZRunList,
  ZRunPath,
  ZRunStarted,
  ZStartRunBody,
} from "./schemas";

export const API_V1_BASE = "/api/v1";

export type THttpMethod = "GET" | "POST";

export type TApiResponseSpec = { description: string; schema: z.ZodType };

export type TApiOperation = {
  operationId: string;
  method: THttpMethod;
  /** OpenAPI path template under API_V1_BASE ("/flows/{flowId}"). */
  path: string;
  summary: string;
  description: string;
  tag: "Flows" | "Runs" | "Meta";
  /** The scope the key needs; null for the one public operation. */
  scope: TApiScope | null;
  params?: z.ZodObject;
  query?: z.ZodType;
  headers?: z.ZodObject;
  /** A JSON body; `bodyOptional` accepts a request without one (as `{}`). */
  body?: z.ZodType;
  bodyOptional?: boolean;
  /** Successful answers by status. */
  responses: Record<number, TApiResponseSpec>;
  /** Error statuses this operation can answer, beyond the ones every keyed operation has. */
  errors?: number[];
};

export const OPERATIONS = {
  listFlows: {
    operationId: "listFlows",
    method: "GET",
    path: "/flows",
    summary: "List flows",
    description: "The key's project's flows, by name. Not paginated: a project's flows are one page.",
    tag: "Flows",
    scope: "flows:read",
    query: ZEmptyQuery,
    responses: { 200: { description: "The flows.", schema: ZFlowList } },
  },
  getFlow: {
    operationId: "getFlow",
    method: "GET",
    path: "/flows/{flowId}",
    summary: "Get a flow",
    description:
      "One flow, with a summary of its live (published) version: its trigger type and how many nodes of each type. Step settings and credentials are never part of the answer.",
    tag: "Flows",
    scope: "flows:read",
    params: ZFlowPath,
    query: ZEmptyQuery,
    responses: { 200: { description: "The flow.", schema: ZFlowDetail } },
    errors: [404],
  },
  startRun: {
    operationId: "startRun",
    method: "POST",
    path: "/flows/{flowId}/runs",
    summary: "Start a run",
    description:
      "Queues a run of the flow's published version with `input` as its trigger payload (the flow need not be on: like a person's Run now). " +
      "Send an `Idempotency-Key` so a retried request cannot start a second run: the same key from the same API key within 24 hours answers 200 with the first run " +
      "(header `Idempotent-Replayed: true`) instead of 202 with a new one; the same key with a different flow or input answers 422 IDEMPOTENCY_KEY_REUSED, and while " +
      "the first request is still being handled, 409 IDEMPOTENCY_KEY_IN_USE (retry shortly). A run may come back HELD when the project is over its plan's run limit.",
    tag: "Runs",
    scope: "flows:run",
    params: ZFlowPath,
    query: ZEmptyQuery,
    headers: ZIdempotencyHeader,
    body: ZStartRunBody,
    responses: {
      202: { description: "A new run was queued.", schema: ZRunStarted },
      200: { description: "A repeat of an earlier request (same Idempotency-Key, flow and input): its run.", schema: ZRunStarted },
    },
    errors: [404, 409, 413, 415, 422],
  },
  listRuns: {
    operationId: "listRuns",
    method: "GET",
    path: "/runs",
    summary: "List runs",
    description:
      "The key's project's runs, newest first, with the run page's filters. Keyset pages: pass next_cursor as cursor for the next page (a run started meanwhile never shifts a page).",
    tag: "Runs",
    scope: "runs:read",
    query: ZListRunsQuery,
    responses: { 200: { description: "One page of runs.", schema: ZRunList } },
  },
  getRun: {
    operationId: "getRun",
    method: "GET",
    path: "/runs/{runId}",
    summary: "Get a run",
    description: "One run with each step's status and scrubbed record: what the run page shows, never anything unscrubbed.",
    tag: "Runs",
    scope: "runs:read",
    params: ZRunPath,
    query: ZEmptyQuery,
    responses: { 200: { description: "The run.", schema: ZRunDetail } },
    errors: [404],
  },
  cancelRun: {
    operationId: "cancelRun",
    method: "POST",
    path: "/runs/{runId}/cancel",
    summary: "Cancel a run",
    description:
      "No further step starts. A queued or sleeping run ends at once; a run in a step stops before its next one. Cancelling a run that has ended changes nothing and answers its state.",
    tag: "Runs",
    scope: "runs:write",
    params: ZRunPath,
    query: ZEmptyQuery,
    body: ZCancelRunBody,
    bodyOptional: true,
    responses: { 200: { description: "The run's state after the request.", schema: ZRunCancelled } },
    errors: [404, 413, 415],
  },
  retryRun: {
    operationId: "retryRun",
    method: "POST",
    path: "/runs/{runId}/retry",
    summary: "Retry or re-run a run",
    description:
      "Starts a new run from this one's original input (kept for the retry window after a run ends, 7 days by default). " +
      "mode from_failed_step (the default) retries a failed run from its failed step; from_start runs any finished run again from the first step. " +
      "409 CONFLICT when the run has not finished, is not failed (from_failed_step), or its input is no longer kept.",
    tag: "Runs",
    scope: "runs:write",
    params: ZRunPath,
    query: ZEmptyQuery,
    body: ZRetryRunBody,
    bodyOptional: true,
    responses: { 202: { description: "The new run was queued.", schema: ZRunStarted } },
    errors: [404, 409, 413, 415],
  },
  getOpenApiDocument: {
    operationId: "getOpenApiDocument",
    method: "GET",
    path: "/openapi.json",
    summary: "This API's OpenAPI document",
    description: "The OpenAPI 3.1 document of this API. Public: no key needed.",
    tag: "Meta",
    scope: null,
    responses: { 200: { description: "The document.", schema: ZOpenApiDocument } },
  },
} as const satisfies Record<string, TApiOperation>;

export type TOperationName = keyof typeof OPERATIONS;

/** Every keyed operation can answer these. */
export const COMMON_ERRORS: readonly number[] = [400, 401, 403, 429, 500];

export const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "BAD_INPUT: a malformed or unknown parameter or field; `issues` names each.",
  401: "UNAUTHENTICATED: no key, or a malformed, unknown, revoked or expired one (one message for all). Keys are read from the Authorization header only.",
  403: "FORBIDDEN: the key lacks the operation's scope (the message names it).",
  404: "NOT_FOUND: no such object in the key's project (another project's ids read the same as missing ones).",
  409: "CONFLICT or IDEMPOTENCY_KEY_IN_USE: the object's state does not allow this now.",
  402: "LIMIT_REACHED: the project's plan does not allow this; the message names the limit.",
  413: "PAYLOAD_TOO_LARGE: the body is larger than 1 MB.",
  415: "UNSUPPORTED_MEDIA_TYPE: send the body as application/json.",
  422: "IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used with a different flow or input.",
  429: "RATE_LIMITED: too many requests with this key; wait the Retry-After seconds.",
  500: "INTERNAL: something went wrong on Vaultflow's side (no details are given).",
};

export function errorStatusesOf(operation: TApiOperation): number[] {
  if (operation.scope === null) return [500];
  return [...new Set([...COMMON_ERRORS, ...(operation.errors ?? [])])].sort((a, b) => a - b);
}

export { ZApiError };
