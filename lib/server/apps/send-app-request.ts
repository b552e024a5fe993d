import "server-only";
// An app step's one way out: the request goes to the app's API base (the provider's, or
// the connection's apiBaseUrl) joined with a fixed method path, and is sent through the
// HTTP step's machinery (sendStepRequest): the connection's credential applied last and
// only to its allowed origins, the SSRF guard, OAuth renewal after a 401, and the
// connection's secrets removed from the answer before anything else reads it.
import { appUrl } from "@/lib/apps/app-request";
import type { TApp } from "@/lib/apps/types";
import type { OutboundRequest } from "@/lib/http/outbound-request";
import { sendStepRequest, type THttpExecutorOptions, type TStepResponse } from "../runs/executors/http-request";
import { appApiBaseOf } from "./app-connection";

export type TAppExecutorOptions = THttpExecutorOptions;

export type TAppRequest = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Relative to the API base: a fixed path, or one built with appPath for data values. */
  path: string;
  query?: Readonly<Record<string, string | number | boolean | null | undefined>>;
  /** Sent as JSON. */
  json?: unknown;
  /** Fixed headers the API asks for (an API version, an Accept); the credential is never one of these. */
  headers?: Readonly<Record<string, string>>;
};

export type TAppCall = { app: TApp; projectId: string; connectionId: unknown; runId: string | null; nodeId: string | null; timeoutMs?: number };

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;

export type TAppSend = (request: TAppRequest) => Promise<TStepResponse>;

/** A sender bound to one app, connection and step; each call resolves the connection anew (as the HTTP step does). */
export function appSender(call: TAppCall, options: TAppExecutorOptions = {}): TAppSend {
  return async (request) => {
    const base = await appApiBaseOf(call.app, call.projectId, call.connectionId);
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      body = JSON.stringify(request.json);
      headers["content-type"] = "application/json; charset=utf-8";
    }
    const outbound: OutboundRequest = {
      method: request.method,
      url: appUrl(base, request.path, request.query),
      headers,
      body,
      timeoutMs: call.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxResponseBytes: MAX_RESPONSE_BYTES,
    };
    return sendStepRequest(
      { request: outbound, connectionId: call.connectionId as string, projectId: call.projectId, runId: call.runId, nodeId: call.nodeId },
      options,
    );
  };
}
