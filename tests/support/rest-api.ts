// Calls the REST API v1's route handlers in-process, as Next.js does (a Request and the
// route's params), and checks every answer against the operation's documented schema
// for its status (the zod schema the OpenAPI document is generated from; the unit test
// tests/unit/openapi-document.test.ts proves the document's schemas are those).
import { expect } from "vitest";
import * as flowsRoute from "@/app/api/v1/flows/route";
import * as flowRoute from "@/app/api/v1/flows/[flowId]/route";
import * as flowRunsRoute from "@/app/api/v1/flows/[flowId]/runs/route";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import * as runsRoute from "@/app/api/v1/runs/route";
import * as runRoute from "@/app/api/v1/runs/[runId]/route";
import * as cancelRoute from "@/app/api/v1/runs/[runId]/cancel/route";
import * as retryRoute from "@/app/api/v1/runs/[runId]/retry/route";
import { OPERATIONS, type TApiOperation, type TOperationName } from "@/lib/api/v1/operations";
import { ZApiError } from "@/lib/api/v1/schemas";

type THandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

const HANDLERS: Record<TOperationName, THandler> = {
  listFlows: flowsRoute.GET,
  getFlow: flowRoute.GET,
  startRun: flowRunsRoute.POST,
  listRuns: runsRoute.GET,
  getRun: runRoute.GET,
  cancelRun: cancelRoute.POST,
  retryRun: retryRoute.POST,
  getOpenApiDocument: openapiRoute.GET,
};

export type TApiCall = {
  /** The key text for `Authorization: Bearer`; omitted sends no Authorization header. */
  key?: string;
  params?: Record<string, string>;
  query?: Record<string, string> | string;
  /** A value to send as JSON, or a string sent as it is. */
  body?: unknown;
  headers?: Record<string, string>;
};

export type TApiAnswer = { status: number; json: unknown; headers: Headers; text: string };

function pathOf(operation: TApiOperation, params: Record<string, string>): string {
  return operation.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ""));
}

export async function callApi(name: TOperationName, call: TApiCall = {}): Promise<TApiAnswer> {
  const operation: TApiOperation = OPERATIONS[name];
  const params = call.params ?? {};
  const query = typeof call.query === "string" ? call.query : new URLSearchParams(call.query ?? {}).toString();
  const url = `http://localhost:3000/api/v1${pathOf(operation, params)}${query ? `?${query}` : ""}`;
  const headers: Record<string, string> = { ...(call.key ? { authorization: `Bearer ${call.key}` } : {}), ...call.headers };
  let body: string | undefined;
  if (call.body !== undefined) {
    body = typeof call.body === "string" ? call.body : JSON.stringify(call.body);
    if (!Object.keys(headers).some((header) => header.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
  }
  const request = new Request(url, { method: operation.method, headers, body });
  const response = await HANDLERS[name](request, { params: Promise.resolve(params) });
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : null;
  expectDocumented(operation, response.status, json);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return { status: response.status, json, headers: response.headers, text };
}

/** The answer matches the schema the document gives for this operation and status. */
export function expectDocumented(operation: TApiOperation, status: number, json: unknown): void {
  const success = (operation.responses as Record<number, { schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } } }>)[status];
  const schema = success?.schema ?? ZApiError;
  if (!success && operation.scope !== null) {
    const documented = new Set([400, 401, 403, 429, 500, ...(operation.errors ?? [])]);
    expect(documented.has(status), `${operation.operationId} answered an undocumented ${status}: ${JSON.stringify(json)}`).toBe(true);
  }
  const parsed = schema.safeParse(json);
  expect(
    parsed.success,
    `${operation.operationId} ${status} does not match its documented schema: ${JSON.stringify(parsed.error)} ${JSON.stringify(json)}`,
  ).toBe(true);
}
