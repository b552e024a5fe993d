// Generates the Prisma client without downloading anything.
// `prisma generate` only needs the schema; the CLI still insists on a schema-engine
// binary path (which generate never runs), and fetching one needs the internet.
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at an existing file satisfies the check, so
// installs work on air-gapped machines. Migrations use the Wasm engine instead
// (prisma/migrator.ts).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const result = spawnSync(process.execPath, [path.join(root, "node_modules", "prisma", "build", "index.js"), "generate", "--schema", "prisma/schema.prisma"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});
process.exit(result.status ?? 1);
