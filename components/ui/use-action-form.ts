"use client";
// The state every form around a server action keeps: pending while the action runs,
// errors beside the fields, and the alert for an error that belongs to no field.
// `submit` checks the input with the form's schema first (nothing is sent while a field
// is wrong), then runs the action; a failure shows its field errors, or its message in
// the form alert (or under `messageField`, for a form whose one field is the subject).
import { useState, useTransition } from "react";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import type { TActionError, TActionResult } from "@/lib/web/action-result";
import type { z } from "@/lib/zod";

export type TFieldErrors = Record<string, string[]>;

export function useActionForm(options: { messageField?: string } = {}) {
  const [fieldErrors, setFieldErrors] = useState<TFieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function showError(error: TActionError) {
    if (error.fieldErrors) {
      setFieldErrors(error.fieldErrors);
      setFormError(null);
    } else if (options.messageField) {
      setFieldErrors({ [options.messageField]: [error.message] });
      setFormError(null);
    } else {
      setFieldErrors({});
      setFormError(error.message);
    }
  }

  /** `onError` may take a failure over (a dead link, a question to ask): it returns true when it did. */
  function submit<S extends z.ZodType, T>(
    schema: S,
    input: unknown,
    action: (data: z.output<S>) => Promise<TActionResult<T>>,
    onSuccess: (data: T) => void | Promise<void>,
    onError?: (error: TActionError) => boolean,
  ): void {
    setFormError(null);
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error));
      return;
    }
    setFieldErrors({});
    startTransition(async () => {
      const result = await action(parsed.data);
      if (!result.ok) {
        if (!onError?.(result.error)) showError(result.error);
        return;
      }
      // Awaited, so the form stays pending through what success starts (a sign-out, say).
      await onSuccess(result.data);
    });
  }

  /** For a form without fields (a confirmation button): any failure's message goes in the alert. */
  function run<T>(action: () => Promise<TActionResult<T>>, onSuccess: (data: T) => void | Promise<void>): void {
    setFormError(null);
    startTransition(async () => {
      const result = await action();
      if (!result.ok) return setFormError(result.error.message);
      await onSuccess(result.data);
    });
  }

  return { pending, fieldErrors, formError, submit, run, setFieldErrors, setFormError };
}
