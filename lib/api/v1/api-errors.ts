// The REST API's one error model: every refusal is `{ error: { code, message } }` with
// its status. AppErrors from the data layer keep their safe messages; FORBIDDEN from the
// data layer stays a 404 (another project's object reads as missing), while a key
// lacking a scope is a 403 naming the scope (lib/api-keys/errors.ts). Anything else is
// logged without details and answered with a generic 500.
import { apiKeyErrorStatus, ApiRateLimitedError } from "@/lib/api-keys/errors";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import { getLogger } from "@/lib/log";
import type { z } from "@/lib/zod";
import type { TApiErrorBody, TApiErrorCode } from "./schemas";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: TApiErrorCode,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** A zod failure as a 400 naming each problem (at most 20, so a hostile body cannot make a huge answer). */
export function badInput(error: z.ZodError, what: string): ApiError {
  const issues = error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.code === "unrecognized_keys" ? `Unknown field${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.slice(0, 5).join(", ")}.` : issue.message,
  }));
  const first = issues[0];
  const message = first ? `The ${what} is not valid: ${first.path ? `${first.path}: ` : ""}${first.message}` : `The ${what} is not valid.`;
  return new ApiError(400, "BAD_INPUT", message, issues);
}

export function notFound(what: "Flow" | "Run"): ApiError {
  return new ApiError(404, "NOT_FOUND", `${what} not found.`);
}

function errorBody(code: TApiErrorCode, message: string, issues?: { path: string; message: string }[]): TApiErrorBody {
  return { error: { code, message, ...(issues && issues.length > 0 ? { issues } : {}) } };
}

export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) {
    return Response.json(errorBody(error.code, error.message, error.issues), { status: error.status, headers: NO_STORE });
  }
  const keyStatus = apiKeyErrorStatus(error);
  if (keyStatus !== null && error instanceof AppError) {
    const headers: Record<string, string> = { ...NO_STORE };
    if (error instanceof ApiRateLimitedError) headers["Retry-After"] = String(error.retryAfterSeconds);
    return Response.json(errorBody(error.code as TApiErrorCode, error.message), { status: keyStatus, headers });
  }
  if (error instanceof AppError) {
    // Data-layer codes: FORBIDDEN is a 404 there, and reads as one here.
    const status = HTTP_STATUS[error.code];
    const code: TApiErrorCode = status === 404 ? "NOT_FOUND" : error.code === "INVALID_CREDENTIALS" ? "UNAUTHENTICATED" : error.code;
    const issues = error.fieldErrors
      ? Object.entries(error.fieldErrors).flatMap(([path, messages]) => messages.map((message) => ({ path, message })))
      : undefined;
    return Response.json(errorBody(code, error.message, issues), { status, headers: NO_STORE });
  }
  getLogger().error({ err: { name: (error as Error)?.name } }, "API route failed");
  return Response.json(errorBody("INTERNAL", "Something went wrong. Please try again."), { status: 500, headers: NO_STORE });
}
