"use client";

import { controlClass, Field, type TFieldProps } from "../ui/field";

type Props = React.TextareaHTMLAttributes<HTMLTextAreaElement> & TFieldProps & { textareaClassName?: string };

/** TextField's multi-line twin: labelled, errors announced and tied to it. */
export function TextAreaField({ label, errors, hint, id, className, textareaClassName = "", ...textarea }: Props) {
  return (
    <Field label={label} errors={errors} hint={hint} id={id} className={className}>
      {({ invalid, ...control }) => <textarea {...control} className={`${controlClass(invalid)} ${textareaClassName}`} {...textarea} />}
    </Field>
  );
}
