// Start-up: find the database (external or embedded), bring its schema up to date,
// and register it for the data layer.
import path from "node:path";
import type { Logger } from "pino";
import type { TEnv } from "../env";
import { applyPendingMigrations } from "../../prisma/migrator";
import { listMigrationNames } from "../../prisma/migrations-dir";
import { startEmbeddedPostgres } from "./embedded-postgres";
import { registerDatabase, type DatabaseTarget } from "./registry";
import { recordShippedMigrations } from "./shipped-migrations";

export type PreparedDatabase = DatabaseTarget & { stop: () => Promise<void> };

/** `migrate: false` for a process started after another one of the same release migrated (the auth process). */
export async function prepareDatabase(env: TEnv, log: Logger, options: { migrate?: boolean } = {}): Promise<PreparedDatabase> {
  let target: PreparedDatabase;
  if (env.DATABASE_URL) {
    target = { connectionString: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX, embedded: false, stop: async () => {} };
  } else {
    const dataDir = path.resolve(env.DATA_DIR);
    const embedded = await startEmbeddedPostgres({ dataDir, socketDir: path.join(dataDir, "run") });
    log.info({ dataDir }, "embedded PostgreSQL started (set DATABASE_URL to use an external server)");
    target = { connectionString: embedded.connectionString, poolMax: 1, embedded: true, stop: embedded.stop };
  }
  if (options.migrate !== false) {
    try {
      const applied = await applyPendingMigrations(target.connectionString);
      log.info({ applied }, applied.length ? "database migrations applied" : "database schema is up to date");
    } catch (error) {
      await target.stop();
      throw error;
    }
  }
  // Readiness compares the database's applied migrations with these folders.
  recordShippedMigrations(listMigrationNames());
  registerDatabase(target);
  return target;
}
