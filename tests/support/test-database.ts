// A real PostgreSQL database per test file: a new database on TEST_DATABASE_URL's
// server when it is set (CI points it at the machine's PostgreSQL), otherwise an
// in-memory embedded PostgreSQL, so `npm test` also passes with no server at all.
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyPendingMigrations } from "@/prisma/migrator";

export type TestDatabase = {
  connectionString: string;
  kind: "server" | "embedded";
  drop: () => Promise<void>;
};

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/**
 * Tests create and drop databases: refuse anything that is not on this machine, so a
 * production URL pasted into TEST_DATABASE_URL can never be touched.
 */
export function assertLocalDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("TEST_DATABASE_URL is not a valid URL");
  }
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) {
    throw new Error("TEST_DATABASE_URL must be a postgres:// or postgresql:// URL");
  }
  const socketHost = parsed.searchParams.get("host");
  const host = parsed.hostname;
  const isLocal = socketHost ? socketHost.startsWith("/") && (host === "" || LOCAL_HOSTS.has(host)) : LOCAL_HOSTS.has(host);
  if (!isLocal) {
    throw new Error(`Refusing to run tests against a non-local database host (${socketHost ?? host}).`);
  }
}

export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || undefined;
}

export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const migrate = options.migrate ?? true;
  const serverUrl = testDatabaseUrl();
  if (serverUrl) {
    assertLocalDatabaseUrl(serverUrl);
    const name = `vaultflow_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE "${name}"`);
    } finally {
      await admin.end();
    }
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const connectionString = url.toString();
    if (migrate) await applyPendingMigrations(connectionString);
    return {
      connectionString,
      kind: "server",
      drop: async () => {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        try {
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await client.end();
        }
      },
    };
  }
  const socketDir = path.join(os.tmpdir(), `vaultflow-test-${process.pid}-${randomBytes(4).toString("hex")}`);
  const embedded = await startEmbeddedPostgres({ dataDir: null, socketDir });
  if (migrate) await applyPendingMigrations(embedded.connectionString);
  return { connectionString: embedded.connectionString, kind: "embedded", drop: embedded.stop };
}
