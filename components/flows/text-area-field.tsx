"use client";

import { useId } from "react";

type Props = React.TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; errors?: string[]; hint?: React.ReactNode; textareaClassName?: string };

/** TextField's multi-line twin: labelled, errors announced and tied to it. */
export function TextAreaField({ label, errors, hint, id, className, textareaClassName = "", ...textarea }: Props) {
  const generated = useId();
  const fieldId = id ?? generated;
  const invalid = Boolean(errors?.length);
  return (
    <div className={className}>
      <label htmlFor={fieldId} className="block text-sm font-medium">
        {label}
      </label>
      <textarea
        id={fieldId}
        aria-invalid={invalid || undefined}
        aria-describedby={[invalid ? `${fieldId}-errors` : null, hint ? `${fieldId}-hint` : null].filter(Boolean).join(" ") || undefined}
        className={`mt-1 block w-full rounded-md border px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 ${
          invalid ? "border-red-600" : "border-slate-300"
        } ${textareaClassName}`}
        {...textarea}
      />
      {hint ? (
        <div id={`${fieldId}-hint`} className="mt-1 text-sm text-slate-600">
          {hint}
        </div>
      ) : null}
      {invalid ? (
        <ul id={`${fieldId}-errors`} className="mt-1 space-y-0.5 text-sm text-red-700" aria-live="polite">
          {errors!.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
