"use client";

import Link from "next/link";
import { useId, useMemo, useRef, useState, type ReactNode, type RefObject } from "react";
import { connectionLabelOf, connectionProblemOf, type TConnectionChoice } from "@/lib/editor/connection-options";
import { completionScopeOf, previewScopeOf } from "@/lib/editor/expression-scope";
import type { TField } from "@/lib/editor/field-schemas";
import type { TMappingKind } from "@/lib/editor/mapping";
import type { TFlowDocument } from "@/lib/flows/document";
import { AppPickerField } from "./app-picker-field";
import { CreateConnectionDialog } from "./create-connection-dialog";
import { useEditorData } from "./editor-data";
import { ExpressionField } from "./expression-field";
import { MappingPicker } from "./mapping-picker";
import { ReferenceChips } from "./reference-chips";

type Props = {
  field: TField;
  errors: ReadonlyMap<string, string>;
  onChange: (field: TField, value: unknown) => void;
  connections: readonly TConnectionChoice[];
  projectId: string;
  timeZones: readonly string[];
  /** The step the field belongs to: fields that read data get the reference picker and chips. */
  mapping?: TMappingContext | null;
};

export type TMappingContext = {
  document: TFlowDocument;
  nodeId: string;
  nodeType: string;
  /** The steps that run before this one (upstreamNodeIds), computed once for all its fields. */
  upstream: ReadonlySet<string>;
};

type TTextTarget = HTMLInputElement | HTMLTextAreaElement;

const INPUT =
  "mt-1 block w-full rounded-md border px-2 py-1.5 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 disabled:bg-slate-50";

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-700" data-testid="field-error">
      {message}
    </p>
  );
}

/**
 * The reference picker beside a field's label, and the chips under its value. The label
 * and input are the picker's positioned ancestor (it opens below the input) unless
 * `isAnchoredOutside`: then the caller gives a wider one (a pair row's inputs).
 */
function Mappable({
  context,
  kind,
  text,
  targetRef,
  labelId,
  testId,
  onInsert,
  label,
  children,
  isAnchoredOutside = false,
  isJsonBody = false,
}: {
  context: TMappingContext | null | undefined;
  kind: TMappingKind | null;
  text: string;
  targetRef: RefObject<TTextTarget | null>;
  labelId: string;
  testId: string;
  onInsert: (value: string) => void;
  label: ReactNode;
  children: ReactNode;
  isAnchoredOutside?: boolean;
  isJsonBody?: boolean;
}) {
  if (!context || !kind) {
    return (
      <>
        {label}
        {children}
      </>
    );
  }
  return (
    <>
      <div className={isAnchoredOutside ? undefined : "relative"}>
        <div className="flex items-end justify-between gap-2">
          {label}
          <MappingPicker
            document={context.document}
            nodeId={context.nodeId}
            kind={kind}
            targetRef={targetRef}
            onInsert={onInsert}
            fieldLabelId={labelId}
            testId={testId}
            isJsonBody={isJsonBody}
          />
        </div>
        {children}
      </div>
      {kind === "template" ? <ReferenceChips text={text} document={context.document} nodeId={context.nodeId} upstream={context.upstream} /> : null}
    </>
  );
}

type TPairsField = Extract<TField, { kind: "pairs" }>;

function PairRow({
  field,
  index,
  errors,
  onChange,
  mapping,
  onRemove,
}: Pick<Props, "errors" | "onChange" | "mapping"> & { field: TPairsField; index: number; onRemove: () => void }) {
  const rows = field.value;
  const row = rows[index]!;
  const valueRef = useRef<TTextTarget>(null);
  const valueLabelId = useId();
  const set = (key: "name" | "value", value: string) =>
    onChange(
      field,
      rows.map((r, i) => (i === index ? { ...r, [key]: value } : r)),
    );
  return (
    <div className="space-y-1 rounded border border-slate-200 p-2">
      {/* The value's picker opens below both inputs, as wide as the row. */}
      <div className="relative flex gap-2">
        <label className="min-w-0 flex-1 text-xs">
          Name {index + 1}
          <input className={`${INPUT} border-slate-300`} value={row.name} onChange={(e) => set("name", e.target.value)} />
        </label>
        <div className="min-w-0 flex-1 text-xs">
          <Mappable
            context={mapping}
            kind={field.mapping}
            text={row.value}
            targetRef={valueRef}
            labelId={valueLabelId}
            testId={`insert-reference-${field.key}.${index}.value`}
            onInsert={(value) => set("value", value)}
            isAnchoredOutside
            label={
              <label id={valueLabelId} htmlFor={`${valueLabelId}-input`}>
                Value {index + 1}
              </label>
            }
          >
            {mapping && field.mapping ? (
              <ExpressionInput
                inputId={`${valueLabelId}-input`}
                fieldKey={`${field.key}.${index}.value`}
                value={row.value}
                kind={field.mapping}
                isMultiline={false}
                textRef={valueRef as RefObject<HTMLTextAreaElement>}
                mapping={mapping}
                border="border-slate-300"
                described={{}}
                onChange={(value) => set("value", value)}
              />
            ) : (
              <input
                id={`${valueLabelId}-input`}
                ref={valueRef as RefObject<HTMLInputElement>}
                className={`${INPUT} border-slate-300`}
                value={row.value}
                onChange={(e) => set("value", e.target.value)}
              />
            )}
          </Mappable>
        </div>
      </div>
      <FieldError id={`${field.key}-${index}`} message={errors.get(`${field.key}.${index}.name`) ?? errors.get(`${field.key}.${index}.value`)} />
      <button type="button" className="text-xs text-red-800 underline" onClick={onRemove}>
        Remove {field.label.toLowerCase()} row {index + 1}
      </button>
    </div>
  );
}

/**
 * A key per row that stays with the row when one above it is removed, so a row's picker
 * and remembered caret stay its own. Rows added or dropped elsewhere (Undo) get or lose
 * keys at the end.
 */
function useRowKeys(count: number) {
  const [keys, setKeys] = useState<readonly number[]>(() => Array.from({ length: count }, (_, i) => i));
  let current = keys;
  if (keys.length !== count) {
    const next = Math.max(-1, ...keys) + 1;
    current = keys.length > count ? keys.slice(0, count) : [...keys, ...Array.from({ length: count - keys.length }, (_, i) => next + i)];
    // Adjusting state while rendering: React renders again at once, before the screen.
    setKeys(current);
  }
  const removeKey = (index: number) => setKeys((list) => list.filter((_, i) => i !== index));
  return { keys: current, removeKey };
}

/** Name/value rows (headers, query parameters, form fields). */
function PairsField({ field, errors, onChange, mapping }: Pick<Props, "errors" | "onChange" | "mapping"> & { field: TPairsField }) {
  const rows = field.value;
  const { keys, removeKey } = useRowKeys(rows.length);
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">{field.label}</legend>
      {rows.length === 0 ? <p className="text-sm text-slate-700">None.</p> : null}
      {rows.map((_, index) => (
        <PairRow
          key={keys[index]}
          field={field}
          index={index}
          errors={errors}
          onChange={onChange}
          mapping={mapping}
          onRemove={() => {
            removeKey(index);
            onChange(
              field,
              rows.filter((_, i) => i !== index),
            );
          }}
        />
      ))}
      <button
        type="button"
        className="rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50"
        onClick={() => onChange(field, [...rows, { name: "", value: "" }])}
      >
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

/**
 * The connection picker: the step's fitting connections, each problem said in words, and
 * (for those who may edit) "Create a connection", which lists and chooses the new one.
 */
function ConnectionSelect({
  field,
  inputId,
  border,
  described,
  connections,
  projectId,
  onChange,
  mapping,
}: Pick<Props, "connections" | "projectId" | "onChange" | "mapping"> & {
  field: Extract<TField, { kind: "connection" }>;
  inputId: string;
  border: string;
  described: Record<string, unknown>;
}) {
  const editorData = useEditorData();
  const nodeType = mapping?.nodeType;
  const chosen = connections.find((connection) => connection.id === field.value);
  const problem = chosen ? connectionProblemOf(chosen) : null;
  const created = (connection: TConnectionChoice) => {
    editorData.addConnection(connection);
    // Through the field's own change: choosing it is one edit, undone like any other.
    onChange(field, connection.id);
  };
  return (
    <>
      <select
        id={inputId}
        className={`${INPUT} ${border}`}
        value={field.value ?? ""}
        onChange={(e) => onChange(field, e.target.value === "" ? null : e.target.value)}
        {...described}
      >
        <option value="">No connection</option>
        {field.value && !chosen ? <option value={field.value}>A connection this step cannot use (deleted or of another kind)</option> : null}
        {connections.map((connection) => (
          <option key={connection.id} value={connection.id}>
            {connectionLabelOf(connection)}
          </option>
        ))}
      </select>
      {chosen && problem ? (
        <p className="mt-1 text-sm text-amber-900" data-testid="connection-problem">
          <span aria-hidden="true">⚠ </span>“{chosen.name}” is {problem}: runs using it fail until it is{" "}
          <Link href={`/projects/${projectId}/connections/${chosen.id}`} className="text-brand-700 underline" target="_blank">
            reconnected (opens in a new tab)
          </Link>
          .
        </p>
      ) : null}
      {connections.length === 0 ? <p className="mt-1 text-sm text-slate-700">This project has no connection this step can use yet.</p> : null}
      {editorData.canWrite && nodeType ? (
        <div className="mt-2">
          <CreateConnectionDialog projectId={projectId} nodeType={nodeType} onCreated={created} />
        </div>
      ) : null}
    </>
  );
}

/** A field that reads data: highlighted, with completions and a preview from the samples this step can read. */
function ExpressionInput({
  inputId,
  fieldKey,
  value,
  kind,
  isMultiline,
  textRef,
  mapping,
  border,
  described,
  onChange,
}: {
  inputId: string;
  fieldKey: string;
  value: string;
  kind: TMappingKind;
  isMultiline: boolean;
  textRef: RefObject<HTMLTextAreaElement>;
  mapping: TMappingContext;
  border: string;
  described: { "aria-invalid"?: boolean; "aria-describedby"?: string };
  onChange: (value: string) => void;
}) {
  const { samples } = useEditorData();
  const { document, nodeId, upstream } = mapping;
  // A run gives JSONata and templates the same names: trigger, steps and, in a loop's body, loop.
  const scope = useMemo(() => completionScopeOf(document, nodeId, samples, upstream), [document, nodeId, samples, upstream]);
  const scopeJson = useMemo(() => JSON.stringify(previewScopeOf(scope)), [scope]);
  return (
    <ExpressionField
      id={inputId}
      value={value}
      onChange={onChange}
      kind={kind}
      isMultiline={isMultiline}
      textareaRef={textRef}
      scope={scope}
      scopeJson={scopeJson}
      border={border}
      described={described}
      testId={`expression-${fieldKey}`}
    />
  );
}

/** One form control for one schema field, with the schema's message under it. */
export function ConfigField({ field, errors, onChange, connections, projectId, timeZones, mapping }: Props) {
  const inputId = useId();
  const labelId = `${inputId}-label`;
  const errorId = `${inputId}-error`;
  const textRef = useRef<TTextTarget>(null);
  const message = errors.get(field.key);
  const invalid = Boolean(message);
  const described = { "aria-invalid": invalid || undefined, "aria-describedby": invalid ? errorId : undefined };
  const border = invalid ? "border-red-600" : "border-slate-300";
  if (field.kind === "pairs") return <PairsField field={field} errors={errors} onChange={onChange} mapping={mapping} />;
  if (field.kind === "choices") {
    return (
      <fieldset {...described}>
        <legend className="text-sm font-medium">{field.label}</legend>
        <div className="mt-1 grid gap-1 sm:grid-cols-2">
          {field.options.map((option) => (
            <label key={option.value} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={field.value.includes(option.value)}
                onChange={(e) => onChange(field, e.target.checked ? [...field.value, option.value] : field.value.filter((value) => value !== option.value))}
              />
              {option.label}
            </label>
          ))}
        </div>
        <FieldError id={errorId} message={message} />
      </fieldset>
    );
  }
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
  const label = (
    <label id={labelId} htmlFor={inputId} className="block text-sm font-medium">
      {field.label}
      {field.isOptional ? <span className="font-normal text-slate-700"> (optional)</span> : null}
    </label>
  );
  if (field.kind === "text" || field.kind === "textarea") {
    const isText = field.kind === "text";
    return (
      <div>
        <Mappable
          context={mapping}
          kind={field.mapping}
          text={field.value}
          targetRef={textRef}
          labelId={labelId}
          testId={`insert-reference-${field.key}`}
          onInsert={(value) => onChange(field, value)}
          label={label}
          isJsonBody={field.key === "body.json"}
        >
          {mapping && field.mapping ? (
            <ExpressionInput
              inputId={inputId}
              fieldKey={field.key}
              value={field.value}
              kind={field.mapping}
              isMultiline={!isText}
              textRef={textRef as RefObject<HTMLTextAreaElement>}
              mapping={mapping}
              border={border}
              described={described}
              onChange={(value) => onChange(field, value)}
            />
          ) : isText ? (
            <input
              id={inputId}
              ref={textRef as RefObject<HTMLInputElement>}
              className={`${INPUT} ${border}`}
              value={field.value}
              list={field.key === "timezone" ? `${inputId}-zones` : undefined}
              onChange={(e) => onChange(field, e.target.value)}
              {...described}
            />
          ) : (
            <textarea
              id={inputId}
              ref={textRef as RefObject<HTMLTextAreaElement>}
              rows={3}
              spellCheck={false}
              className={`${INPUT} font-mono ${border}`}
              value={field.value}
              onChange={(e) => onChange(field, e.target.value)}
              {...described}
            />
          )}
        </Mappable>
        {field.key === "timezone" ? (
          <datalist id={`${inputId}-zones`}>
            {timeZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        ) : null}
        {mapping ? (
          <AppPickerField
            nodeType={mapping.nodeType}
            fieldKey={field.key}
            document={mapping.document}
            nodeId={mapping.nodeId}
            onPick={(value) => onChange(field, value)}
          />
        ) : null}
        <FieldError id={errorId} message={message} />
      </div>
    );
  }
  return (
    <div>
      {label}
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
        <ConnectionSelect
          field={field}
          inputId={inputId}
          border={border}
          described={described}
          connections={connections}
          projectId={projectId}
          onChange={onChange}
          mapping={mapping}
        />
      ) : null}
      {field.kind === "connection" && mapping ? (
        <AppPickerField nodeType={mapping.nodeType} fieldKey={field.key} document={mapping.document} nodeId={mapping.nodeId} onPick={() => {}} />
      ) : null}
      {field.kind === "json" ? <JsonField field={field} inputId={inputId} errorId={errorId} onChange={onChange} /> : null}
      {field.kind !== "json" ? <FieldError id={errorId} message={message} /> : null}
    </div>
  );
}
