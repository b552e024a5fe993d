"use client";

import Link from "next/link";
import { useId, useState } from "react";
import type { TField } from "@/lib/editor/field-schemas";

export type TConnectionOption = { id: string; name: string; type: string; status: string; provider: string | null };

type Props = {
  field: TField;
  errors: ReadonlyMap<string, string>;
  onChange: (field: TField, value: unknown) => void;
  connections: readonly TConnectionOption[];
  projectId: string;
  timeZones: readonly string[];
};

const INPUT =
  "mt-1 block w-full rounded-md border px-2 py-1.5 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 disabled:bg-slate-50";

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  );
}

/** Name/value rows (headers, query parameters, form fields). */
function PairsField({ field, errors, onChange }: Pick<Props, "errors" | "onChange"> & { field: Extract<TField, { kind: "pairs" }> }) {
  const rows = field.value;
  const set = (index: number, key: "name" | "value", value: string) => onChange(field, rows.map((row, i) => (i === index ? { ...row, [key]: value } : row)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">{field.label}</legend>
      {rows.length === 0 ? <p className="text-sm text-slate-700">None.</p> : null}
      {rows.map((row, index) => (
        <div key={index} className="space-y-1 rounded border border-slate-200 p-2">
          <div className="flex gap-2">
            <label className="min-w-0 flex-1 text-xs">
              Name {index + 1}
              <input className={`${INPUT} border-slate-300`} value={row.name} onChange={(e) => set(index, "name", e.target.value)} />
            </label>
            <label className="min-w-0 flex-1 text-xs">
              Value {index + 1}
              <input className={`${INPUT} border-slate-300`} value={row.value} onChange={(e) => set(index, "value", e.target.value)} />
            </label>
          </div>
          <FieldError id={`${field.key}-${index}`} message={errors.get(`${field.key}.${index}.name`) ?? errors.get(`${field.key}.${index}.value`)} />
          <button type="button" className="text-xs text-red-800 underline" onClick={() => onChange(field, rows.filter((_, i) => i !== index))}>
            Remove {field.label.toLowerCase()} row {index + 1}
          </button>
        </div>
      ))}
      <button type="button" className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50" onClick={() => onChange(field, [...rows, { name: "", value: "" }])}>
        Add to {field.label.toLowerCase()}
      </button>
      <FieldError id={`${field.key}-all`} message={errors.get(field.key)} />
    </fieldset>
  );
}

/** Any JSON value, edited as text; stored only once it parses. */
function JsonField({ field, inputId, errorId, onChange }: { field: TField; inputId: string; errorId: string; onChange: Props["onChange"] }) {
  const [text, setText] = useState(() => (field.value === undefined ? "" : JSON.stringify(field.value, null, 2)));
  const [parseError, setParseError] = useState<string | null>(null);
  return (
    <>
      <textarea
        id={inputId}
        rows={4}
        spellCheck={false}
        className={`${INPUT} font-mono ${parseError ? "border-red-600" : "border-slate-300"}`}
        value={text}
        aria-invalid={parseError ? true : undefined}
        aria-describedby={parseError ? errorId : undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (e.target.value.trim() === "") {
            setParseError(null);
            return onChange(field, undefined);
          }
          try {
            const value: unknown = JSON.parse(e.target.value);
            setParseError(null);
            onChange(field, value);
          } catch {
            setParseError("Not valid JSON yet.");
          }
        }}
      />
      <FieldError id={errorId} message={parseError ?? undefined} />
    </>
  );
}

/** One form control for one schema field, with the schema's message under it. */
export function ConfigField({ field, errors, onChange, connections, projectId, timeZones }: Props) {
  const inputId = useId();
  const errorId = `${inputId}-error`;
  const message = errors.get(field.key);
  const invalid = Boolean(message);
  const described = { "aria-invalid": invalid || undefined, "aria-describedby": invalid ? errorId : undefined };
  const border = invalid ? "border-red-600" : "border-slate-300";
  if (field.kind === "pairs") return <PairsField field={field} errors={errors} onChange={onChange} />;
  if (field.kind === "checkbox") {
    return (
      <div>
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" checked={field.value} onChange={(e) => onChange(field, e.target.checked)} {...described} />
          {field.label}
        </label>
        <FieldError id={errorId} message={message} />
      </div>
    );
  }
  return (
    <div>
      <label htmlFor={inputId} className="block text-sm font-medium">
        {field.label}
        {field.isOptional ? <span className="font-normal text-slate-700"> (optional)</span> : null}
      </label>
      {field.kind === "text" ? (
        <input
          id={inputId}
          className={`${INPUT} ${border}`}
          value={field.value}
          list={field.key === "timezone" ? `${inputId}-zones` : undefined}
          onChange={(e) => onChange(field, e.target.value)}
          {...described}
        />
      ) : null}
      {field.key === "timezone" ? (
        <datalist id={`${inputId}-zones`}>
          {timeZones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      ) : null}
      {field.kind === "textarea" ? (
        <textarea id={inputId} rows={3} spellCheck={false} className={`${INPUT} font-mono ${border}`} value={field.value} onChange={(e) => onChange(field, e.target.value)} {...described} />
      ) : null}
      {field.kind === "number" ? (
        <input
          id={inputId}
          type="number"
          inputMode="numeric"
          className={`${INPUT} ${border}`}
          value={field.value}
          onChange={(e) => {
            // An optional number left empty is absent (the step's default applies), not "".
            if (e.target.value === "" && field.isOptional) return onChange(field, undefined);
            onChange(field, Number.isNaN(e.target.valueAsNumber) ? e.target.value : e.target.valueAsNumber);
          }}
          {...described}
        />
      ) : null}
      {field.kind === "select" ? (
        <select id={inputId} className={`${INPUT} ${border}`} value={field.value} onChange={(e) => onChange(field, e.target.value)} {...described}>
          {field.value === "" ? <option value="">Choose…</option> : null}
          {field.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      ) : null}
      {field.kind === "connection" ? (
        <>
          <select id={inputId} className={`${INPUT} ${border}`} value={field.value ?? ""} onChange={(e) => onChange(field, e.target.value === "" ? null : e.target.value)} {...described}>
            <option value="">No connection</option>
            {connections.map((connection) => (
              <option key={connection.id} value={connection.id}>
                {connection.name} ({connection.type.toLowerCase()})
              </option>
            ))}
          </select>
          <p className="mt-1 text-sm">
            <Link href={`/projects/${projectId}/connections/new`} className="text-brand-700 underline" target="_blank">
              Create a connection
            </Link>
          </p>
        </>
      ) : null}
      {field.kind === "json" ? <JsonField field={field} inputId={inputId} errorId={errorId} onChange={onChange} /> : null}
      {field.kind !== "json" ? <FieldError id={errorId} message={message} /> : null}
    </div>
  );
}
