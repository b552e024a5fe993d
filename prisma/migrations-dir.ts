// Reads prisma/migrations in the shape Prisma's schema engine expects, so the same
// folder works with `prisma migrate deploy` wherever Prisma's native binary exists.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { MigrationList } from "@prisma/schema-engine-wasm/schema_engine_bg";

export const prismaDir = path.dirname(fileURLToPath(import.meta.url));
export const migrationsDir = path.join(prismaDir, "migrations");
export const schemaPath = path.join(prismaDir, "schema.prisma");

export function readSchema(): string {
  return readFileSync(schemaPath, "utf8");
}

export function listMigrationNames(baseDir = migrationsDir): string[] {
  if (!existsSync(baseDir)) return [];
  return readdirSync(baseDir)
    .filter((name) => statSync(path.join(baseDir, name)).isDirectory())
    .sort();
}

export function readMigrationList(baseDir = migrationsDir): MigrationList {
  const lockPath = path.join(baseDir, "migration_lock.toml");
  return {
    baseDir,
    lockfile: {
      path: "migration_lock.toml",
      content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: listMigrationNames(baseDir).map((name) => {
      const file = path.join(baseDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file) ? { tag: "ok" as const, value: readFileSync(file, "utf8") } : { tag: "error" as const, value: `${file} is missing` },
        },
      };
    }),
  };
}
