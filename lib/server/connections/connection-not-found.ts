import "server-only";
import { AppError } from "@/lib/errors";

/** Missing, another project's, or beyond the caller's role: all read the same. */
export function connectionNotFound(): AppError {
  return new AppError("NOT_FOUND", "Connection not found.");
}
