import "server-only";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import { AppError } from "@/lib/errors";
import type { z } from "@/lib/zod";

/**
 * Parses input inside a data function, which stays the authority even when an action
 * parsed it already (scripts and tests call data functions directly).
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fieldErrors = fieldErrorsOf(parsed.error);
  throw new AppError("BAD_INPUT", Object.values(fieldErrors)[0]?.[0] ?? "Check the input and try again.", fieldErrors);
}
