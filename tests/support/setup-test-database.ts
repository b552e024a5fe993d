// Vitest wiring: one database for the calling test file, registered as the app's
// database so data functions run against it exactly as they do in the server.
import { afterAll, beforeAll } from "vitest";
import { registerDatabase } from "@/lib/db/registry";
import { disconnectDb } from "@/lib/server/db";
import { createTestDatabase, type TestDatabase } from "./test-database";

export function setupTestDatabase(): { current: () => TestDatabase } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    registerDatabase({
      connectionString: database.connectionString,
      poolMax: database.kind === "embedded" ? 1 : 5,
      embedded: database.kind === "embedded",
    });
  });
  afterAll(async () => {
    await disconnectDb();
    await database?.drop();
  });
  return {
    current: () => {
      if (!database) throw new Error("the test database is not ready yet (use it inside a test or hook)");
      return database;
    },
  };
}
