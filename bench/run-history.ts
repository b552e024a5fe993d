// Run history at scale: 1,000,000 runs (3 step records each) across 100 flows in 20
// projects, then the runs list (lib/server/runs/list-runs.ts, what the runs page and
// GET /api/projects/[projectId]/runs call) per filter, its EXPLAIN plans, the flow
// page's success rate, and retention pruning 100k expired runs while runs start.
// Run: npm run bench:run-history [-- --database-url=postgresql://postgres@127.0.0.1:5432/postgres --calls=50 --runs=1000000 --single-statement-prune]
// A throwaway database is made on that local server (TEST_DATABASE_URL by default) and
// dropped at the end; non-local hosts are refused. See bench/README.md, "Run history".
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The data layer starts with `import "server-only"`, which resolves only under the
// react-server condition (as in Next.js's server bundle): re-run under it.
if (!process.execArgv.includes("--conditions=react-server")) {
  const args = ["--conditions=react-server", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  process.exit(spawnSync(process.execPath, args, { stdio: "inherit" }).status ?? 1);
}

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const CALLS = Number(arg("calls") ?? 50);
const RUNS = Number(arg("runs") ?? 1_000_000);
const EXPIRED = Math.round(RUNS / 10);
const PROJECTS = 20;
const FLOWS = 100;
const isSingleStatement = process.argv.includes("--single-statement-prune");
const START_INTERVAL_MS = 25; // 40 run starts a second, open loop
const BASELINE_MS = 10_000;

const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const serverUrl = arg("database-url") || process.env.TEST_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-bench-runs-"));
Object.assign(process.env, {
  TEST_DATABASE_URL: serverUrl,
  DATA_DIR: dataDir,
  AUTH_SECRET: key(11),
  PASSWORD_PEPPER: key(12),
  ENCRYPTION_KEYS: `bench:${key(13)}`,
  LOG_LEVEL: "warn",
});

const { assertLocalDatabaseUrl, createTestDatabase } = await import("../tests/support/test-database");
assertLocalDatabaseUrl(serverUrl);
const database = await createTestDatabase();
if (database.kind !== "server") throw new Error("the bench needs a PostgreSQL server");
const { registerDatabase } = await import("../lib/db/registry");
registerDatabase({ connectionString: database.connectionString, poolMax: 5, embedded: false });
const { getDb, disconnectDb } = await import("../lib/server/db");
const { Prisma } = await import("../prisma/generated/client");
const { listRuns, listRunsQuery } = await import("../lib/server/runs/list-runs");
const { ZListRunsInput } = await import("../lib/server/runs/run-schemas");
const { getFlowRunStats } = await import("../lib/server/runs/get-flow-run-stats");
const { pruneExpiredRecords } = await import("../lib/server/maintenance/prune-expired-records");
const { startRun } = await import("../lib/server/runs/start-run");

const load = () =>
  os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`;
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

try {
  const db = getDb();
  const now = new Date();
  // --- projects, owners, flows: through Prisma (120 rows); runs and steps: set-based SQL.
  const nodes = [
    { id: "trigger", type: "trigger.webhook", name: "Order webhook", config: {}, ui: { x: 0, y: 0 } },
    { id: "fetch", type: "step.http", name: "Fetch order", config: {}, ui: { x: 250, y: 0 } },
    { id: "shape", type: "step.transform", name: "Shape invoice", config: { expression: "trigger" }, ui: { x: 500, y: 0 } },
    { id: "notify", type: "step.http", name: "Notify accounting", config: {}, ui: { x: 750, y: 0 } },
  ];
  const edges = [
    { id: "e1", source: "trigger", target: "fetch" },
    { id: "e2", source: "fetch", target: "shape" },
    { id: "e3", source: "shape", target: "notify" },
  ];
  const document = { schemaVersion: 1, nodes, edges };
  const seedStart = performance.now();
  const projects: { id: string; ownerId: string; flowIds: string[] }[] = [];
  for (let p = 0; p < PROJECTS; p += 1) {
    const owner = await db.user.create({ data: { email: `bench-${p}@example.com` }, select: { id: true } });
    const project = await db.project.create({
      data: { name: `Bench ${p}`, memberships: { create: { userId: owner.id, role: "OWNER" } } },
      select: { id: true },
    });
    const flowIds: string[] = [];
    for (let f = 0; f < FLOWS / PROJECTS; f += 1) {
      const flow = await db.flow.create({ data: { projectId: project.id, name: `Flow ${p}-${f}`, draft: document, isActive: true }, select: { id: true } });
      const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document }, select: { id: true } });
      await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
      flowIds.push(flow.id);
    }
    projects.push({ id: project.id, ownerId: owner.id, flowIds });
  }
  // Runs: flow g % 100; the newest 90% over the last 29 days, the oldest 10% finished
  // 31-40 days ago (past the default 30-day retention: the prune's 100k). Statuses 90%
  // succeeded, 6% failed, 2% cancelled (queued/running among the newest 2,000); triggers
  // 60% webhook, 25% schedule, 10% manual, 3% re-run, 2% retry.
  const recent = RUNS - EXPIRED;
  await db.$executeRawUnsafe(`SELECT setseed(0.42)`);
  const [runsMs] = await time(
    () =>
      db.$executeRaw`
      WITH f AS (SELECT (row_number() OVER (ORDER BY id) - 1)::int AS i, id, "projectId", "activeVersionId" FROM flows),
      g AS (SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4 FROM generate_series(0, ${RUNS - 1}::int) g),
      t AS (
        SELECT g.*, f.id AS "flowId", f."projectId", f."activeVersionId",
          CASE WHEN g.g < ${recent}::int
            THEN ${now}::timestamp - (g.g::float8 / ${recent}::int * 29 * 86400 + g.r4) * interval '1 second'
            ELSE ${now}::timestamp - interval '31 days' - ((g.g - ${recent}::int)::float8 / ${EXPIRED}::int * 9 * 86400) * interval '1 second'
          END AS created,
          CASE WHEN g.r1 < 0.90 THEN 'SUCCEEDED' WHEN g.r1 < 0.96 THEN 'FAILED'
            WHEN g.g < 2000 THEN (CASE WHEN g.r1 < 0.99 THEN 'RUNNING' ELSE 'QUEUED' END) ELSE 'CANCELLED' END AS status,
          CASE WHEN g.r2 < 0.60 THEN 'webhook' WHEN g.r2 < 0.85 THEN 'schedule' WHEN g.r2 < 0.95 THEN 'manual' WHEN g.r2 < 0.98 THEN 'rerun' ELSE 'retry' END AS trigger
        FROM g JOIN f ON f.i = g.g % ${FLOWS}::int
      )
      INSERT INTO flow_runs (id, "projectId", "flowId", "versionId", status, trigger, error, "failedNodeId", "failedStepName", "startedAt", "finishedAt", "createdAt")
      SELECT gen_random_uuid(), "projectId", "flowId", "activeVersionId", status::"RunStatus", trigger,
        CASE WHEN status = 'FAILED' THEN 'The service answered 502.' END,
        CASE WHEN status = 'FAILED' THEN (ARRAY['fetch', 'shape', 'notify'])[1 + g % 3] END,
        CASE WHEN status = 'FAILED' THEN (ARRAY['Fetch order', 'Shape invoice', 'Notify accounting'])[1 + g % 3] END,
        CASE WHEN status <> 'QUEUED' THEN created + interval '40 milliseconds' END,
        CASE WHEN status IN ('SUCCEEDED', 'FAILED', 'CANCELLED') THEN created + interval '40 milliseconds' + (r3 * 4000) * interval '1 millisecond' END,
        date_trunc('milliseconds', created)
      FROM t`,
  );
  // Step records: one per step reached (a failed run stops at its failed step), with a
  // sealed-record-sized text, as run-log.ts stores them.
  const [stepsMs, steps] = await time(
    () =>
      db.$executeRaw`
      INSERT INTO flow_run_steps (id, "runId", "nodeId", status, attempts, "startedAt", "finishedAt", "recordSealed")
      SELECT gen_random_uuid(), r.id, n.node, CASE WHEN r."failedNodeId" = n.node THEN 'failed' WHEN r.status = 'RUNNING' AND n.k = 3 THEN 'running' ELSE 'succeeded' END, 1,
        r."startedAt" + (n.k - 1) * interval '10 milliseconds', CASE WHEN r.status = 'RUNNING' AND n.k = 3 THEN NULL ELSE r."startedAt" + n.k * interval '10 milliseconds' END,
        'v1.bench.' || repeat('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo', 5)
      FROM flow_runs r CROSS JOIN (VALUES (1, 'fetch'), (2, 'shape'), (3, 'notify')) AS n(k, node)
      WHERE r.status <> 'QUEUED'
        AND (r."failedNodeId" IS NULL OR n.k <= array_position(ARRAY['fetch', 'shape', 'notify'], r."failedNodeId"))`,
  );
  const [vacuumMs] = await time(() => db.$executeRawUnsafe(`VACUUM (ANALYZE) flow_runs, flow_run_steps`));
  const sizes = await db.$queryRaw<{ runs: string; steps: string }[]>`
    SELECT pg_size_pretty(pg_total_relation_size('flow_runs')) AS runs, pg_size_pretty(pg_total_relation_size('flow_run_steps')) AS steps`;
  console.log(`\n## Seed (load ${load()})\n`);
  console.log(
    `${RUNS} runs in ${(runsMs / 1000).toFixed(1)} s, ${steps} step records in ${(stepsMs / 1000).toFixed(1)} s, VACUUM ANALYZE ${(vacuumMs / 1000).toFixed(1)} s; total ${((performance.now() - seedStart) / 1000).toFixed(1)} s.`,
  );
  console.log(`flow_runs ${sizes[0]!.runs} with indexes, flow_run_steps ${sizes[0]!.steps}.`);

  // --- the runs list, per filter.
  const project = projects[0]!;
  const userId = project.ownerId;
  const sample = (await db.flowRun.findFirst({
    where: { projectId: project.id, status: "FAILED" },
    orderBy: { createdAt: "asc" },
    skip: Math.floor((RUNS / PROJECTS) * 0.03),
    select: { id: true },
  }))!;
  const day = 86_400_000;
  const walk = async (filter: Record<string, string>, pages: number) => {
    let cursor: string | null = null;
    for (let i = 1; i < pages; i += 1) {
      cursor = (await listRuns(userId, project.id, { ...filter, ...(cursor ? { cursor } : {}) })).nextCursor;
      if (!cursor) throw new Error(`ran out of pages at ${i}`);
    }
    return { ...filter, cursor: cursor! };
  };
  // Page 50 of the failed runs at 1M; fewer pages exist in a smaller --runs.
  const failedPage = Math.min(50, Math.floor(((RUNS / PROJECTS) * 0.05) / 25));
  const shapes: [string, Record<string, string>][] = [
    ["no filter, page 1", {}],
    ["status FAILED", { status: "FAILED" }],
    ["status QUEUED (rare)", { status: "QUEUED" }],
    ["flow", { flowId: project.flowIds[2]! }],
    ["trigger manual", { trigger: "manual" }],
    ["trigger retry + status FAILED", { trigger: "retry", status: "FAILED" }],
    ["flow + status FAILED + trigger webhook", { flowId: project.flowIds[2]!, status: "FAILED", trigger: "webhook" }],
    ["time range (one day, 10 days ago)", { from: new Date(now.getTime() - 10 * day).toISOString(), to: new Date(now.getTime() - 9 * day).toISOString() }],
    ["run id (full)", { run: sample.id }],
    ["run id (8-character prefix)", { run: sample.id.slice(0, 8) }],
    ["page 2 (keyset cursor)", await walk({}, 2)],
    ["page 50 (keyset cursor)", await walk({}, 50)],
    [`status FAILED, page ${failedPage}`, await walk({ status: "FAILED" }, failedPage)],
  ];
  const results: { shape: string; rows: number; p50: number; p95: number; load: string }[] = [];
  for (const [shape, filter] of shapes) {
    const timings: number[] = [];
    let rows = 0;
    for (let i = 0; i < CALLS; i += 1) {
      const [took, page] = await time(() => listRuns(userId, project.id, filter));
      timings.push(took);
      rows = page.runs.length;
    }
    timings.sort((a, b) => a - b);
    results.push({ shape, rows, p50: percentile(timings, 50), p95: percentile(timings, 95), load: load() });
  }
  const statsTimings: number[] = [];
  for (let i = 0; i < CALLS; i += 1) statsTimings.push((await time(() => getFlowRunStats(userId, project.flowIds[2]!)))[0]);
  statsTimings.sort((a, b) => a - b);
  results.push({
    shape: "flow page success rate (getFlowRunStats)",
    rows: 1,
    p50: percentile(statsTimings, 50),
    p95: percentile(statsTimings, 95),
    load: load(),
  });

  console.log(`\n## Runs list at ${RUNS} runs: ${CALLS} calls each, one project of ${PROJECTS} (${RUNS / PROJECTS} runs), 25 per page\n`);
  console.log("| query | rows | p50 | p95 | load (1/5/15 min) |\n|---|---|---|---|---|");
  for (const r of results) console.log(`| ${r.shape} | ${r.rows} | ${ms(r.p50)} | ${ms(r.p95)} | ${r.load} |`);

  console.log(`\n## EXPLAIN (ANALYZE, BUFFERS) of each shape (the statement listRuns sends)\n`);
  for (const [shape, filter] of shapes) {
    const query = listRunsQuery(userId, project.id, ZListRunsInput.parse(filter));
    const plan = await db.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN (ANALYZE, BUFFERS) ${query}`);
    console.log(`### ${shape}\n\`\`\`\n${plan.map((line) => line["QUERY PLAN"]).join("\n")}\n\`\`\`\n`);
  }

  // --- retention: prune the 100k expired runs (and their step records) while runs start.
  const flow = await db.flow.findUniqueOrThrow({ where: { id: project.flowIds[0]! }, select: { id: true, projectId: true, activeVersionId: true } });
  const startOne = () =>
    startRun({ flowId: flow.id, payload: { n: 1 }, trigger: "webhook", userId: null, projectId: flow.projectId, versionId: flow.activeVersionId! });
  const startRuns = async (until: () => boolean, minMs: number) => {
    const latencies: number[] = [];
    const inFlight: Promise<void>[] = [];
    const begin = performance.now();
    while (performance.now() - begin < minMs || !until()) {
      const at = performance.now();
      inFlight.push(startOne().then(() => void latencies.push(performance.now() - at)));
      await new Promise((resolve) => setTimeout(resolve, START_INTERVAL_MS));
    }
    await Promise.all(inFlight);
    return latencies.sort((a, b) => a - b);
  };
  await startRuns(() => true, 1000); // warm-up: version document cache, pool
  const baseline = await startRuns(() => true, BASELINE_MS);
  const baselineLoad = load();
  const expiredBefore = await db.flowRun.count({ where: { finishedAt: { lt: new Date(now.getTime() - 30 * day) } } });
  let pruneDone = false;
  const pruneStart = performance.now();
  // --single-statement-prune: the unbatched DELETE retention used before, for comparison.
  const prune = (
    isSingleStatement
      ? db.$executeRaw`DELETE FROM flow_runs WHERE "finishedAt" < ${new Date(now.getTime() - 30 * day)}`.then((runs) => ({ runs }))
      : pruneExpiredRecords(365, now, { runRetentionDays: 30, runRetryWindowDays: 7 })
  ).finally(() => {
    pruneDone = true;
  });
  const during = await startRuns(() => pruneDone, 2000);
  const pruned = await prune;
  const pruneMs = performance.now() - pruneStart;
  const pruneLoad = load();
  console.log(`\n## Retention: ${expiredBefore} expired runs pruned while runs start (${1000 / START_INTERVAL_MS}/s, startRun webhook path)\n`);
  console.log(
    `${isSingleStatement ? "One DELETE statement" : "pruneExpiredRecords"} deleted ${pruned.runs} runs (and their step records by cascade) in ${(pruneMs / 1000).toFixed(1)} s.\n`,
  );
  console.log("| run starts | count | p50 | p99 | max | load (1/5/15 min) |\n|---|---|---|---|---|---|");
  for (const [label, l, at] of [
    ["without prune", baseline, baselineLoad],
    ["during prune", during, pruneLoad],
  ] as const) {
    console.log(`| ${label} | ${l.length} | ${ms(percentile(l, 50))} | ${ms(percentile(l, 99))} | ${ms(l[l.length - 1]!)} | ${at} |`);
  }
  console.log(
    "\n" +
      JSON.stringify({
        runs: RUNS,
        list: results.map((r) => ({ shape: r.shape, p50: +r.p50.toFixed(2), p95: +r.p95.toFixed(2) })),
        prune: { runs: pruned.runs, seconds: +(pruneMs / 1000).toFixed(1) },
        starts: {
          baseline: { p50: percentile(baseline, 50), p99: percentile(baseline, 99) },
          duringPrune: { p50: percentile(during, 50), p99: percentile(during, 99) },
        },
      }),
  );
} finally {
  await disconnectDb();
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
