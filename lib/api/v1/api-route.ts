import "server-only";
// The route-handler wrapper of the REST API v1: the API key (with the operation's
// scope) first, then strict parsing of the path, query, headers and JSON body with the
// operation's own schemas (the ones the OpenAPI document is generated from), then the
// handler, with every failure in the one error shape and no response cached. The
// project is the key's; nothing in the request can name another.
import type { TApiActor } from "@/lib/server/api-keys/authenticate-api-key";
import { authenticateApiKey } from "@/lib/server/api-keys/authenticate-api-key";
import { requestMetaFrom, type TRequestMeta } from "@/lib/server/request-meta";
import { readCappedBody } from "@/lib/web/read-capped-body";
import type { z } from "@/lib/zod";
import { ApiError, badInput, errorResponse, NO_STORE } from "./api-errors";
import type { TApiOperation } from "./operations";
import { MAX_API_BODY_BYTES } from "./schemas";

type TParsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export type TApiContext<O extends TApiOperation> = {
  actor: TApiActor;
  params: TParsed<O["params"]>;
  query: TParsed<O["query"]>;
  headers: TParsed<O["headers"]>;
  body: TParsed<O["body"]>;
  meta: TRequestMeta;
  request: Request;
};

type TRouteContext = { params: Promise<Record<string, string | string[]>> };

/** Reads at most MAX_API_BODY_BYTES, whatever Content-Length says, and stops reading past it. */
async function readBodyText(request: Request): Promise<string> {
  const bytes = await readCappedBody(request, MAX_API_BODY_BYTES);
  if (bytes === null) throw new ApiError(413, "PAYLOAD_TOO_LARGE", "The body is larger than 1 MB.");
  return bytes.toString("utf8");
}

async function readJsonBody(request: Request, optional: boolean): Promise<unknown> {
  const type = request.headers.get("content-type");
  const text = await readBodyText(request);
  if (text.trim() === "" && optional) return {};
  // JSON only: also keeps a browser form from reaching the API without a preflight.
  if (!type || !/^application\/json\s*(;|$)/i.test(type)) throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the body as application/json.");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, "BAD_INPUT", "The body is not valid JSON.");
  }
}

function parseWith<S extends z.ZodType | undefined>(schema: S, raw: unknown, what: string): TParsed<S> {
  if (!schema) return undefined as TParsed<S>;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw badInput(parsed.error, what);
  return parsed.data as TParsed<S>;
}

function queryObject(url: URL): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (name in out) throw new ApiError(400, "BAD_INPUT", `The query string is not valid: ${name}: give it once.`);
    out[name] = value;
  }
  return out;
}

export function apiRoute<O extends TApiOperation>(operation: O, handler: (context: TApiContext<O>) => Promise<Response>) {
  return async (request: Request, routeContext: TRouteContext): Promise<Response> => {
    try {
      if (!operation.scope) throw new Error("apiRoute is for keyed operations");
      const actor = await authenticateApiKey(request, operation.scope);
      const params = parseWith(operation.params, routeContext?.params ? await routeContext.params : {}, "path");
      const query = parseWith(operation.query, queryObject(new URL(request.url)), "query string");
      const headerValues: Record<string, string> = {};
      for (const name of Object.keys(operation.headers?.shape ?? {})) {
        const value = request.headers.get(name);
        if (value !== null) headerValues[name] = value.trim();
      }
      const headers = parseWith(operation.headers, headerValues, "request header");
      const body = operation.body ? parseWith(operation.body, await readJsonBody(request, operation.bodyOptional === true), "body") : undefined;
      const response = await handler({
        actor,
        params: params as TApiContext<O>["params"],
        query: query as TApiContext<O>["query"],
        headers: headers as TApiContext<O>["headers"],
        body: body as TApiContext<O>["body"],
        meta: requestMetaFrom(request.headers),
        request,
      });
      response.headers.set("Cache-Control", "no-store");
      return response;
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A JSON answer validated against the operation's schema for its status (a strict schema: no undocumented field leaves). */
export function apiJson<O extends TApiOperation>(
  operation: O,
  status: keyof O["responses"] & number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  const spec = operation.responses[status] as { schema: z.ZodType } | undefined;
  if (!spec) throw new Error(`${operation.operationId} has no ${status} response`);
  return Response.json(spec.schema.parse(body), { status, headers: { ...NO_STORE, ...headers } });
}
