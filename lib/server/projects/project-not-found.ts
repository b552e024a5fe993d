import "server-only";
import { AppError } from "@/lib/errors";

/** Missing, someone else's, or beyond the caller's role: all read the same. */
export function projectNotFound(): AppError {
  return new AppError("NOT_FOUND", "Project not found.");
}
