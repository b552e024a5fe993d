// Key rotation throughput: seeds sealed connection rows into a throwaway database and
// times rotateSealedValues moving them all from key A to key B.
// Run: npm run bench:rotation [-- rows [batch-size]]   (default 100000 rows, batches of 500)
// The database is an in-memory embedded PostgreSQL (PGlite), or a new database on
// TEST_DATABASE_URL's server when that is set (the same helper the integration tests use).
// See bench/README.md.
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

// The data layer starts with `import "server-only"`, which resolves only under the
// react-server condition (as in Next.js's server bundle): re-run under it.
if (!process.execArgv.includes("--conditions=react-server")) {
  const args = ["--conditions=react-server", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  process.exit(spawnSync(process.execPath, args, { stdio: "inherit" }).status ?? 1);
}

const [rowsArg, batchArg] = process.argv.slice(2).filter((arg) => arg !== "--");
const ROWS = Number(rowsArg ?? 100_000);
const BATCH_SIZE = Number(batchArg ?? 500);
const SEED_CHUNK = 2_000;

const { createTestDatabase } = await import("../tests/support/test-database");
const { registerDatabase } = await import("../lib/db/registry");
const { getDb, disconnectDb } = await import("../lib/server/db");
const { seal } = await import("../lib/crypto/seal");
const { connectionSecretContext } = await import("../lib/server/connections/connection-secret");
const { rotateSealedValues } = await import("../lib/server/keys/rotate-sealed-values");
const { countSealedValuesByKey } = await import("../lib/server/keys/count-sealed-values-by-key");

const keyA = { id: "a", key: randomBytes(32) };
const keyB = { id: "b", key: randomBytes(32) };

const database = await createTestDatabase();
registerDatabase({ connectionString: database.connectionString, poolMax: database.kind === "embedded" ? 1 : 5, embedded: database.kind === "embedded" });
const db = getDb();
try {
  const projectId = randomUUID();
  await db.$executeRawUnsafe(`INSERT INTO "projects" ("id", "name", "updatedAt") VALUES ($1::uuid, 'bench', now())`, projectId);
  const seedStart = performance.now();
  for (let offset = 0; offset < ROWS; offset += SEED_CHUNK) {
    const ids: string[] = [];
    const names: string[] = [];
    const sealed: string[] = [];
    for (let i = offset; i < Math.min(ROWS, offset + SEED_CHUNK); i++) {
      const id = randomUUID();
      ids.push(id);
      names.push(`connection ${i}`);
      // A typical API-key secret (about 60 bytes of JSON).
      sealed.push(seal(JSON.stringify({ apiKey: `sk_live_${randomBytes(24).toString("hex")}` }), connectionSecretContext(projectId, id), [keyA]));
    }
    await db.$executeRawUnsafe(
      `INSERT INTO "connections" ("id", "projectId", "name", "type", "settings", "secretSealed", "updatedAt")
       SELECT v.id::uuid, $1::uuid, v.name, 'API_KEY', '{}'::jsonb, v.sealed, now()
         FROM unnest($2::text[], $3::text[], $4::text[]) AS v(id, name, sealed)`,
      projectId,
      ids,
      names,
      sealed,
    );
  }
  const seedSeconds = (performance.now() - seedStart) / 1000;

  let lastReport = 0;
  const start = performance.now();
  const result = await rotateSealedValues({
    ring: [keyB, keyA],
    batchSize: BATCH_SIZE,
    onProgress: (p) => {
      if (p.processed - lastReport >= 20_000 || p.processed === p.total) {
        lastReport = p.processed;
        console.error(`${p.column}: ${p.rotated}/${p.total} re-encrypted (${((performance.now() - start) / 1000).toFixed(1)} s)`);
      }
    },
  });
  const seconds = (performance.now() - start) / 1000;
  const rotated = result.columns.reduce((sum, c) => sum + c.rotated, 0);
  const counts = await countSealedValuesByKey();
  if (rotated !== ROWS || counts.some((c) => c.keyId !== "b")) throw new Error(`rotation incomplete: ${JSON.stringify(counts)}`);

  const summary = {
    bench: "rotation",
    database: database.kind === "embedded" ? "embedded PGlite (in memory)" : "PostgreSQL (TEST_DATABASE_URL)",
    rows: ROWS,
    batchSize: BATCH_SIZE,
    seedSeconds: Math.round(seedSeconds * 10) / 10,
    rotateSeconds: Math.round(seconds * 100) / 100,
    valuesPerSecond: Math.round(rotated / seconds),
    node: process.version,
    cpu: os.cpus()[0]?.model ?? "unknown",
    availableParallelism: os.availableParallelism(),
  };
  console.log(
    [
      `Key rotation of ${ROWS} sealed connection secrets, batches of ${BATCH_SIZE}, ${summary.database}, ${summary.cpu} (${summary.availableParallelism} CPUs), Node ${summary.node}`,
      `seeded in ${summary.seedSeconds} s`,
      `rotated ${rotated} values in ${summary.rotateSeconds} s: ${summary.valuesPerSecond} values/s`,
      "",
      JSON.stringify(summary),
    ].join("\n"),
  );
} finally {
  await disconnectDb();
  await database.drop();
}
