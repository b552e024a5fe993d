"use client";

import { useId } from "react";

/** The look every text-like control shares; red when its field is wrong. `isWide`: the field's full width. */
export function controlClass(invalid: boolean, isWide = true): string {
  return `mt-1 block ${isWide ? "w-full" : ""} rounded-md border px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 ${
    invalid ? "border-red-600" : "border-slate-300"
  }`;
}

export type TFieldProps = { label: string; errors?: string[]; hint?: React.ReactNode; id?: string; className?: string };

/**
 * A labelled control with its hint and errors: `children` gets the control's id and the
 * aria attributes that tie the errors (announced) and the hint to it.
 */
export function Field({
  label,
  errors,
  hint,
  id,
  className,
  children,
}: TFieldProps & {
  children: (control: { id: string; invalid: boolean; "aria-invalid": true | undefined; "aria-describedby": string | undefined }) => React.ReactNode;
}) {
  const generated = useId();
  const fieldId = id ?? generated;
  const errorId = `${fieldId}-errors`;
  const hintId = `${fieldId}-hint`;
  const invalid = Boolean(errors?.length);
  return (
    <div className={className}>
      <label htmlFor={fieldId} className="block text-sm font-medium">
        {label}
      </label>
      {children({
        id: fieldId,
        invalid,
        "aria-invalid": invalid || undefined,
        "aria-describedby": [invalid ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined,
      })}
      {hint ? (
        <div id={hintId} className="mt-1 text-sm text-slate-600">
          {hint}
        </div>
      ) : null}
      {invalid ? (
        <ul id={errorId} className="mt-1 space-y-0.5 text-sm text-red-700" aria-live="polite">
          {errors!.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export type TSelectOption = { value: string; label: string };

/** The options of a select whose values have a label each. */
export function optionsOf<T extends string>(values: readonly T[], labels: Record<T, string>): TSelectOption[] {
  return values.map((value) => ({ value, label: labels[value] }));
}

/**
 * A labelled select, wired like TextField; `isWide={false}`: as wide as its options.
 * `options` come after any `children` (a first "any" option, say).
 */
export function SelectField({
  label,
  errors,
  hint,
  id,
  className,
  isWide = true,
  options = [],
  children,
  ...select
}: TFieldProps & React.SelectHTMLAttributes<HTMLSelectElement> & { isWide?: boolean; options?: readonly TSelectOption[] }) {
  return (
    <Field label={label} errors={errors} hint={hint} id={id} className={className}>
      {({ invalid, ...control }) => (
        <select {...control} className={`${controlClass(invalid, isWide)} max-w-full bg-white`} {...select}>
          {children}
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
