import "server-only";
import { AppError, HTTP_STATUS } from "@/lib/errors";
import { getLogger } from "@/lib/log";

/**
 * Wraps a route handler with the error model: an AppError becomes its status and
 * safe message; anything else is logged (no details) and answered with a generic 500.
 */
export function jsonRoute<Args extends unknown[]>(handler: (...args: Args) => Promise<Response>) {
  return async (...args: Args): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (error instanceof AppError) {
        return Response.json({ error: { code: error.code, message: error.message, fieldErrors: error.fieldErrors } }, { status: HTTP_STATUS[error.code] });
      }
      getLogger().error({ err: { name: (error as Error)?.name } }, "route handler failed");
      return Response.json({ error: { code: "INTERNAL", message: "Something went wrong. Please try again." } }, { status: 500 });
    }
  };
}
