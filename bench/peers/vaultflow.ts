// Vaultflow from the production build (server.ts, embedded run driver), with two flows
// seeded through the data layer as bench/webhook-flow.ts does:
// - "answer": webhook (respond_step) → transform (total) → HTTP POST to the sink → respond;
// - "accept": the same without the respond step, answered with 202 at once (the crash test).
// Runs on a throwaway database on a local PostgreSQL server, or with `embedded`, on the
// embedded database in the server's data folder.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { appDatabaseUrl, projectRoot, startAppServer, type AppServer } from "../../tests/support/app-server";
import { createDatabase, type TSystem } from "./common";

// Fixed test secrets, shared by this (seeding) process and the server.
const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const SECRETS = { AUTH_SECRET: key(11), PASSWORD_PEPPER: key(12), ENCRYPTION_KEYS: `bench:${key(13)}` };
// Production with DATABASE_URL insists on an https APP_URL; only links use it, requests go to 127.0.0.1.
const APP_URL = "https://bench.example.com";

export function assertVaultflowBuild(): void {
  if (!existsSync(path.join(projectRoot, ".next", "BUILD_ID"))) {
    throw new Error("Vaultflow's production build is missing: run `npm run build` first (or pass --skip=vaultflow).");
  }
}

const TRANSFORM = '{ "id": trigger.body.id, "total": trigger.body.qty * trigger.body.price }';
const RESULT_JSON = '{"id": "{{steps.shape.output.id}}", "total": {{steps.shape.output.total}}}';

async function seed(sinkUrl: string): Promise<{ answerPath: string; acceptPath: string }> {
  const { getDb, disconnectDb } = await import("../../lib/server/db");
  const { createProject } = await import("../../lib/server/projects/create-project");
  const { createFlow } = await import("../../lib/server/flows/create-flow");
  const { saveFlowDraft } = await import("../../lib/server/flows/save-flow-draft");
  const { publishFlow } = await import("../../lib/server/flows/publish-flow");
  const { setFlowActive } = await import("../../lib/server/flows/set-flow-active");
  const { createWebhookAddress } = await import("../../lib/server/webhooks/create-webhook-address");

  const meta = { ip: "127.0.0.1", userAgent: "bench" };
  const user = await getDb().user.create({ data: { email: "bench@example.com", name: "Bench" }, select: { id: true } });
  const project = await createProject(user.id, { name: "Bench" }, meta);
  const node = (id: string, type: string, name: string, config: Record<string, unknown>, x: number) => ({ id, type, name, config, ui: { x, y: 0 } });
  const deliver = node(
    "deliver",
    "step.http",
    "Deliver",
    {
      method: "POST",
      url: sinkUrl,
      query: [],
      headers: [],
      body: { kind: "json", json: RESULT_JSON },
      connectionId: null,
      timeoutMs: 30_000,
      maxResponseBytes: 1024 * 1024,
    },
    500,
  );
  async function makeFlow(name: string, respond: boolean): Promise<string> {
    const flow = await createFlow(user.id, { projectId: project.id, name }, meta);
    const respondMode = respond ? "respond_step" : "immediately";
    await saveFlowDraft(user.id, {
      flowId: flow.id,
      revision: 1,
      operations: [
        { op: "remove_node", nodeId: "trigger" },
        { op: "add_node", node: node("trigger", "trigger.webhook", "Webhook", { respondMode, responseTimeoutMs: 30_000 }, 0) },
        { op: "add_node", node: node("shape", "step.transform", "Total", { expression: TRANSFORM }, 250) },
        { op: "add_node", node: deliver },
        { op: "connect", edge: { id: "e1", source: "trigger", target: "shape" } },
        { op: "connect", edge: { id: "e2", source: "shape", target: "deliver" } },
        ...(respond
          ? [
              {
                op: "add_node" as const,
                node: node(
                  "answer",
                  "step.respond",
                  "Answer",
                  { status: 200, headers: [{ name: "content-type", value: "application/json" }], body: RESULT_JSON },
                  750,
                ),
              },
              { op: "connect" as const, edge: { id: "e3", source: "deliver", target: "answer" } },
            ]
          : []),
      ],
    });
    await publishFlow(user.id, { flowId: flow.id, note: "bench" }, meta);
    await setFlowActive(user.id, { flowId: flow.id, isActive: true }, meta);
    const { url } = await createWebhookAddress(user.id, { flowId: flow.id }, meta);
    return new URL(url).pathname;
  }
  const answerPath = await makeFlow("Order total, answered", true);
  const acceptPath = await makeFlow("Order total, accepted", false);
  await disconnectDb();
  return { answerPath, acceptPath };
}

export async function setUpVaultflow(options: { workDir: string; sinkUrl: string; embedded: boolean; databaseServerUrl: string }): Promise<TSystem> {
  const dataDir = path.join(options.workDir, "vaultflow");
  mkdirSync(dataDir, { recursive: true });
  Object.assign(process.env, { DATA_DIR: dataDir, APP_URL, ...SECRETS });
  const cleanups: (() => Promise<unknown>)[] = [];
  const { registerDatabase } = await import("../../lib/db/registry");
  let databaseUrl: string | null = null;
  let paths: { answerPath: string; acceptPath: string };
  if (options.embedded) {
    // Seed the embedded database in the server's data folder, then let the server open it.
    const { startEmbeddedPostgres } = await import("../../lib/db/embedded-postgres");
    const { applyPendingMigrations } = await import("../../prisma/migrator");
    const embedded = await startEmbeddedPostgres({ dataDir, socketDir: path.join(dataDir, "run") });
    try {
      await applyPendingMigrations(embedded.connectionString);
      registerDatabase({ connectionString: embedded.connectionString, poolMax: 1, embedded: true });
      paths = await seed(options.sinkUrl);
    } finally {
      await embedded.stop();
    }
  } else {
    const database = await createDatabase(options.databaseServerUrl, "vaultflow_peers");
    cleanups.push(database.drop);
    databaseUrl = database.url;
    process.env.DATABASE_URL = databaseUrl;
    try {
      const { applyPendingMigrations } = await import("../../prisma/migrator");
      await applyPendingMigrations(databaseUrl);
      registerDatabase({ connectionString: databaseUrl, poolMax: 2, embedded: false });
      paths = await seed(options.sinkUrl);
    } catch (error) {
      await database.drop();
      throw error;
    }
  }

  const env = {
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    APP_URL,
    ...SECRETS,
    OUTBOUND_ALLOW: "127.0.0.1/32",
    LOG_LEVEL: "warn",
    RUN_CONCURRENCY_PER_PROJECT: "64",
    // 50 connections wait for their answers at once, from one client address.
    WEBHOOK_WAITERS_PER_PROJECT: "500",
    WEBHOOK_RATE_PER_ADDRESS: "1000000",
    WEBHOOK_RATE_PER_CLIENT: "1000000",
  };
  const start = () => startAppServer({ dataDir, env, timeoutMs: 120_000 });
  let server: AppServer;
  try {
    server = await start();
  } catch (error) {
    for (const cleanUp of cleanups.reverse()) await cleanUp();
    throw error;
  }
  // The load and the crash test's requests go to the first server; a restarted one (new port) only finishes runs.
  const firstUrl = server.url;
  async function query<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: databaseUrl ?? appDatabaseUrl(dataDir) });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  }
  return {
    name: "Vaultflow",
    hookUrl: `${firstUrl}${paths.answerPath}`,
    crash: {
      url: `${firstUrl}${paths.acceptPath}`,
      accepted: "answer",
      acceptStatus: 202,
      meaning:
        "Vaultflow answers 202 once the run is stored; a stored run is executed after a restart (a run that was executing when the process died is taken over when its 30 s lease runs out). Accepted = answered 202.",
    },
    kill9: async () => {
      await server.stop("SIGKILL");
    },
    restart: async () => {
      server = await start();
    },
    pending: async () => Number((await query<{ n: number }>("SELECT count(*)::int AS n FROM flow_runs WHERE status IN ('QUEUED', 'RUNNING')"))[0]?.n ?? 0),
    stateAfterRestart: async () => {
      const rows = await query<{ status: string; n: number }>("SELECT status, count(*)::int AS n FROM flow_runs GROUP BY status ORDER BY status");
      return `flow_runs: ${rows.map((r) => `${r.status} ${r.n}`).join(", ")}`;
    },
    facts: `Vaultflow production build, embedded run driver, ${options.embedded ? "embedded database (PGlite)" : "PostgreSQL"}`,
    stop: async () => {
      await server.stop();
      for (const cleanUp of cleanups.reverse()) await cleanUp();
    },
  };
}
