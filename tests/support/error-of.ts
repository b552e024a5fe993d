// The error a use case rejects with, for asserting on its code and message. A promise
// that resolves fails the test: an expected refusal that did not happen is the bug.
import type { AppError } from "@/lib/errors";

export async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as AppError,
  );
}
