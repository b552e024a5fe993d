// The one error model: an AppError's message is safe to show a person; anything else
// is logged (scrubbed) and the person sees a generic message.
export type TAppErrorCode =
  | "BAD_INPUT"
  | "UNAUTHENTICATED"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "INVALID_CREDENTIALS"
  /** A plan limit (active flows, members) refuses the action; the message names it and where to upgrade. */
  | "LIMIT_REACHED";

export const HTTP_STATUS: Record<TAppErrorCode, number> = {
  BAD_INPUT: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  FORBIDDEN: 404, // another tenant's object reads exactly like a missing one
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INVALID_CREDENTIALS: 401,
  LIMIT_REACHED: 402, // Payment Required: a larger plan allows it
};

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: TAppErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
  }
}
