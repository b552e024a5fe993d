// Key rotation only reaches the columns listed in lib/server/keys/sealed-columns.ts. A
// sealed column added to the schema without an entry would keep its old key forever,
// and removing that key would lose its values: this test fails first.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SEALED_COLUMNS } from "@/lib/server/keys/sealed-columns";

type SchemaField = { model: string; table: string; field: string; column: string; type: string };

/** The scalar fields of prisma/schema.prisma with their table and column names (@@map / @map). */
function readSchemaFields(): SchemaField[] {
  const schema = readFileSync(path.join(process.cwd(), "prisma/schema.prisma"), "utf8");
  const fields: SchemaField[] = [];
  for (const match of schema.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)) {
    const [, model, body] = match as unknown as [string, string, string];
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1] ?? model;
    for (const line of body.split("\n")) {
      const field = /^\s+(\w+)\s+(\w+)(\??|\[\])/.exec(line);
      if (!field) continue;
      const column = /@map\("([^"]+)"\)/.exec(line)?.[1] ?? field[1]!;
      fields.push({ model, table, field: field[1]!, column, type: field[2]! });
    }
  }
  return fields;
}

describe("sealed-column registry", () => {
  const fields = readSchemaFields();

  it("reads the schema (sanity: the known sealed columns are found)", () => {
    expect(fields.length).toBeGreaterThan(50);
    expect(fields.filter((f) => f.column.endsWith("Sealed")).map((f) => `${f.table}.${f.column}`)).toEqual(
      expect.arrayContaining(["connections.secretSealed", "oauth_states.verifierSealed", "users.totpSecretSealed"]),
    );
  });

  it("has an entry for every String column whose name ends in Sealed", () => {
    const sealed = fields.filter((f) => f.type === "String" && (f.column.endsWith("Sealed") || f.field.endsWith("Sealed")));
    const registered = new Set(SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`));
    const missing = sealed.filter((f) => !registered.has(`${f.table}.${f.column}`)).map((f) => `${f.model}.${f.field}`);
    expect(missing, "add these to lib/server/keys/sealed-columns.ts").toEqual([]);
  });

  it("names real tables, columns and primary keys", () => {
    for (const entry of SEALED_COLUMNS) {
      const own = fields.filter((f) => f.model === entry.model);
      expect(
        own.find((f) => f.field === entry.field),
        `${entry.model}.${entry.field}`,
      ).toMatchObject({
        table: entry.table,
        column: entry.column,
        type: "String",
      });
      const rowColumns = Object.values(entry.context).flatMap((sql) => [...sql.matchAll(/\bt\."(\w+)"/g)].map((m) => m[1]!));
      for (const column of [...entry.primaryKey.map((k) => k.column), ...rowColumns]) {
        expect(
          own.map((f) => f.column),
          `${entry.table}.${column}`,
        ).toContain(column);
      }
    }
  });
});
