import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMigrationNames, schemaPath } from "@/prisma/migrations-dir";
import { applyPendingMigrations, diffMigrationsToSchema } from "@/prisma/migrator";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("migrations", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("apply every migration in the folder to an empty database, then nothing on a second run", async () => {
    const expected = listMigrationNames();
    expect(expected.length).toBeGreaterThan(0);
    expect(await applyPendingMigrations(db.connectionString)).toEqual(expected);
    expect(await applyPendingMigrations(db.connectionString)).toEqual([]);

    const client = new pg.Client({ connectionString: db.connectionString });
    await client.connect();
    try {
      const recorded = await client.query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name");
      expect(recorded.rows.map((r) => r.migration_name)).toEqual(expected);
      // The schema is usable: a user row round-trips and the email is unique.
      await client.query(`INSERT INTO users (id, email, "updatedAt") VALUES (gen_random_uuid(), 'a@example.com', now())`);
      await expect(client.query(`INSERT INTO users (id, email, "updatedAt") VALUES (gen_random_uuid(), 'a@example.com', now())`)).rejects.toThrow(/unique/i);
    } finally {
      await client.end();
    }
  });
});

describe("schema.prisma and prisma/migrations", () => {
  it("agree (run `npm run db:migration -- <name>` after changing the schema)", async () => {
    expect(await diffMigrationsToSchema()).toBe("");
  });

  it("disagree as soon as the schema gains a field no migration creates", async () => {
    const changed = readFileSync(schemaPath, "utf8").replace(/model User \{/, "model User {\n  nickname String?");
    const sql = await diffMigrationsToSchema({ schemaText: changed });
    expect(sql).toMatch(/ALTER TABLE "users" ADD COLUMN\s+"nickname" TEXT/);
  });
});
