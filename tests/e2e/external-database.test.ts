import { mkdtempSync, rmSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMigrationNames } from "@/prisma/migrations-dir";
import { startAppServer } from "../support/app-server";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-external-"));
let database: TestDatabase;

beforeAll(async () => {
  // An empty database: the app must migrate it itself.
  database = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("DATABASE_URL", () => {
  it("runs the app on that server after migrating it, with no embedded database", async () => {
    const server = await startAppServer({
      dataDir,
      env: {
        DATABASE_URL: database.connectionString,
        APP_URL: "https://flows.example.com",
        AUTH_SECRET: key(1),
        PASSWORD_PEPPER: key(2),
        ENCRYPTION_KEYS: `k1:${key(3)}`,
      },
    });
    try {
      const health = await fetch(`${server.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", database: "ok" });
      expect(existsSync(path.join(dataDir, "postgres"))).toBe(false);
      expect(existsSync(path.join(dataDir, "secrets.json"))).toBe(false);

      const client = new pg.Client({ connectionString: database.connectionString });
      await client.connect();
      try {
        const rows = await client.query("SELECT migration_name FROM _prisma_migrations ORDER BY migration_name");
        expect(rows.rows.map((r) => r.migration_name)).toEqual(listMigrationNames());
      } finally {
        await client.end();
      }
    } finally {
      await server.stop();
    }
  });
});
