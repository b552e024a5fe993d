// The inspector's form, read from each node type's zod config schema (lib/flows/
// node-types.ts), so a new field in a schema shows up in the editor without a second
// description. Walks zod 4's public definition objects (`_zod.def`): objects become
// groups of fields, discriminated unions a select of their discriminator plus the
// chosen variant's fields, enums selects, name/value arrays editable lists. Validation
// messages come from parsing the same schema, so the form and the server agree.
import { APP_FIELD_LABELS, APP_TEMPLATE_FIELDS } from "@/lib/apps/registry";
import { NODE_CONFIG_SCHEMAS, isNodeType } from "@/lib/flows/node-types";
import type { TMappingKind } from "./mapping";

type TDef = { type: string; [key: string]: unknown };
type TSchema = { _zod: { def: TDef } };

export type TFieldPath = (string | number)[];
type TFieldBase = {
  key: string;
  path: TFieldPath;
  label: string;
  isOptional: boolean;
  /** How the field reads other steps' data (for name/value lists: the values); null: it does not. */
  mapping: TMappingKind | null;
};

export type TField =
  | (TFieldBase & { kind: "text" | "textarea"; value: string })
  | (TFieldBase & { kind: "number"; value: number | string })
  | (TFieldBase & {
      kind: "select";
      value: string;
      options: { value: string; label: string }[];
      /** Set on a union's discriminator: choosing another value switches the variant (switchVariant). */
      isDiscriminator?: true;
    })
  | (TFieldBase & { kind: "checkbox"; value: boolean })
  | (TFieldBase & { kind: "pairs"; value: { name: string; value: string }[] })
  /** A list of choices from an enum (the GitHub trigger's events): a checkbox group. */
  | (TFieldBase & { kind: "choices"; value: string[]; options: { value: string; label: string }[] })
  | (TFieldBase & { kind: "json"; value: unknown })
  | (TFieldBase & { kind: "connection"; value: string | null });

const LABELS: Record<string, string> = {
  // App step fields first: a core step's label of the same key wins.
  ...APP_FIELD_LABELS,
  respondMode: "When the webhook answers",
  responseTimeoutMs: "Response timeout (ms)",
  cron: "Cron expression",
  timezone: "Time zone",
  expression: "Expression (JSONata)",
  mode: "Mode",
  left: "Left value",
  operator: "Comparison",
  right: "Right value",
  amount: "Amount",
  unit: "Unit",
  until: "Until (ISO time or reference)",
  method: "Method",
  url: "URL",
  query: "Query parameters",
  headers: "Headers",
  "body.kind": "Body",
  "body.json": "JSON body",
  "body.fields": "Form fields",
  "body.contentType": "Content type",
  "body.text": "Body text",
  connectionId: "Connection",
  timeoutMs: "Timeout (ms)",
  maxResponseBytes: "Largest response (bytes)",
  status: "Status code",
  body: "Body",
  samplePayload: "Sample payload (JSON)",
  "retry.attempts": "Retry: attempts in all",
  "retry.timeoutMs": "Retry: time limit per attempt (ms)",
  onError: "If it fails (stop the run, continue, or take the error path)",
  items: "List (a reference to a list)",
  maxItems: "Most items allowed",
  concurrency: "Items at a time",
  flowId: "Flow to run (id)",
  input: "Input (JSON)",
  message: "Message",
  "timeout.amount": "Give up after",
  "timeout.unit": "Unit",
};

const MULTILINE = new Set(["expression", "json", "text", "body", "blocks", "message", "input"]);

// The schemas' template strings (ZTemplateString in node-types.ts), which the run renders
// with `{{...}}`; zod keeps no mark of them, so they are named here. JSONata expressions
// read `{ trigger, steps }` themselves (a `{{...}}` in them stays literal).
const TEMPLATE_FIELDS = new Set([
  "url",
  "query",
  "headers",
  "body.json",
  "body.fields",
  "body.text",
  "body",
  "left",
  "right",
  "until",
  "items",
  "input",
  "message",
  ...APP_TEMPLATE_FIELDS,
]);
const JSONATA_FIELDS = new Set(["expression"]);

function mappingOf(key: string): TMappingKind | null {
  if (TEMPLATE_FIELDS.has(key)) return "template";
  return JSONATA_FIELDS.has(key) ? "jsonata" : null;
}

const defOf = (schema: unknown): TDef => (schema as TSchema)._zod.def;

/** Strips default/optional/nullable wrappers; says whether the value may be left out. */
function unwrap(schema: unknown): { inner: unknown; isOptional: boolean; isNullable: boolean } {
  let inner = schema;
  let isOptional = false;
  let isNullable = false;
  for (;;) {
    const def = defOf(inner);
    if (def.type === "default" || def.type === "optional" || def.type === "prefault") {
      isOptional = true;
      inner = def.innerType;
    } else if (def.type === "nullable") {
      isNullable = true;
      inner = def.innerType;
    } else return { inner, isOptional, isNullable };
  }
}

function labelOf(path: TFieldPath): string {
  const key = path.join(".");
  if (LABELS[key]) return LABELS[key];
  const last = String(path.at(-1));
  return LABELS[last] ?? last.replace(/([A-Z])/g, " $1").replace(/^./, (c) => c.toUpperCase());
}

export function getAtPath(value: unknown, path: TFieldPath): unknown {
  let current = value;
  for (const segment of path) {
    if (!current || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** A copy of `value` with `next` at `path` (objects along the way are created as needed). */
export function setAtPath(value: unknown, path: TFieldPath, next: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  const base = value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  if (head === undefined) return base;
  return { ...base, [head]: rest.length === 0 ? next : setAtPath(base[head], rest, next) };
}

/** The value a field starts from: its schema default, else an empty value of its kind. */
export function initialValueOf(schema: unknown): unknown {
  const def = defOf(schema);
  if (def.type === "default") return typeof def.defaultValue === "function" ? (def.defaultValue as () => unknown)() : def.defaultValue;
  if (def.type === "optional") return undefined;
  const { inner, isNullable } = unwrap(schema);
  if (isNullable) return null;
  const innerDef = defOf(inner);
  switch (innerDef.type) {
    case "string":
      return "";
    case "number":
      return 1;
    case "boolean":
      return false;
    case "enum":
      return Object.values(innerDef.entries as Record<string, string>)[0];
    case "array":
      return [];
    case "literal":
      return (innerDef.values as unknown[])[0];
    case "object":
      return Object.fromEntries(
        Object.entries(innerDef.shape as Record<string, unknown>)
          .map(([k, s]) => [k, initialValueOf(s)] as const)
          .filter(([, v]) => v !== undefined),
      );
    case "union":
      return initialValueOf((innerDef.options as unknown[])[0]);
    default:
      return undefined;
  }
}

function variantsOf(def: TDef): { value: string; schema: unknown }[] {
  const discriminator = def.discriminator as string;
  return (def.options as unknown[]).map((option) => {
    const shape = defOf(option).shape as Record<string, unknown>;
    return { value: String((defOf(shape[discriminator]).values as unknown[])[0]), schema: option };
  });
}

function describeObject(shape: Record<string, unknown>, value: unknown, prefix: TFieldPath, skip?: string): TField[] {
  return Object.entries(shape)
    .filter(([key]) => key !== skip)
    .flatMap(([key, schema]) => describeValue(schema, value, [...prefix, key]));
}

function describeValue(schema: unknown, config: unknown, path: TFieldPath): TField[] {
  const { inner, isOptional, isNullable } = unwrap(schema);
  const def = defOf(inner);
  const key = path.join(".");
  const base = { key, path, label: labelOf(path), isOptional: isOptional || isNullable, mapping: mappingOf(key) };
  const value = getAtPath(config, path);
  if (String(path.at(-1)) === "connectionId") return [{ ...base, kind: "connection", value: typeof value === "string" ? value : null }];
  switch (def.type) {
    case "string":
      return [{ ...base, kind: MULTILINE.has(String(path.at(-1))) ? "textarea" : "text", value: typeof value === "string" ? value : "" }];
    case "number":
      return [{ ...base, kind: "number", value: typeof value === "number" || typeof value === "string" ? value : "" }];
    case "boolean":
      return [{ ...base, kind: "checkbox", value: value === true }];
    case "enum": {
      // A stored config from before a defaulted setting existed runs with the default
      // (the webhook trigger's method): show that, not an empty choice.
      const fallback = value === undefined && defOf(schema).type === "default" ? initialValueOf(schema) : undefined;
      return [
        {
          ...base,
          kind: "select",
          value: typeof value === "string" ? value : typeof fallback === "string" ? fallback : "",
          options: Object.values(def.entries as Record<string, string>).map((option) => ({ value: option, label: option.replace(/_/g, " ") })),
        },
      ];
    }
    case "array": {
      const element = defOf(def.element);
      if (element.type === "enum") {
        const options = Object.values(element.entries as Record<string, string>).map((option) => ({
          value: option,
          label: option.replace(/_/g, " ").replace(/\./g, ": "),
        }));
        const chosen = Array.isArray(value)
          ? value.filter((item): item is string => typeof item === "string")
          : ((initialValueOf(schema) as string[] | undefined) ?? []);
        return [{ ...base, kind: "choices", value: chosen, options }];
      }
      return [{ ...base, kind: "pairs", value: Array.isArray(value) ? (value as { name: string; value: string }[]) : [] }];
    }
    case "object":
      return describeObject(def.shape as Record<string, unknown>, config, path);
    case "union": {
      if (typeof def.discriminator !== "string") return [{ ...base, kind: "json", value }];
      const discriminator = def.discriminator;
      const variants = variantsOf(def);
      const current = getAtPath(config, [...path, discriminator]);
      const chosen = variants.find((variant) => variant.value === current);
      const selectPath = [...path, discriminator];
      const select: TField = {
        key: selectPath.join("."),
        path: selectPath,
        label: labelOf(selectPath),
        isOptional: false,
        mapping: null,
        kind: "select",
        value: typeof current === "string" ? current : "",
        options: variants.map((variant) => ({ value: variant.value, label: variant.value.replace(/_/g, " ") })),
        isDiscriminator: true,
      };
      if (!chosen) return [select];
      return [select, ...describeObject(defOf(chosen.schema).shape as Record<string, unknown>, config, path, discriminator)];
    }
    default:
      return [{ ...base, kind: "json", value }];
  }
}

/** The fields of a node type's form, filled from `config`; an unknown type has none. */
export function describeConfigFields(type: string, config: Record<string, unknown>): TField[] {
  if (!isNodeType(type)) return [];
  const schema = NODE_CONFIG_SCHEMAS[type];
  const def = defOf(schema);
  if (def.type === "object") return describeObject(def.shape as Record<string, unknown>, config, []);
  return describeValue(schema, config, []);
}

/**
 * The config after choosing `variant` for the discriminated union at `path` (the
 * discriminator's own path): the variant's fields start from their defaults, keeping
 * values of fields the old and new variant share.
 */
export function switchVariant(type: string, config: Record<string, unknown>, discriminatorPath: TFieldPath, variant: string): Record<string, unknown> {
  if (!isNodeType(type)) return config;
  const unionPath = discriminatorPath.slice(0, -1);
  let schema: unknown = NODE_CONFIG_SCHEMAS[type];
  for (const segment of unionPath) schema = (defOf(unwrap(schema).inner).shape as Record<string, unknown>)[String(segment)];
  const def = defOf(unwrap(schema).inner);
  const chosen = variantsOf(def).find((v) => v.value === variant);
  if (!chosen) return config;
  const fresh = initialValueOf(chosen.schema) as Record<string, unknown>;
  const old = (getAtPath(config, unionPath) ?? {}) as Record<string, unknown>;
  // Shared fields (a condition's retry settings) survive the switch.
  const shape = defOf(chosen.schema).shape as Record<string, unknown>;
  const kept = Object.fromEntries(
    Object.keys(shape)
      .filter((k) => k in old && k !== String(discriminatorPath.at(-1)))
      .map((k) => [k, old[k]]),
  );
  const next = { ...fresh, ...kept };
  return unionPath.length === 0 ? next : setAtPath(config, unionPath, next);
}

/** Schema messages by field key ("body.json", "headers.0.name"); "" for the config as a whole. */
export function configErrors(type: string, config: Record<string, unknown>): Map<string, string> {
  const errors = new Map<string, string>();
  if (!isNodeType(type)) return errors;
  const parsed = NODE_CONFIG_SCHEMAS[type].safeParse(config);
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    const key = issue.path.join(".");
    if (!errors.has(key)) errors.set(key, issue.message);
  }
  return errors;
}
