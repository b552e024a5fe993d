// The one error model: an AppError's message is safe to show a person; anything else
// is logged (scrubbed) and the person sees a generic message.
export type TAppErrorCode =
  | "BAD_INPUT"
  | "UNAUTHENTICATED"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "CONFLICT"
  | "RATE_LIMITED"
  | "INVALID_CREDENTIALS";

export const HTTP_STATUS: Record<TAppErrorCode, number> = {
  BAD_INPUT: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  FORBIDDEN: 404, // another tenant's object reads exactly like a missing one
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INVALID_CREDENTIALS: 401,
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
