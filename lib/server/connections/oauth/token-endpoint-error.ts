import "server-only";

/**
 * The token endpoint could not be reached or answered with a server error: nothing was
 * changed and the same call may succeed later (the step's retry policy decides). The
 * message names the provider's origin only.
 */
export class TokenEndpointUnavailableError extends Error {
  override name = "TokenEndpointUnavailableError";
  readonly isRetryable = true;
  constructor(
    readonly origin: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`The token endpoint at ${origin} is unavailable (${detail}). Try again later.`, options);
  }
}
