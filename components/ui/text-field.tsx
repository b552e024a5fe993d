"use client";

import { controlClass, Field, type TFieldProps } from "./field";

type Props = React.InputHTMLAttributes<HTMLInputElement> & TFieldProps;

/** A labelled input whose errors are announced and tied to it (aria-describedby). */
export function TextField({ label, errors, hint, id, className, ...input }: Props) {
  return (
    <Field label={label} errors={errors} hint={hint} id={id} className={className}>
      {({ invalid, ...control }) => <input {...control} className={controlClass(invalid)} {...input} />}
    </Field>
  );
}
