// npm run db:migration -- <name>: writes a migration for the change in schema.prisma.
import path from "node:path";
import { createMigration } from "../migrator";

const name = process.argv[2];
if (!name) {
  console.error("Usage: npm run db:migration -- <name>   (for example: npm run db:migration -- add_projects)");
  process.exit(2);
}
try {
  const folder = await createMigration(name);
  if (folder) {
    console.log(`Wrote ${path.relative(process.cwd(), folder)}/migration.sql. Review it, then commit it.`);
  } else {
    console.log("schema.prisma and prisma/migrations already agree: no migration written.");
  }
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
