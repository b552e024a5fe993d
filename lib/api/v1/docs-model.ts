// What the API docs page (app/docs/api) shows, read from the generated OpenAPI document
// rather than from the zod schemas directly, so the page shows exactly what clients get.
import { getOpenApiDocument } from "./openapi";

type TSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  description?: string;
  example?: unknown;
  properties?: Record<string, TSchema>;
  required?: string[];
  items?: TSchema;
  anyOf?: TSchema[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
};

export type TDocSchemaRow = { name: string; location: string; required: boolean; type: string; description: string };

export type TDocOperation = {
  operationId: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  scope: string | null;
  parameters: TDocSchemaRow[];
  body: { required: boolean; rows: TDocSchemaRow[]; example: unknown } | null;
  responses: { status: string; description: string; rows: TDocSchemaRow[]; schema: string | null }[];
};

type TDoc = {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components?: { schemas?: Record<string, TSchema> };
};

function resolver(doc: TDoc) {
  const components = doc.components?.schemas ?? {};
  const resolve = (schema: TSchema | undefined): TSchema => {
    if (!schema) return {};
    if (schema.$ref) return resolve(components[schema.$ref.replace("#/components/schemas/", "")]);
    return schema;
  };
  const inline = (value: unknown, depth = 0): unknown => {
    if (depth > 20) return value;
    if (Array.isArray(value)) return value.map((item) => inline(item, depth + 1));
    if (value && typeof value === "object") {
      const ref = (value as TSchema).$ref;
      if (ref) return inline(components[ref.replace("#/components/schemas/", "")], depth + 1);
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, inline(inner, depth + 1)]));
    }
    return value;
  };
  return { resolve, inline };
}

function typeOf(schema: TSchema, resolve: (s: TSchema | undefined) => TSchema): string {
  const s = resolve(schema);
  if (s.enum) return s.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf) return s.anyOf.map((inner) => typeOf(inner, resolve)).join(" | ");
  const base = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any JSON");
  if (base === "array" && s.items) return `array of ${typeOf(s.items, resolve)}`;
  if (base === "object" && !s.properties) return "object";
  const limits = [
    s.format,
    s.minimum !== undefined && s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? `${s.minimum}–${s.maximum}` : null,
    s.maxLength ? `≤ ${s.maxLength} chars` : null,
  ].filter(Boolean);
  return limits.length > 0 ? `${base} (${limits.join(", ")})` : base;
}

/** Fields of an object schema as rows, nested objects and arrays of objects as dotted names ("run.steps[].status"). */
function fieldRows(schema: TSchema, resolve: (s: TSchema | undefined) => TSchema, prefix = "", depth = 0): TDocSchemaRow[] {
  const s = resolve(schema);
  const object = s.anyOf ? (s.anyOf.map(resolve).find((inner) => inner.properties) ?? s) : s;
  if (!object.properties || depth > 3) return [];
  return Object.entries(object.properties).flatMap(([name, inner]) => {
    const field = resolve(inner);
    const path = `${prefix}${name}`;
    const row: TDocSchemaRow = {
      name: path,
      location: "",
      required: object.required?.includes(name) ?? false,
      type: typeOf(field, resolve),
      description: describe(field, resolve),
    };
    const nestedObject = field.anyOf ? field.anyOf.map(resolve).find((candidate) => candidate.properties) : field.properties ? field : undefined;
    const item = field.items ? resolve(field.items) : undefined;
    const nested = nestedObject
      ? fieldRows(nestedObject, resolve, `${path}.`, depth + 1)
      : item?.properties
        ? fieldRows(item, resolve, `${path}[].`, depth + 1)
        : [];
    return [row, ...nested];
  });
}

function describe(schema: TSchema, resolve: (s: TSchema | undefined) => TSchema): string {
  const s = resolve(schema);
  const text = s.description ?? s.anyOf?.map((inner) => resolve(inner).description).find(Boolean) ?? "";
  return s.default !== undefined ? `${text} Default: ${JSON.stringify(s.default)}.`.trim() : text;
}

export function documentedOperations(doc: TDoc = getOpenApiDocument() as unknown as TDoc): TDocOperation[] {
  const { resolve, inline } = resolver(doc);
  const out: TDocOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      const operation = raw as {
        operationId: string;
        summary?: string;
        description?: string;
        "x-required-scopes"?: string[];
        parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: TSchema }[];
        requestBody?: { required?: boolean; content: Record<string, { schema: TSchema }> };
        responses: Record<string, { description: string; content?: Record<string, { schema: TSchema }> }>;
      };
      const bodySchema = operation.requestBody ? resolve(operation.requestBody.content["application/json"]?.schema) : null;
      out.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path: `/api/v1${path}`,
        summary: operation.summary ?? operation.operationId,
        // The scope sentence is shown on its own line.
        description: (operation.description ?? "").replace(/\n\n(Requires the `[^`]+` scope\.|Public: no API key needed\.)$/, ""),
        scope: operation["x-required-scopes"]?.[0] ?? null,
        parameters: (operation.parameters ?? []).map((parameter) => ({
          name: parameter.name,
          location: parameter.in,
          required: parameter.required === true,
          type: typeOf(parameter.schema ?? {}, resolve),
          description: parameter.description ?? parameter.schema?.description ?? "",
        })),
        body: bodySchema
          ? {
              required: operation.requestBody?.required === true,
              rows: Object.entries(bodySchema.properties ?? {}).map(([name, schema]) => ({
                name,
                location: "",
                required: bodySchema.required?.includes(name) ?? false,
                type: typeOf(schema, resolve),
                description: describe(schema, resolve),
              })),
              example: Object.fromEntries(
                Object.entries(bodySchema.properties ?? {})
                  .map(([name, schema]) => [name, resolve(schema).example ?? resolve(schema).default] as const)
                  .filter(([, value]) => value !== undefined),
              ),
            }
          : null,
        responses: Object.entries(operation.responses).map(([status, response]) => {
          const schema = response.content?.["application/json"]?.schema;
          return {
            status,
            description: response.description,
            rows: schema ? fieldRows(schema, resolve) : [],
            schema: schema ? JSON.stringify(inline(schema), null, 2) : null,
          };
        }),
      });
    }
  }
  return out;
}

const EXAMPLE_IDS: Record<string, string> = {
  flowId: "3f1c2a9e-8b7d-4c55-9e0f-6a1b2c3d4e5f",
  runId: "0b8e7c1d-2f3a-4b5c-8d9e-0f1a2b3c4d5e",
};

/** A copy-paste curl command; the key comes from an environment variable, never inline. */
export function curlExample(operation: TDocOperation, base: string): string {
  const path = operation.path.replace(/^\/api\/v1/, "").replace(/\{(\w+)\}/g, (_m, name: string) => EXAMPLE_IDS[name] ?? `<${name}>`);
  const lines = [`curl -sS${operation.method === "GET" ? "" : ` -X ${operation.method}`} "${base}${path}"`];
  if (operation.scope) lines.push(`  -H "Authorization: Bearer $VAULTFLOW_API_KEY"`);
  if (operation.parameters.some((parameter) => parameter.location === "header" && parameter.name === "idempotency-key")) {
    lines.push(`  -H "Idempotency-Key: $(uuidgen)"`);
  }
  if (operation.body && Object.keys(operation.body.example as object).length > 0) {
    lines.push(`  -H "Content-Type: application/json"`);
    lines.push(`  -d '${JSON.stringify(operation.body.example)}'`);
  }
  return lines.join(" \\\n");
}
