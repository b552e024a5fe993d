// Webhook → transform → HTTP flow through the real server: trigger-to-completion latency
// unloaded, the sustained run rate under a ladder of fixed request rates, and a burst.
// Run: npm run build && npm run bench:webhook-flow [-- --quick] [-- --embedded] [-- --with-sign-ins]
// Needs PostgreSQL: BENCH_DATABASE_URL (a local server; a throwaway database is made on it
// and dropped at the end), else postgresql://postgres@127.0.0.1:5432/postgres.
// --embedded: the server runs on the embedded database instead (no DATABASE_URL, a fresh
// data folder); the bench seeds and counts through the socket the server serves it on.
// --with-sign-ins: one more phase, a fixed webhook rate without and with sign-ins at full
// speed (bcrypt saturating its processes), in alternating windows, reporting the webhook
// p50/p99 of both sides. --sign-in-load= picks what runs in the busy windows, to tell
// the parts of a sign-in apart (bench/sign-in-clients.ts): `full` (the default, real
// sign-ins), `requests` (the sign-in requests without the password check: a CSRF and a
// session request per client every 2 s) or `cpu` (no request: one bcrypt loop per CPU in
// processes at the lowest priority, as the hasher's).
// The app runs from the production build (server.ts, embedded run driver) as a child
// process; autocannon and the sink share this process, on the same machine. See bench/README.md.
import { fork, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { TSignInCounts } from "./sign-in-clients";
import { SIGN_IN_LOADS, type TSignInLoad } from "./sign-in-request";

// The data layer starts with `import "server-only"`, which resolves only under the
// react-server condition (as in Next.js's server bundle): re-run under it.
if (!process.execArgv.includes("--conditions=react-server")) {
  const args = ["--conditions=react-server", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  process.exit(spawnSync(process.execPath, args, { stdio: "inherit" }).status ?? 1);
}

const isQuick = process.argv.includes("--quick");
const isEmbedded = process.argv.includes("--embedded");
const withSignIns = process.argv.includes("--with-sign-ins");
// --sign-ins-webhook-rate=N: the webhook rate of the sign-in phase (default 50/s, 25 with --quick).
const signInsWebhookRate = Number(process.argv.find((arg) => arg.startsWith("--sign-ins-webhook-rate="))?.split("=")[1] ?? (isQuick ? 25 : 50));
const signInLoad = (process.argv.find((arg) => arg.startsWith("--sign-in-load="))?.slice("--sign-in-load=".length) ?? "full") as TSignInLoad;
if (!SIGN_IN_LOADS.includes(signInLoad)) {
  console.error(`--sign-in-load must be one of ${SIGN_IN_LOADS.join(", ")}`);
  process.exit(2);
}
// Closed-loop sign-in clients: more than the hasher has threads, so bcrypt never idles.
const SIGN_IN_CLIENTS = 8;
const SIGN_IN_USERS = 40;
const SIGN_IN_PASSWORD = "orchard lantern 42 quartz velvet";
// --sign-in-rounds=N: pairs of windows (without, then with sign-ins) in the sign-in phase (default 3, 1 with --quick).
const SIGN_IN_ROUNDS = Number(process.argv.find((arg) => arg.startsWith("--sign-in-rounds="))?.split("=")[1] ?? (isQuick ? 1 : 3));
// --rates=10,20,30 replaces the ladder of offered request rates.
const ratesArg = process.argv.find((arg) => arg.startsWith("--rates="))?.slice("--rates=".length);
const PLAN = isQuick
  ? { unloaded: 20, rates: [25, 50], rateSeconds: 3, burst: 200, burstSeconds: 2, burstWaitMs: 30_000, drainMs: 30_000 }
  : {
      unloaded: 200,
      rates: [10, 20, 25, 30, 35, 40, 50, 100, 150, 200],
      rateSeconds: 20,
      burst: 2000,
      burstSeconds: 10,
      burstWaitMs: 120_000,
      drainMs: 180_000,
    };
// --seconds=N replaces the length of each fixed-rate window.
const secondsArg = Number(process.argv.find((arg) => arg.startsWith("--seconds="))?.slice("--seconds=".length));
if (Number.isInteger(secondsArg) && secondsArg > 0) PLAN.rateSeconds = secondsArg;
if (ratesArg)
  PLAN.rates = ratesArg
    .split(",")
    .map(Number)
    .filter((rate) => Number.isInteger(rate) && rate > 0);
const P99_LIMIT_MS = 1000;

// autocannon ships no types; only what this bench uses.
type TAutocannonRequest = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
type TAutocannonContext = { id?: string; builtAt?: number };
type TAutocannonResult = { errors: number; timeouts: number; non2xx: number };
type TAutocannon = (options: {
  url: string;
  connections: number;
  overallRate: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  requests: {
    method: string;
    headers: Record<string, string>;
    setupRequest: (request: TAutocannonRequest, context: TAutocannonContext) => TAutocannonRequest;
    onResponse: (status: number, body: string, context: TAutocannonContext) => void;
  }[];
}) => Promise<TAutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as TAutocannon;

// Fixed test secrets, shared by this (seeding) process and the server.
const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const SECRETS = { AUTH_SECRET: key(11), PASSWORD_PEPPER: key(12), ENCRYPTION_KEYS: `bench:${key(13)}` };
// Production with DATABASE_URL insists on an https APP_URL; only links use it, requests go to 127.0.0.1.
const APP_URL = "https://bench.example.com";

const { startAppServer } = await import("../tests/support/app-server");
// Everything made from here on is undone in reverse order, whatever happens.
const cleanups: (() => Promise<unknown> | unknown)[] = [];
let database: { connectionString: string } | undefined;
if (!isEmbedded) {
  process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
  const { createTestDatabase } = await import("../tests/support/test-database");
  const created = await createTestDatabase();
  if (created.kind !== "server") throw new Error("the bench needs a PostgreSQL server (BENCH_DATABASE_URL), or --embedded");
  cleanups.push(() => created.drop());
  database = created;
}
try {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-bench-webhook-"));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  // The embedded database is served by the server process on a Unix socket in its data folder.
  const connectionString = database?.connectionString ?? `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(path.join(dataDir, "run"))}`;
  Object.assign(process.env, { ...(database ? { DATABASE_URL: database.connectionString } : {}), DATA_DIR: dataDir, APP_URL, ...SECRETS });

  // --- the sink: the flow's last step posts here; arrival is (to within the 200 it answers) completion.
  const arrivals = new Map<string, number>();
  let sinkErrors = 0;
  const sink = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const at = Date.now();
      try {
        const { id, sentAt } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id: string; sentAt: string };
        if (!arrivals.has(id)) arrivals.set(id, at - Number(sentAt));
      } catch {
        sinkErrors += 1;
      }
      response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => sink.close(resolve).closeAllConnections()));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}/hook`;

  // --- the server, on the same database and secrets. PGlite is one process's: on the
  // embedded database the server starts first and the bench reaches the database
  // through the server's socket; on PostgreSQL the server starts after seeding.
  const workerConcurrency = process.env.BENCH_RUN_WORKER_CONCURRENCY;
  const startServer = () =>
    startAppServer({
      dataDir,
      env: {
        ...(database ? { DATABASE_URL: database.connectionString } : {}),
        APP_URL,
        ...SECRETS,
        OUTBOUND_ALLOW: "127.0.0.1/32",
        LOG_LEVEL: "warn",
        RUN_CONCURRENCY_PER_PROJECT: "64",
        // One client (loopback) drives up to 200 calls/s at one address: far past the flood
        // limits' defaults (600 a minute per address, 1,200 per client). Raised, not turned
        // off, so the limiter's cost stays in what is measured.
        WEBHOOK_RATE_PER_ADDRESS: "1000000",
        WEBHOOK_RATE_PER_CLIENT: "1000000",
        // Sign-in clients each come from their own address (X-Forwarded-For), as real users do.
        ...(withSignIns ? { TRUST_PROXY: "true" } : {}),
        ...(workerConcurrency ? { RUN_WORKER_CONCURRENCY: workerConcurrency } : {}),
        ...(process.env.BENCH_DATABASE_POOL_MAX ? { DATABASE_POOL_MAX: process.env.BENCH_DATABASE_POOL_MAX } : {}),
        // e.g. --require /path/to/profiler-preload.cjs to profile the server (NODE_OPTIONS refuses --cpu-prof).
        ...(process.env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS } : {}),
      },
    });
  const embeddedServer = isEmbedded ? await startServer() : undefined;
  if (embeddedServer) cleanups.push(() => embeddedServer.stop());

  // --- seed through the data layer, as the editor would.
  const { registerDatabase } = await import("../lib/db/registry");
  registerDatabase({ connectionString, poolMax: isEmbedded ? 1 : 2, embedded: isEmbedded });
  const { getDb, disconnectDb } = await import("../lib/server/db");
  const { createProject } = await import("../lib/server/projects/create-project");
  const { createFlow } = await import("../lib/server/flows/create-flow");
  const { saveFlowDraft } = await import("../lib/server/flows/save-flow-draft");
  const { publishFlow } = await import("../lib/server/flows/publish-flow");
  const { setFlowActive } = await import("../lib/server/flows/set-flow-active");
  const { createWebhookAddress } = await import("../lib/server/webhooks/create-webhook-address");

  const meta = { ip: "127.0.0.1", userAgent: "bench" };
  const user = await getDb().user.create({ data: { email: "bench@example.com", name: "Bench" }, select: { id: true } });
  const project = await createProject(user.id, { name: "Bench" }, meta);
  const flow = await createFlow(user.id, { projectId: project.id, name: "Webhook to sink" }, meta);
  const node = (id: string, type: string, name: string, config: Record<string, unknown>, x: number) => ({ id, type, name, config, ui: { x, y: 0 } });
  await saveFlowDraft(user.id, {
    flowId: flow.id,
    revision: 1,
    operations: [
      { op: "remove_node", nodeId: "trigger" },
      { op: "add_node", node: node("trigger", "trigger.webhook", "Webhook", { respondMode: "immediately", responseTimeoutMs: 10_000 }, 0) },
      { op: "add_node", node: node("shape", "step.transform", "Shape", { expression: '{ "id": trigger.body.id, "sentAt": trigger.body.sentAt }' }, 250) },
      {
        op: "add_node",
        node: node(
          "deliver",
          "step.http",
          "Deliver",
          {
            method: "POST",
            url: sinkUrl,
            query: [],
            headers: [],
            body: { kind: "json", json: '{"id": "{{steps.shape.output.id}}", "sentAt": "{{steps.shape.output.sentAt}}"}' },
            connectionId: null,
            timeoutMs: 30_000,
            maxResponseBytes: 1024 * 1024,
          },
          500,
        ),
      },
      { op: "connect", edge: { id: "e1", source: "trigger", target: "shape" } },
      { op: "connect", edge: { id: "e2", source: "shape", target: "deliver" } },
    ],
  });
  await publishFlow(user.id, { flowId: flow.id, note: "bench" }, meta);
  await setFlowActive(user.id, { flowId: flow.id, isActive: true }, meta);
  const { url: hookAddress } = await createWebhookAddress(user.id, { flowId: flow.id }, meta);
  const hookPath = new URL(hookAddress).pathname;

  // Users who sign in during the sign-in phase, made with the app's own sign-up function.
  const signInEmails: string[] = [];
  if (withSignIns) {
    const { createUserWithPassword } = await import("../lib/server/accounts/create-user-with-password");
    const { ZSignUpInput } = await import("../lib/auth/password-schemas");
    for (let i = 0; i < SIGN_IN_USERS; i++) {
      const email = `signer-${i}@example.com`;
      await createUserWithPassword(ZSignUpInput.parse({ name: "Load Tester", email, password: SIGN_IN_PASSWORD }), {
        ip: `10.1.0.${i}`,
        userAgent: "bench",
      });
      signInEmails.push(email);
    }
    const { shutdownPasswordHasher } = await import("../lib/auth/password-hasher");
    await shutdownPasswordHasher();
  }
  await disconnectDb();

  const server = embeddedServer ?? (await startServer());
  if (!embeddedServer) cleanups.push(() => server.stop());
  const hookUrl = `${server.url}${hookPath}`;

  const counter = new pg.Pool({ connectionString, max: 1 });
  cleanups.push(() => counter.end());
  async function countRuns(): Promise<{ backlog: number; succeeded: number; failed: number; total: number }> {
    const { rows } = await counter.query<{ backlog: string; succeeded: string; failed: string; total: string }>(
      `SELECT count(*) FILTER (WHERE status IN ('QUEUED', 'RUNNING')) AS backlog,
              count(*) FILTER (WHERE status = 'SUCCEEDED') AS succeeded,
              count(*) FILTER (WHERE status IN ('FAILED', 'CANCELLED')) AS failed,
              count(*) AS total
         FROM flow_runs`,
    );
    const row = rows[0]!;
    return { backlog: Number(row.backlog), succeeded: Number(row.succeeded), failed: Number(row.failed), total: Number(row.total) };
  }

  function percentile(values: number[], p: number): number {
    if (values.length === 0) return NaN;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * Waits until the runs of these ids reached the sink and nothing is queued or running
   * any more (requests still in flight when a load window closed were answered after
   * autocannon stopped listening: their runs count too), or until the limit.
   */
  async function drain(ids: Set<string>, limitMs: number): Promise<number> {
    const started = Date.now();
    let checkedAt = 0;
    while (Date.now() - started < limitMs) {
      const hasAllArrived = [...ids].every((id) => arrivals.has(id));
      // Before everything arrived, the database is asked twice a second only, so watching adds no load.
      if (Date.now() - checkedAt >= (hasAllArrived ? 20 : 500)) {
        checkedAt = Date.now();
        if ((await countRuns()).backlog === 0) break;
      }
      await sleep(ids.size > 100 ? 50 : 5);
    }
    return Date.now() - started;
  }

  function latenciesOf(ids: Iterable<string>): number[] {
    const out: number[] = [];
    for (const id of ids) {
      const latency = arrivals.get(id);
      if (latency !== undefined) out.push(latency);
    }
    return out;
  }

  const body = (id: string) => JSON.stringify({ id, sentAt: Date.now() });

  /**
   * One fixed-rate load window. autocannon's rate limit is per connection and per second,
   * so one instance sends each second's requests together at the start of that second;
   * several instances, each with a share of the rate, started evenly across the first
   * second, spread the arrivals over the second instead. Every 202 records its id, and
   * the time from building the request (autocannon builds it just before writing it) to
   * its answer.
   */
  async function load(prefix: string, rate: number, options: { seconds?: number; amount?: number }) {
    const shards = Math.max(1, Math.min(10, Math.floor(rate / 5)));
    let next = 0;
    let responses = 0;
    const accepted = new Set<string>();
    const answerMs: number[] = [];
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: shards }, async (_, shard) => {
        const share = Math.floor(rate / shards) + (shard < rate % shards ? 1 : 0);
        await sleep((shard * 1000) / shards);
        const amount = options.amount ? Math.floor(options.amount / shards) + (shard < options.amount % shards ? 1 : 0) : undefined;
        return autocannon({
          url: hookUrl,
          // One request per connection per second; more connections than that would only
          // idle, and fewer would queue a second's share behind each other's answers.
          connections: share,
          overallRate: share,
          ...(amount ? { amount } : { duration: options.seconds }),
          timeout: 10,
          requests: [
            {
              method: "POST",
              headers: { "content-type": "application/json" },
              setupRequest: (request, context) => {
                context.id = `${prefix}-${next++}`;
                context.builtAt = performance.now();
                return { ...request, body: body(context.id) };
              },
              onResponse: (status, _body, context) => {
                responses += 1;
                if (context.builtAt !== undefined) answerMs.push(performance.now() - context.builtAt);
                if (status === 202 && context.id) accepted.add(context.id);
              },
            },
          ],
        });
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const errors = results.reduce((sum, r) => sum + r.errors + r.non2xx, 0);
    const timeouts = results.reduce((sum, r) => sum + r.timeouts, 0);
    return { accepted, responses, errors, timeouts, answerMs, seconds, shards };
  }

  const machine = {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cpus: os.availableParallelism(),
    node: process.version,
    loadBefore: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" "),
  };
  console.error(`bench: server up at ${server.url}, sink ${sinkUrl}; load average ${machine.loadBefore}`);

  // Finished runs leave dead row versions behind (status is indexed, so no update is in
  // place), and the claim query reads through them. Without autovacuum (test servers
  // often turn it off) they pile up across phases; vacuum between phases, as autovacuum
  // would, so each phase starts from the same state. Within a phase they pile up as usual.
  // The embedded database (PGlite, single-user PostgreSQL) has no autovacuum at all.
  const isAutovacuumOn = !isEmbedded && (await counter.query<{ autovacuum: string }>("SHOW autovacuum")).rows[0]?.autovacuum === "on";
  async function settle(): Promise<void> {
    if (!isAutovacuumOn) await counter.query("VACUUM (ANALYZE) flow_runs, flow_run_steps, run_state");
  }

  // (a) Unloaded: one request at a time, each waiting for its run to reach the sink.
  for (let i = 0; i < 5; i++) {
    const id = `warm-${i}`;
    await fetch(hookUrl, { method: "POST", headers: { "content-type": "application/json" }, body: body(id) });
    await drain(new Set([id]), 10_000);
  }
  const answerMs: number[] = [];
  const unloadedIds = new Set<string>();
  let unloadedErrors = 0;
  for (let i = 0; i < PLAN.unloaded; i++) {
    const id = `u-${i}`;
    const started = performance.now();
    const response = await fetch(hookUrl, { method: "POST", headers: { "content-type": "application/json" }, body: body(id) });
    await response.arrayBuffer();
    answerMs.push(performance.now() - started);
    if (response.status !== 202) {
      unloadedErrors += 1;
      continue;
    }
    unloadedIds.add(id);
    await drain(new Set([id]), 10_000);
  }
  const unloaded = latenciesOf(unloadedIds);
  const unloadedSummary = {
    requests: PLAN.unloaded,
    errors: unloadedErrors,
    completed: unloaded.length,
    answerP50: percentile(answerMs, 50),
    answerP99: percentile(answerMs, 99),
    p50: percentile(unloaded, 50),
    p99: percentile(unloaded, 99),
  };
  console.error(`unloaded: ${JSON.stringify(unloadedSummary)}`);
  await settle();

  // (b) Sustained: a ladder of fixed rates; after each, the backlog drains before the next.
  const ladder = [];
  for (const rate of PLAN.rates) {
    const samples: number[] = [];
    const sampler = setInterval(() => {
      void countRuns().then(
        (c) => samples.push(c.backlog),
        () => undefined,
      );
    }, 1000);
    const createdBefore = (await countRuns()).total;
    const window = await load(`r${rate}`, rate, { seconds: PLAN.rateSeconds });
    const { accepted, errors } = window;
    clearInterval(sampler);
    const atEnd = (await countRuns()).backlog;
    const drainMs = await drain(accepted, PLAN.drainMs);
    const afterDrain = await countRuns();
    await settle();
    const latencies = latenciesOf(accepted);
    const mid = samples[Math.floor(samples.length / 2)] ?? 0;
    // Growing: the queue at the end of the window is clearly longer than half-way through.
    const isGrowing = atEnd > mid + Math.max(10, rate * 0.1);
    const row = {
      rate,
      answered: window.responses,
      achievedRate: Math.round((window.responses / window.seconds) * 10) / 10,
      accepted: accepted.size,
      errors,
      timeouts: window.timeouts,
      completed: latencies.length,
      answerP50: Math.round(percentile(window.answerMs, 50)),
      answerP99: Math.round(percentile(window.answerMs, 99)),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      backlogMid: mid,
      backlogEnd: atEnd,
      isGrowing,
      drainMs,
      backlogAfterDrain: afterDrain.backlog,
      // Requests still in flight when autocannon stopped: answered after it stopped listening.
      runsCreated: afterDrain.total - createdBefore,
      loadAverage: os.loadavg()[0]!.toFixed(2),
      isSustained:
        errors === 0 && accepted.size === window.responses && latencies.length === accepted.size && percentile(latencies, 99) < P99_LIMIT_MS && !isGrowing,
    };
    ladder.push(row);
    console.error(`rate ${rate}/s: ${JSON.stringify(row)}`);
    // Two rates in a row over capacity say enough; higher ones would only queue longer.
    if (ladder.length >= 2 && ladder.slice(-2).every((r) => !r.isSustained)) break;
  }
  const sustainedRate = ladder.filter((row) => row.isSustained).reduce((best, row) => Math.max(best, row.rate), 0);

  // (c) Burst: PLAN.burst requests within PLAN.burstSeconds, then up to burstWaitMs to finish.
  // The burst starts from an empty queue: what a rate over capacity left behind drains first.
  const leftover = (await countRuns()).backlog;
  const leftoverMs = leftover > 0 ? await drain(new Set(["-"]), 600_000) : 0;
  await settle();
  const before = await countRuns();
  const burstRun = await load("b", PLAN.burst / PLAN.burstSeconds, { amount: PLAN.burst });
  const burstStarted = Date.now();
  const atBurstEnd = (await countRuns()).backlog;
  await drain(burstRun.accepted, PLAN.burstWaitMs);
  const burstWaitedMs = Date.now() - burstStarted;
  const after = await countRuns();
  const burstLatencies = latenciesOf(burstRun.accepted);
  const burst = {
    leftoverBefore: leftover,
    leftoverDrainMs: leftoverMs,
    requests: burstRun.responses,
    sendingSeconds: Math.round(burstRun.seconds * 10) / 10,
    accepted: burstRun.accepted.size,
    errors: burstRun.errors,
    answerP50: Math.round(percentile(burstRun.answerMs, 50)),
    answerP99: Math.round(percentile(burstRun.answerMs, 99)),
    runsCreated: after.total - before.total,
    backlogAtEnd: atBurstEnd,
    completed: burstLatencies.length,
    stillPending: after.backlog,
    failed: after.failed - before.failed,
    // Accepted, not delivered, and neither waiting nor failed: the run vanished.
    lost: burstRun.accepted.size - burstLatencies.length - after.backlog - (after.failed - before.failed),
    waitedMs: burstWaitedMs,
    p50: percentile(burstLatencies, 50),
    p99: percentile(burstLatencies, 99),
    max: percentile(burstLatencies, 100),
  };
  console.error(`burst: ${JSON.stringify(burst)}`);

  // (d) --with-sign-ins: one fixed webhook rate, alone and while sign-ins run at full
  // speed, in alternating windows (--sign-in-rounds pairs): a machine's noise lands on
  // both sides, and each pair gives a ratio of its own.
  type TWindow = Awaited<ReturnType<typeof load>>;
  type TSide = { windows: TWindow[]; latencies: number[] };
  let signIns: ReturnType<typeof summarizeSignInPhase> | undefined;
  function sideOf({ windows, latencies }: TSide) {
    const answerMs = windows.flatMap((window) => window.answerMs);
    return {
      accepted: windows.reduce((sum, window) => sum + window.accepted.size, 0),
      errors: windows.reduce((sum, window) => sum + window.errors, 0),
      completed: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      answerP50: Math.round(percentile(answerMs, 50)),
      answerP99: Math.round(percentile(answerMs, 99)),
    };
  }
  function summarizeSignInPhase(rounds: { quiet: TSide; busy: TSide }[], signedIn: { ok: number; failed: number; seconds: number }) {
    const pooled = (name: "quiet" | "busy"): TSide => ({
      windows: rounds.flatMap((round) => round[name].windows),
      latencies: rounds.flatMap((round) => round[name].latencies),
    });
    const without = sideOf(pooled("quiet"));
    const withSignIns = sideOf(pooled("busy"));
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return {
      load: signInLoad,
      rate: signInsWebhookRate,
      seconds: PLAN.rateSeconds,
      rounds: rounds.length,
      without,
      with: withSignIns,
      signInsPerSecond: Math.round((signedIn.ok / signedIn.seconds) * 10) / 10,
      signInFailures: signedIn.failed,
      p99Ratio: ratio(withSignIns.p99, without.p99),
      answerP99Ratio: ratio(withSignIns.answerP99, without.answerP99),
      // Each round's own ratio (its busy window's p99 over its quiet window's).
      roundP99Ratios: rounds.map((round) => ratio(sideOf(round.busy).p99, sideOf(round.quiet).p99)),
    };
  }
  if (withSignIns) {
    await drain(new Set(["-"]), 600_000);
    await settle();
    const rounds: { quiet: TSide; busy: TSide }[] = [];
    const signedIn = { ok: 0, failed: 0, seconds: 0 };
    for (let round = 0; round < SIGN_IN_ROUNDS; round += 1) {
      const quietWindow = await load(`sq${round}-`, signInsWebhookRate, { seconds: PLAN.rateSeconds });
      await drain(quietWindow.accepted, PLAN.drainMs);
      await settle();

      // Sign-ins at full speed from a process of their own (bench/sign-in-clients.ts), so
      // that their client-side work does not delay this process, which times the runs.
      const clients = fork(
        fileURLToPath(new URL("./sign-in-clients.ts", import.meta.url)),
        [server.url, SIGN_IN_PASSWORD, String(SIGN_IN_CLIENTS), signInLoad, ...signInEmails],
        {
          execArgv: ["--import", "tsx"],
          stdio: ["ignore", "inherit", "inherit", "ipc"],
        },
      );
      const counted = new Promise<TSignInCounts>((resolve, reject) => {
        clients.once("message", (counts) => resolve(counts as TSignInCounts));
        clients.once("exit", (code) => reject(new Error(`the sign-in clients exited with ${code} before reporting`)));
      });
      // The hasher's processes start on demand: the webhook window opens once they are busy.
      await sleep(3000);
      clients.send({ type: "count" });
      const countFrom = performance.now();
      const busyWindow = await load(`ss${round}-`, signInsWebhookRate, { seconds: PLAN.rateSeconds });
      // Sign-ins keep going while the window's runs finish, as they did while it was sent.
      await drain(busyWindow.accepted, PLAN.drainMs);
      clients.send({ type: "stop" });
      const counts = await counted;
      signedIn.ok += counts.ok;
      signedIn.failed += counts.failed;
      signedIn.seconds += (performance.now() - countFrom) / 1000;
      await settle();
      rounds.push({
        quiet: { windows: [quietWindow], latencies: latenciesOf(quietWindow.accepted) },
        busy: { windows: [busyWindow], latencies: latenciesOf(busyWindow.accepted) },
      });
    }
    signIns = summarizeSignInPhase(rounds, signedIn);
    console.error(`sign-ins: ${JSON.stringify(signIns)}`);
  }

  function busyLoadText(phase: NonNullable<typeof signIns>): string {
    const { signInsPerSecond: rate, signInFailures: failed } = phase;
    if (signInLoad === "cpu") return `a bcrypt loop per CPU at the lowest priority, no requests (${os.availableParallelism()} processes)`;
    if (signInLoad === "requests")
      return `sign-in requests without the password check (${SIGN_IN_CLIENTS} clients, ${rate} CSRF and session pairs/s, ${failed} failed)`;
    return `sign-ins at full speed (${SIGN_IN_CLIENTS} clients, ${rate} sign-ins/s, ${failed} failed)`;
  }

  const busyLabel = signInLoad === "full" ? "with sign-ins" : `with the ${signInLoad} load`;
  const totals = await countRuns();
  const ms = (value: number) => (Number.isNaN(value) ? "-" : `${Math.round(value)} ms`);
  const lines = [
    "",
    `Webhook → transform → HTTP to a local sink; production build, embedded driver, ${isEmbedded ? "embedded database (PGlite)" : "PostgreSQL"}; ${machine.cpu} (${machine.cpus} CPUs), Node ${machine.node}`,
    `${isEmbedded ? "Embedded database: no autovacuum (vacuumed between phases)" : `PostgreSQL autovacuum ${isAutovacuumOn ? "on" : "off (vacuumed between phases)"}`}; load average before: ${machine.loadBefore}, after: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}${isQuick ? "   (--quick: a smoke run, not a measurement)" : ""}`,
    "",
    `Unloaded (${unloadedSummary.requests} requests one at a time): trigger-to-completion p50 ${ms(unloadedSummary.p50)}, p99 ${ms(unloadedSummary.p99)}; 202 answer p50 ${ms(unloadedSummary.answerP50)}, p99 ${ms(unloadedSummary.answerP99)}; ${unloadedSummary.completed}/${unloadedSummary.requests} completed, ${unloadedSummary.errors} errors`,
    "",
    `Sustained (${PLAN.rateSeconds} s per rate; the ladder stops after two rates in a row that are not sustained):`,
    "",
    "| offered req/s | answered (achieved req/s) | accepted (202) | runs created | errors/non-2xx | completed | p50 | p99 | 202 p50 / p99 | backlog mid → end | drain | sustained |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...ladder.map(
      (r) =>
        `| ${r.rate} | ${r.answered} (${r.achievedRate}) | ${r.accepted} | ${r.runsCreated} | ${r.errors} | ${r.completed} | ${ms(r.p50)} | ${ms(r.p99)} | ${r.answerP50} / ${r.answerP99} ms | ${r.backlogMid} → ${r.backlogEnd}${r.isGrowing ? " (growing)" : ""} | ${(r.drainMs / 1000).toFixed(1)} s | ${r.isSustained ? "yes" : "no"} |`,
    ),
    "",
    `Sustained runs/s (p99 < ${P99_LIMIT_MS} ms, no errors, backlog not growing): ${sustainedRate || "none of the rates tried"}`,
    "",
    `Burst (${burst.requests} requests answered, sent over ${burst.sendingSeconds} s, after ${burst.leftoverBefore} runs left from the ladder drained in ${(burst.leftoverDrainMs / 1000).toFixed(1)} s): accepted ${burst.accepted} (202 answer p50 ${burst.answerP50} ms, p99 ${burst.answerP99} ms), errors ${burst.errors}, runs created ${burst.runsCreated}, backlog when sending ended ${burst.backlogAtEnd}, completed ${burst.completed} within ${(burst.waitedMs / 1000).toFixed(1)} s, still pending ${burst.stillPending}, failed ${burst.failed}, lost ${burst.lost}; latency p50 ${ms(burst.p50)}, p99 ${ms(burst.p99)}, max ${ms(burst.max)}`,
    ...(signIns
      ? [
          "",
          `Webhooks at ${signIns.rate}/s, ${signIns.rounds} × ${signIns.seconds} s without and ${signIns.rounds} × ${signIns.seconds} s with ${busyLoadText(signIns)}, alternating:`,
          "",
          "| | accepted | errors | completed | p50 | p99 | 202 p50 / p99 |",
          "|---|---|---|---|---|---|---|",
          ...(["without", "with"] as const).map((name) => {
            const side = signIns![name];
            return `| ${name === "without" ? "quiet" : busyLabel} | ${side.accepted} | ${side.errors} | ${side.completed} | ${ms(side.p50)} | ${ms(side.p99)} | ${side.answerP50} / ${side.answerP99} ms |`;
          }),
          "",
          `Webhook p99 busy / quiet: ${signIns.p99Ratio}× (trigger to completion, all windows), ${signIns.answerP99Ratio}× (202 answer); per round: ${signIns.roundP99Ratios.map((r) => `${r}×`).join(", ")}`,
        ]
      : []),
    `All runs: ${totals.total} created, ${totals.succeeded} succeeded, ${totals.failed} failed or cancelled, ${totals.backlog} queued or running; sink parse errors ${sinkErrors}`,
    "",
    JSON.stringify({
      bench: "webhook-flow",
      isQuick,
      database: isEmbedded ? "embedded" : "postgresql",
      machine,
      isAutovacuumOn,
      unloaded: unloadedSummary,
      ladder,
      sustainedRate,
      burst,
      ...(signIns ? { signIns } : {}),
    }),
  ];
  console.log(lines.join("\n"));
} finally {
  for (const cleanUp of cleanups.reverse()) await Promise.resolve(cleanUp()).catch((error: unknown) => console.error(`cleanup failed: ${String(error)}`));
}
