// The refusals of API-key authentication, as AppErrors carrying their HTTP status.
// FORBIDDEN is 404 elsewhere (another tenant's object reads as missing), but a key
// asking for a scope it lacks is told so: it is the caller's own key, and the answer
// names only the scope, never anything of the project.
import { AppError } from "@/lib/errors";
import type { TApiScope } from "./scopes";

/** One message for missing, malformed, unknown, revoked and expired keys: which one it was is not said. */
export const INVALID_API_KEY_MESSAGE = "Invalid or expired API key.";

export class ApiKeyInvalidError extends AppError {
  readonly status = 401;
  constructor() {
    super("UNAUTHENTICATED", INVALID_API_KEY_MESSAGE);
  }
}

export class ApiScopeMissingError extends AppError {
  readonly status = 403;
  constructor(readonly scope: TApiScope) {
    super("FORBIDDEN", `This API key lacks the "${scope}" scope.`);
  }
}

export class ApiRateLimitedError extends AppError {
  readonly status = 429;
  constructor(readonly retryAfterSeconds: number) {
    super("RATE_LIMITED", `Too many requests with this API key. Try again in ${retryAfterSeconds} seconds.`);
  }
}

/** The HTTP status for one of the errors above; null for any other error. */
export function apiKeyErrorStatus(error: unknown): 401 | 403 | 429 | null {
  if (error instanceof ApiKeyInvalidError || error instanceof ApiScopeMissingError || error instanceof ApiRateLimitedError) return error.status;
  return null;
}
