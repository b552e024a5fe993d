// What a server action answers (built by defineAction in lib/server/action.ts) and what
// the browser's forms read: types only, so client components never import the server.
import type { TAppErrorCode } from "@/lib/errors";

export type TActionError = { code: TAppErrorCode | "INTERNAL"; message: string; fieldErrors?: Record<string, string[]> };
export type TActionResult<T> = { ok: true; data: T } | { ok: false; error: TActionError };
