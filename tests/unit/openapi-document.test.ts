// The REST API's OpenAPI document: every route file under app/api/v1 (found on disk,
// with the methods it exports) has its operation and the document has no other; the
// document is structurally OpenAPI 3.1; and each operation's response and request
// schemas are the ones generated from the zod schemas the routes parse and answer with.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createSchema } from "zod-openapi";
import { API_SCOPES } from "@/lib/api-keys/scopes";
import { buildOpenApiDocument } from "@/lib/api/v1/openapi";
import { errorStatusesOf, OPERATIONS, type TApiOperation } from "@/lib/api/v1/operations";
import { ZApiError } from "@/lib/api/v1/schemas";
import type { z } from "@/lib/zod";

const apiDir = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

function routeFiles(dir = apiDir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

/** "flows/[flowId]/runs/route.ts" → "/flows/{flowId}/runs". */
function templateOf(file: string): string {
  const segments = path.relative(apiDir, path.dirname(file)).split(path.sep).filter(Boolean);
  return `/${segments.map((part) => part.replace(/^\[(\w+)\]$/, "{$1}")).join("/")}`;
}

type TJson = Record<string, unknown>;
const document = buildOpenApiDocument() as unknown as TJson & {
  paths: Record<string, Record<string, TJson>>;
  components: { schemas: Record<string, TJson>; securitySchemes: Record<string, TJson> };
};

/** Inlines local component references (the schemas here have no cycles). */
function deref(value: unknown, components: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => deref(item, components));
  if (value && typeof value === "object") {
    const ref = (value as { $ref?: string }).$ref;
    if (typeof ref === "string" && ref.startsWith("#/components/schemas/")) {
      const target = components[ref.slice("#/components/schemas/".length)];
      expect(target, `unresolved ${ref}`).toBeDefined();
      return deref(target, components);
    }
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, deref(inner, components)]));
  }
  return value;
}

function generated(schema: z.ZodType, io: "input" | "output"): unknown {
  const { schema: json, components } = createSchema(schema, { io });
  return deref(json, components as Record<string, unknown>);
}

const operations = Object.values(OPERATIONS) as TApiOperation[];

describe("the OpenAPI document", () => {
  it("has an operation for every exported method of every route file under app/api/v1, and no other", async () => {
    const onDisk: string[] = [];
    for (const file of routeFiles()) {
      const route = (await import(file)) as Record<string, unknown>;
      for (const method of METHODS) if (typeof route[method] === "function") onDisk.push(`${method} ${templateOf(file)}`);
    }
    const inDocument = Object.entries(document.paths).flatMap(([template, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${template}`));
    expect(onDisk.length).toBeGreaterThanOrEqual(8);
    expect(inDocument.sort()).toEqual(onDisk.sort());
    expect(operations.map((op) => `${op.method} ${op.path}`).sort()).toEqual(onDisk.sort());
  });

  it("is OpenAPI 3.1 in structure: version, info, paths, components, bearer security and unique operation ids", () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(String(document.components.securitySchemes.bearerAuth!.bearerFormat)).toContain("vf_");
    const ids = new Set<string>();
    for (const [template, item] of Object.entries(document.paths)) {
      expect(template.startsWith("/")).toBe(true);
      for (const operation of Object.values(item)) {
        const id = operation.operationId as string;
        expect(ids.has(id), `duplicate ${id}`).toBe(false);
        ids.add(id);
        expect(Object.keys(operation.responses as TJson).length).toBeGreaterThan(0);
        for (const status of Object.keys(operation.responses as TJson)) expect(status).toMatch(/^[1-5]\d\d$/);
        // Every {param} of the path is a required path parameter, and no other.
        const declared = ((operation.parameters as { in: string; name: string; required?: boolean }[] | undefined) ?? []).filter((p) => p.in === "path");
        const inTemplate = [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
        expect(declared.map((p) => p.name).sort()).toEqual(inTemplate.sort());
        for (const parameter of declared) expect(parameter.required).toBe(true);
      }
    }
    // Every reference points at a component that exists.
    expect(() => deref(document.paths, document.components.schemas)).not.toThrow();
  });

  it("names each keyed operation's scope (x-required-scopes and the description), and marks the document itself public", () => {
    for (const operation of operations) {
      const rendered = document.paths[operation.path]![operation.method.toLowerCase()]!;
      if (operation.scope) {
        expect(API_SCOPES).toContain(operation.scope);
        expect(rendered["x-required-scopes"]).toEqual([operation.scope]);
        expect(rendered.description).toContain(`\`${operation.scope}\``);
        expect(rendered.security).toBeUndefined();
      } else {
        expect(rendered.security).toEqual([]);
      }
    }
  });

  it("gives each response, error and request body the schema generated from the routes' own zod schemas", () => {
    const components = document.components.schemas;
    for (const operation of operations) {
      const rendered = document.paths[operation.path]![operation.method.toLowerCase()]! as {
        responses: Record<string, { content: Record<string, { schema: unknown }> }>;
        requestBody?: { content: Record<string, { schema: unknown }> };
      };
      const specs = operation.responses as Record<number, { schema: z.ZodType }>;
      for (const [status, spec] of Object.entries(specs)) {
        expect(deref(rendered.responses[status]!.content["application/json"]!.schema, components), `${operation.operationId} ${status}`).toEqual(
          generated(spec.schema, "output"),
        );
      }
      for (const status of errorStatusesOf(operation)) {
        expect(deref(rendered.responses[String(status)]!.content["application/json"]!.schema, components)).toEqual(generated(ZApiError, "output"));
      }
      if (operation.body) expect(deref(rendered.requestBody!.content["application/json"]!.schema, components)).toEqual(generated(operation.body, "input"));
      else expect(rendered.requestBody).toBeUndefined();
    }
  });

  it("documents strict request bodies and responses: unknown fields are not allowed", () => {
    const components = document.components.schemas as Record<string, { additionalProperties?: unknown }>;
    for (const name of ["StartRunRequest", "RunStarted", "RunSummary", "RunDetail", "FlowSummary", "FlowDetail", "Error"]) {
      expect(components[name]?.additionalProperties, name).toBe(false);
    }
  });
});
