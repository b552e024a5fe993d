import "server-only";
import { AppError } from "@/lib/errors";

/** Missing, accepted, revoked, another project's, or beyond the caller's role: all read the same. */
export function invitationNotFound(): AppError {
  return new AppError("NOT_FOUND", "Invitation not found.");
}
