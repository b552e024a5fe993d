import "server-only";
import { getShippedMigrations } from "@/lib/db/shipped-migrations";
import { getDb } from "../db";
import { withTimeout } from "./with-timeout";

/** "pending": a migration this build ships is not applied; "unknown": not recorded at start, or the database did not answer. */
export type TMigrationsHealth = "ok" | "pending" | "unknown";

/** Every migration folder the app shipped has a finished, not rolled back, row in _prisma_migrations. */
export async function checkMigrations(timeoutMs = 2_000): Promise<TMigrationsHealth> {
  const shipped = getShippedMigrations();
  if (!shipped) return "unknown";
  try {
    const rows = await withTimeout(
      getDb().$queryRaw<{ name: string }[]>`
        SELECT migration_name AS name FROM _prisma_migrations
        WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      timeoutMs,
      "migrations check",
    );
    const applied = new Set(rows.map((row) => row.name));
    return shipped.every((name) => applied.has(name)) ? "ok" : "pending";
  } catch {
    return "unknown";
  }
}
