import "server-only";
// The one way to build a server action: parse the input with a strict zod schema,
// require a session where asked, and turn failures into a result the form can show.
// (Project permissions join here with projects: a named permission per action.)
import type { z } from "@/lib/zod";
import { getCurrentUser, type TSessionUser } from "@/lib/auth/current-user";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import { getLogger } from "@/lib/log";
import type { TActionResult } from "@/lib/web/action-result";
import { getRequestMeta, type TRequestMeta } from "./request-meta";

type Context<A extends "public" | "user"> = {
  user: A extends "user" ? TSessionUser : TSessionUser | null;
  meta: TRequestMeta;
};

export function defineAction<S extends z.ZodType, R, A extends "public" | "user">(
  spec: { input: S; auth: A },
  handler: (input: z.output<S>, context: Context<A>) => Promise<R>,
): (raw: z.input<S>) => Promise<TActionResult<R>> {
  return async (raw) => {
    try {
      const user = await getCurrentUser();
      if (spec.auth === "user" && !user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
      const parsed = spec.input.safeParse(raw);
      if (!parsed.success) {
        const fieldErrors = fieldErrorsOf(parsed.error);
        const first = Object.values(fieldErrors)[0]?.[0] ?? "Check the form and try again.";
        throw new AppError("BAD_INPUT", first, fieldErrors);
      }
      const data = await handler(parsed.data, { user, meta: await getRequestMeta() } as Context<A>);
      return { ok: true, data };
    } catch (error) {
      if (error instanceof AppError) {
        return { ok: false, error: { code: error.code, message: error.message, fieldErrors: error.fieldErrors } };
      }
      // Next.js signals redirects and not-found by throwing; let those through.
      if (error instanceof Error && "digest" in error && String((error as { digest?: unknown }).digest).startsWith("NEXT_")) {
        throw error;
      }
      getLogger().error({ err: { name: (error as Error)?.name } }, "server action failed");
      return { ok: false, error: { code: "INTERNAL", message: "Something went wrong. Please try again." } };
    }
  };
}
