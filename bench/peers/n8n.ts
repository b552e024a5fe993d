// n8n 1.123 in regular execution mode on a throwaway PostgreSQL database, with the
// bench's workflow imported and activated through its CLI before `n8n start`:
// Webhook (responseMode "responseNode") → Set (total) → HTTP Request (POST to the sink)
// → Respond to Webhook. Execution data is saved as n8n saves it by default.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { createDatabase, freePort, startService, type TService, type TSystem } from "./common";

const WORKFLOW_ID = "vfPeersBench0001";

function workflow(sinkUrl: string) {
  const main = (node: string) => ({ main: [[{ node, type: "main", index: 0 }]] });
  return {
    id: WORKFLOW_ID,
    name: "Order total",
    active: false,
    settings: { executionOrder: "v1" },
    nodes: [
      {
        id: "6f0c8a52-7a3e-4c1e-9a51-000000000001",
        name: "Webhook",
        type: "n8n-nodes-base.webhook",
        typeVersion: 2,
        position: [0, 0],
        webhookId: "6f0c8a52-7a3e-4c1e-9a51-0000000000ff",
        parameters: { httpMethod: "POST", path: "order", responseMode: "responseNode", options: {} },
      },
      {
        id: "6f0c8a52-7a3e-4c1e-9a51-000000000002",
        name: "Total",
        type: "n8n-nodes-base.set",
        typeVersion: 3.4,
        position: [250, 0],
        parameters: {
          mode: "manual",
          includeOtherFields: false,
          assignments: {
            assignments: [
              { id: "a1", name: "id", value: "={{ $json.body.id }}", type: "string" },
              { id: "a2", name: "total", value: "={{ $json.body.qty * $json.body.price }}", type: "number" },
            ],
          },
          options: {},
        },
      },
      {
        id: "6f0c8a52-7a3e-4c1e-9a51-000000000003",
        name: "Deliver",
        type: "n8n-nodes-base.httpRequest",
        typeVersion: 4.2,
        position: [500, 0],
        parameters: {
          method: "POST",
          url: sinkUrl,
          sendBody: true,
          specifyBody: "json",
          jsonBody: "={{ JSON.stringify({ id: $json.id, total: $json.total }) }}",
          options: {},
        },
      },
      {
        id: "6f0c8a52-7a3e-4c1e-9a51-000000000004",
        name: "Answer",
        type: "n8n-nodes-base.respondToWebhook",
        typeVersion: 1.1,
        position: [750, 0],
        parameters: {
          respondWith: "json",
          responseBody: "={{ JSON.stringify({ id: $('Total').item.json.id, total: $('Total').item.json.total }) }}",
          options: {},
        },
      },
    ],
    connections: { Webhook: main("Total"), Total: main("Deliver"), Deliver: main("Answer") },
  };
}

export async function setUpN8n(options: { installDir: string; workDir: string; sinkUrl: string; databaseServerUrl: string }): Promise<TSystem> {
  const userFolder = path.join(options.workDir, "n8n");
  mkdirSync(userFolder, { recursive: true });
  const database = await createDatabase(options.databaseServerUrl, "n8n_peers");
  const server = new URL(database.url);
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: "production",
    DB_TYPE: "postgresdb",
    DB_POSTGRESDB_HOST: server.hostname,
    DB_POSTGRESDB_PORT: server.port || "5432",
    DB_POSTGRESDB_DATABASE: database.name,
    DB_POSTGRESDB_USER: decodeURIComponent(server.username) || "postgres",
    DB_POSTGRESDB_PASSWORD: decodeURIComponent(server.password),
    EXECUTIONS_MODE: "regular",
    N8N_USER_FOLDER: userFolder,
    N8N_ENCRYPTION_KEY: "vaultflow-peers-bench-key-0123456789",
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: "127.0.0.1",
    N8N_HOST: "127.0.0.1",
    N8N_PROTOCOL: "http",
    WEBHOOK_URL: `http://127.0.0.1:${port}/`,
    N8N_DIAGNOSTICS_ENABLED: "false",
    N8N_VERSION_NOTIFICATIONS_ENABLED: "false",
    N8N_TEMPLATES_ENABLED: "false",
    N8N_PERSONALIZATION_ENABLED: "false",
    N8N_HIRING_BANNER_ENABLED: "false",
    N8N_COMMUNITY_PACKAGES_ENABLED: "false",
    N8N_LICENSE_AUTO_RENEW_ENABLED: "false",
    N8N_PUBLIC_API_DISABLED: "true",
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: "true",
    N8N_SECURE_COOKIE: "false",
    N8N_LOG_LEVEL: process.env.BENCH_N8N_LOG_LEVEL ?? "warn",
    ...(process.env.BENCH_N8N_EXPRESSION_ENGINE ? { N8N_EXPRESSION_ENGINE: process.env.BENCH_N8N_EXPRESSION_ENGINE } : {}),
  };
  const n8nBin = path.join(options.installDir, "node_modules", "n8n", "bin", "n8n");
  const logFile = path.join(options.workDir, "n8n.log");
  const cli = (args: string[]) => {
    const result = spawnSync(process.execPath, [n8nBin, ...args], {
      cwd: userFolder,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env, NODE_ENV: "production" },
      encoding: "utf8",
      timeout: 300_000,
    });
    if (result.status !== 0) throw new Error(`n8n ${args[0]} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
    return `${result.stdout}${result.stderr}`;
  };
  try {
    const file = path.join(options.workDir, "n8n-workflow.json");
    writeFileSync(file, JSON.stringify(workflow(options.sinkUrl), null, 2));
    cli(["import:workflow", `--input=${file}`]);
    cli(["update:workflow", `--id=${WORKFLOW_ID}`, "--active=true"]);
  } catch (error) {
    await database.drop();
    throw error;
  }
  const url = `http://127.0.0.1:${port}/webhook/order`;
  const start = () =>
    startService({
      name: "n8n",
      command: process.execPath,
      args: [n8nBin, "start"],
      cwd: userFolder,
      env,
      logFile,
      readyUrl: `http://127.0.0.1:${port}/healthz/readiness`,
      timeoutMs: 240_000,
    });
  let service: TService;
  try {
    service = await start();
  } catch (error) {
    await database.drop();
    throw error;
  }
  async function query<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  }
  return {
    name: "n8n",
    hookUrl: url,
    crash: {
      url,
      accepted: "answer-or-in-flight",
      acceptStatus: 200,
      meaning:
        "n8n (regular mode) answers only when the workflow reaches Respond to Webhook; an execution running when the process dies is not resumed after a restart (n8n marks it crashed). Accepted = answered, or cut off by the kill.",
    },
    kill9: () => service.kill9(),
    restart: async () => {
      service = await start();
    },
    pending: async () => 0,
    stateAfterRestart: async () => {
      const rows = await query<{ status: string; n: number }>("SELECT status, count(*)::int AS n FROM execution_entity GROUP BY status ORDER BY status");
      return `execution_entity: ${rows.map((r) => `${r.status} ${r.n}`).join(", ") || "empty"}`;
    },
    facts: "n8n 1.123, regular execution mode, PostgreSQL, default execution-data saving",
    stop: async () => {
      await service.stop();
      await database.drop();
    },
  };
}
