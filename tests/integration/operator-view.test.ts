// The operator's view (issue 17): liveness that a database outage cannot fail,
// readiness that checks the database, the migrations and the run driver, and the
// Prometheus metrics of a real run through the embedded driver.
import net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as live } from "@/app/api/health/live/route";
import { GET as ready } from "@/app/api/health/ready/route";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { registerDatabase } from "@/lib/db/registry";
import { recordShippedMigrations } from "@/lib/db/shipped-migrations";
import type { TFlowDocument } from "@/lib/flows/document";
import { getMetrics } from "@/lib/metrics/registry";
import { disconnectDb, getDb } from "@/lib/server/db";
import { markRunDriverStarted, markRunDriverStopped } from "@/lib/server/health/run-driver-state";
import { forgetQueueDepth } from "@/lib/server/metrics/read-queue-depth";
import { startRunDriver, stopRunDriver } from "@/lib/server/runs/start-run-driver";
import { startRun } from "@/lib/server/runs/start-run";
import { APP_VERSION } from "@/lib/version";
import { listMigrationNames } from "@/prisma/migrations-dir";
import { sampleValue } from "../support/prometheus-text";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

const database = setupTestDatabase();

/** What server.ts puts on a request from this machine. */
const LOCAL = { "x-vaultflow-socket-ip": "127.0.0.1", "x-vaultflow-client-ip": "127.0.0.1" };

async function scrape(): Promise<string> {
  const response = await metricsRoute(new Request("http://localhost/api/metrics", { headers: LOCAL }));
  expect(response.status).toBe(200);
  return response.text();
}

function pointAtLiveDatabase() {
  const db = database.current();
  registerDatabase({ connectionString: db.connectionString, poolMax: 1, embedded: db.kind === "embedded" });
}

beforeAll(() => {
  // What prepareDatabase records at start-up in server.ts.
  recordShippedMigrations(listMigrationNames());
});

afterEach(async () => {
  markRunDriverStopped();
  await disconnectDb();
  pointAtLiveDatabase();
});

describe("readiness", () => {
  it("is 200 when the database answers, every shipped migration is applied and the run driver started; /api/health says the same", async () => {
    markRunDriverStarted("embedded");
    const expected = { status: "ok", version: APP_VERSION, database: "ok", migrations: "ok", runDriver: "embedded" };
    for (const route of [ready, health]) {
      const response = await route();
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(expected);
    }
  });

  it("is 503 while the run driver has not started", async () => {
    for (const route of [ready, health]) {
      const response = await route();
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: "unavailable", database: "ok", migrations: "ok", runDriver: "not-started" });
    }
  });

  it("is 503 when the database lacks a migration this build ships", async () => {
    markRunDriverStarted("embedded");
    const db = getDb();
    const name = listMigrationNames().at(-1)!;
    const [saved] = await db.$queryRaw<{ row: string }[]>`SELECT row_to_json(m)::text AS row FROM _prisma_migrations m WHERE migration_name = ${name}`;
    expect(saved).toBeDefined();
    await db.$executeRaw`DELETE FROM _prisma_migrations WHERE migration_name = ${name}`;
    try {
      const response = await ready();
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: "unavailable", database: "ok", migrations: "pending" });
    } finally {
      await db.$executeRaw`INSERT INTO _prisma_migrations SELECT * FROM json_populate_record(NULL::_prisma_migrations, ${saved!.row}::json)`;
    }
    expect((await ready()).status).toBe(200);
  });
});

describe("liveness during a database outage", () => {
  it("stays 200 while readiness answers 503 (database refused)", async () => {
    markRunDriverStarted("embedded");
    await disconnectDb();
    // Port 9 (discard) on loopback has no PostgreSQL: the connection is refused.
    registerDatabase({ connectionString: "postgresql://postgres@127.0.0.1:9/none", poolMax: 1, embedded: false });
    const liveness = await live();
    expect(liveness.status).toBe(200);
    expect(await liveness.json()).toEqual({ status: "ok" });
    const readiness = await ready();
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ status: "unavailable", database: "unavailable" });
    expect((await health()).status).toBe(503);
  });

  it("stays 200 while readiness answers 503 within seconds (database hangs)", async () => {
    markRunDriverStarted("embedded");
    // Accepts connections and never says a word: a hung server, not a refused one.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      await disconnectDb();
      registerDatabase({ connectionString: `postgresql://postgres@127.0.0.1:${port}/none`, poolMax: 1, embedded: false });
      const started = Date.now();
      const [liveness, readiness] = await Promise.all([live(), ready()]);
      expect(liveness.status).toBe(200);
      expect(readiness.status).toBe(503);
      expect(await readiness.json()).toMatchObject({ database: "unavailable", migrations: "unknown" });
      // The issue asks for a bounded answer: the probes' own limit is 2 s.
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

describe("metrics", () => {
  it("share one registry across module copies: a counter moved by a separately loaded copy shows in the route's output", async () => {
    const before = sampleValue(await scrape(), "vaultflow_runs_started_total", { trigger: "schedule" });
    // A second copy of the modules, as the Next.js bundle has beside server.ts.
    vi.resetModules();
    const copy = await import("@/lib/metrics/run-metrics");
    const copyRegistry = await import("@/lib/metrics/registry");
    expect(copyRegistry.getMetrics()).toBe(getMetrics());
    copy.countRunStarted("schedule");
    expect(sampleValue(await scrape(), "vaultflow_runs_started_total", { trigger: "schedule" })).toBe(before + 1);
  });

  it("run counters and the step histogram move when flows run through the embedded driver", async () => {
    const node = (id: string, expression: string) => ({
      id,
      type: "step.transform",
      name: id,
      config: { expression, retry: { attempts: 1 } },
      ui: { x: 0, y: 0 },
    });
    const flow = (expression: string): TFlowDocument => ({
      schemaVersion: 1,
      nodes: [{ id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } }, node("shape", expression)],
      edges: [{ id: "e1", source: "trigger", target: "shape" }],
    });
    const good = await seedPublishedFlow(flow('{ "n": trigger.n * 2 }'), "metrics-ok");
    const bad = await seedPublishedFlow(flow('$error("boom")'), "metrics-fail");

    const text0 = await scrape();
    const read = (text: string) => ({
      started: sampleValue(text, "vaultflow_runs_started_total", { trigger: "manual" }),
      succeeded: sampleValue(text, "vaultflow_runs_finished_total", { trigger: "manual", status: "succeeded" }),
      failed: sampleValue(text, "vaultflow_runs_finished_total", { trigger: "manual", status: "failed" }),
      stepsOk: sampleValue(text, "vaultflow_step_duration_seconds_count", { status: "succeeded" }),
      stepsFailed: sampleValue(text, "vaultflow_step_duration_seconds_count", { status: "failed" }),
    });
    const before = read(text0);

    startRunDriver();
    try {
      const ok = await startRun({ flowId: good.flowId, payload: { n: 21 }, trigger: "manual", userId: good.userId });
      const ko = await startRun({ flowId: bad.flowId, payload: {}, trigger: "manual", userId: bad.userId });
      await vi.waitFor(
        async () => {
          const runs = await getDb().flowRun.findMany({ where: { id: { in: [ok.runId, ko.runId] } }, select: { id: true, status: true } });
          expect(Object.fromEntries(runs.map((run) => [run.id, run.status]))).toEqual({ [ok.runId]: "SUCCEEDED", [ko.runId]: "FAILED" });
        },
        { timeout: 30_000, interval: 100 },
      );
    } finally {
      await stopRunDriver();
    }
    const after = read(await scrape());
    expect(after).toEqual({
      started: before.started + 2,
      succeeded: before.succeeded + 1,
      failed: before.failed + 1,
      stepsOk: before.stepsOk + 1,
      stepsFailed: before.stepsFailed + 1,
    });
  });

  it("queue depth gauges match the database", async () => {
    const seeded = await seedPublishedFlow(
      { schemaVersion: 1, nodes: [{ id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } }], edges: [] },
      "depth",
    );
    const db = getDb();
    const versionId = (await db.flow.findUniqueOrThrow({ where: { id: seeded.flowId }, select: { activeVersionId: true } })).activeVersionId!;
    const base = { projectId: seeded.projectId, flowId: seeded.flowId, versionId, trigger: "manual" };
    const soon = new Date(Date.now() + 3_600_000);
    const lease = new Date(Date.now() + 30_000);
    await db.flowRun.createMany({
      data: [
        ...Array.from({ length: 3 }, () => ({ ...base, status: "QUEUED" as const })),
        ...Array.from({ length: 2 }, () => ({ ...base, status: "RUNNING" as const, leaseOwner: "w", leaseUntil: lease, startedAt: new Date() })),
        // Parked by a Wait step (the embedded driver leaves it RUNNING with a wake time).
        { ...base, status: "RUNNING" as const, wakeAt: soon, startedAt: new Date() },
        { ...base, status: "QUEUED" as const, wakeAt: soon },
        { ...base, status: "SUCCEEDED" as const, finishedAt: new Date() },
        { ...base, status: "FAILED" as const, finishedAt: new Date() },
      ],
    });
    // The database's own answer, counted apart from the gauge's query.
    const unfinished = await db.flowRun.findMany({ where: { status: { in: ["QUEUED", "RUNNING"] } }, select: { status: true, wakeAt: true } });
    const now = Date.now();
    const expected = {
      queued: unfinished.filter((run) => run.status === "QUEUED" && !(run.wakeAt && run.wakeAt.getTime() > now)).length,
      running: unfinished.filter((run) => run.status === "RUNNING" && !(run.wakeAt && run.wakeAt.getTime() > now)).length,
      sleeping: unfinished.filter((run) => run.wakeAt && run.wakeAt.getTime() > now).length,
    };
    expect(expected).toMatchObject({ queued: expect.any(Number), sleeping: 2 });
    forgetQueueDepth();
    const text = await scrape();
    expect({
      queued: sampleValue(text, "vaultflow_runs_queue_depth", { state: "queued" }),
      running: sampleValue(text, "vaultflow_runs_queue_depth", { state: "running" }),
      sleeping: sampleValue(text, "vaultflow_runs_queue_depth", { state: "sleeping" }),
    }).toEqual(expected);
    expect(expected.queued).toBeGreaterThanOrEqual(3);
    expect(expected.running).toBeGreaterThanOrEqual(2);
  });

  it("keeps serving process metrics when the database is down, the queue gauge left empty", async () => {
    await disconnectDb();
    registerDatabase({ connectionString: "postgresql://postgres@127.0.0.1:9/none", poolMax: 1, embedded: false });
    forgetQueueDepth();
    const before = sampleValue(await getMetrics().registry.metrics(), "vaultflow_runs_queue_depth_errors_total");
    const text = await scrape();
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(text).not.toMatch(/^vaultflow_runs_queue_depth\{/m);
    expect(sampleValue(text, "vaultflow_runs_queue_depth_errors_total")).toBe(before + 1);
  });
});

afterAll(() => {
  markRunDriverStopped();
});
