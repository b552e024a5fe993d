"use client";
// The state every form around a server action keeps: pending while the action runs,
// errors beside the fields, and the alert for an error that belongs to no field.
// `submit` checks the input with the form's schema first (nothing is sent while a field
// is wrong), then runs the action; a failure shows its field errors, or its message in
// the form alert (or under `messageField`, for a form whose one field is the subject).
import { useState, useTransition } from "react";
import { fieldErrorsOf } from "@/lib/auth/schemas";
import type { TAppErrorCode } from "@/lib/errors";
import type { TActionError, TActionResult } from "@/lib/web/action-result";
import type { z } from "@/lib/zod";

export type TFieldErrors = Record<string, string[]>;

export type TActionFormOptions = {
  /** The field whose errors show a failure that names no field. */
  messageField?: string;
  /**
   * A failure with this code is a question (the action needs an explicit yes): it is kept
   * as `confirmation`, whose `confirm` sends the same input again with `confirmed` true
   * (passed only then, so a server action given as is gets just its input).
   */
  confirmOn?: TAppErrorCode;
  /** The form stays pending after a success: what success starts leaves the page (a redirect). */
  leavesPage?: boolean;
};

export type TConfirmation = { question: string; confirm: () => void; dismiss: () => void };

/** `onError` may take a failure over (a dead link, a question to ask): it returns true when it did. */
type TOnError = (error: TActionError) => boolean;
/** What success does next; a promise it returns is awaited, so the form stays pending through it. */
type TOnSuccess<T> = (data: T) => unknown;

/** What the handlers write to; the hook gives React state, a test gives plain functions. */
export type TActionFormState = {
  setFieldErrors: (errors: TFieldErrors) => void;
  setFormError: (message: string | null) => void;
  setConfirmation: (confirmation: TConfirmation | null) => void;
  setLeaving: (isLeaving: boolean) => void;
  start: (work: () => Promise<void>) => void;
};

/** The form's handlers, apart from React so that each rule can be tested on its own. */
export function actionFormHandlers(state: TActionFormState, options: TActionFormOptions = {}) {
  function showError(error: TActionError) {
    if (error.fieldErrors) {
      state.setFieldErrors(error.fieldErrors);
      state.setFormError(null);
    } else if (options.messageField) {
      state.setFieldErrors({ [options.messageField]: [error.message] });
      state.setFormError(null);
    } else {
      state.setFieldErrors({});
      state.setFormError(error.message);
    }
  }

  async function finish<T>(data: T, onSuccess: TOnSuccess<T>) {
    if (options.leavesPage) state.setLeaving(true);
    // Awaited, so the form stays pending through what success starts (a sign-out, say).
    await onSuccess(data);
  }

  function attempt<T>(action: (confirmed?: true) => Promise<TActionResult<T>>, onSuccess: TOnSuccess<T>, onError: TOnError | undefined, confirmed: boolean) {
    state.start(async () => {
      const result = await (confirmed ? action(true) : action());
      if (result.ok) return finish(result.data, onSuccess);
      if (onError?.(result.error)) return;
      if (!confirmed && options.confirmOn && result.error.code === options.confirmOn) {
        state.setConfirmation({
          question: result.error.message,
          confirm: () => {
            state.setConfirmation(null);
            attempt(action, onSuccess, onError, true);
          },
          dismiss: () => state.setConfirmation(null),
        });
        return;
      }
      showError(result.error);
    });
  }

  /** Sends without a check of its own (the action checks its input); a failure shows as in `submit`. */
  function send<T>(action: (confirmed?: true) => Promise<TActionResult<T>>, onSuccess: TOnSuccess<T>, onError?: TOnError): void {
    state.setFormError(null);
    state.setConfirmation(null);
    state.setFieldErrors({});
    attempt(action, onSuccess, onError, false);
  }

  function submit<S extends z.ZodType, T>(
    schema: S,
    input: unknown,
    action: (data: z.output<S>, confirmed?: true) => Promise<TActionResult<T>>,
    onSuccess: TOnSuccess<T>,
    onError?: TOnError,
  ): void {
    state.setFormError(null);
    state.setConfirmation(null);
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      state.setFieldErrors(fieldErrorsOf(parsed.error));
      return;
    }
    state.setFieldErrors({});
    attempt((confirmed) => (confirmed ? action(parsed.data, true) : action(parsed.data)), onSuccess, onError, false);
  }

  /** For a form without fields (a confirmation button): any failure's message goes in the alert. */
  function run<T>(action: () => Promise<TActionResult<T>>, onSuccess: TOnSuccess<T>, onError?: TOnError): void {
    state.setFormError(null);
    state.start(async () => {
      const result = await action();
      if (result.ok) return finish(result.data, onSuccess);
      if (!onError?.(result.error)) state.setFormError(result.error.message);
    });
  }

  return { submit, send, run };
}

export function useActionForm(options: TActionFormOptions = {}) {
  const [fieldErrors, setFieldErrors] = useState<TFieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<TConfirmation | null>(null);
  const [isLeaving, setLeaving] = useState(false);
  const [isRunning, startTransition] = useTransition();
  const handlers = actionFormHandlers({ setFieldErrors, setFormError, setConfirmation, setLeaving, start: startTransition }, options);
  return { pending: isRunning || isLeaving, fieldErrors, formError, confirmation, ...handlers, setFieldErrors, setFormError };
}
