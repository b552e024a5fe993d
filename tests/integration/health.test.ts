import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { registerDatabase } from "@/lib/db/registry";
import { recordShippedMigrations } from "@/lib/db/shipped-migrations";
import { disconnectDb } from "@/lib/server/db";
import { checkDatabase } from "@/lib/server/health/check-database";
import { markRunDriverStarted, markRunDriverStopped } from "@/lib/server/health/run-driver-state";
import { GET } from "@/app/api/health/route";
import { APP_VERSION } from "@/lib/version";
import { listMigrationNames } from "@/prisma/migrations-dir";
import { setupTestDatabase } from "../support/setup-test-database";

const database = setupTestDatabase();

describe("GET /api/health", () => {
  // /api/health is readiness (issue 17): what server.ts and instrumentation.ts record at start.
  beforeAll(() => {
    recordShippedMigrations(listMigrationNames());
    markRunDriverStarted("embedded");
  });
  afterAll(() => markRunDriverStopped());

  afterEach(async () => {
    // Point the app back at the live test database after a test that broke it.
    await disconnectDb();
    const db = database.current();
    registerDatabase({ connectionString: db.connectionString, poolMax: 1, embedded: db.kind === "embedded" });
  });

  it("reports the version and a working database with 200", async () => {
    expect(await checkDatabase()).toBe("ok");
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok", version: APP_VERSION, database: "ok" });
  });

  it("answers 503 when the database does not answer", async () => {
    await disconnectDb();
    // Port 9 (discard) on loopback has no PostgreSQL: the connection is refused.
    registerDatabase({ connectionString: "postgresql://postgres@127.0.0.1:9/none", poolMax: 1, embedded: false });
    const started = Date.now();
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable", version: APP_VERSION, database: "unavailable" });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
