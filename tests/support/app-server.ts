// Starts Vaultflow's real server (server.ts on the production build) as a child
// process with its own data folder and port, the way an operator runs it.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export type AppServer = {
  url: string;
  port: number;
  /** The server process's pid. */
  pid: number;
  dataDir: string;
  logFile: string;
  logs: () => string[];
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Where the end-to-end tier's global setup keeps an empty embedded database made once
 * (lib/db/embedded-postgres.ts), so a server on a new data folder copies it instead of
 * creating one: the copy takes a tenth of a second, creating one about five seconds.
 */
export const EMBEDDED_TEMPLATE_ENV = "VAULTFLOW_TEST_EMBEDDED_TEMPLATE";

/**
 * Seeds a new data folder's embedded database from the template, when there is one and
 * the server would create its database: not for an external DATABASE_URL, not for a
 * folder that already holds a database (a restart), and not with `freshDatabase`.
 */
function seedEmbeddedDatabase(options: { dataDir: string; env?: Record<string, string>; freshDatabase?: boolean }): void {
  const template = process.env[EMBEDDED_TEMPLATE_ENV];
  const target = path.join(options.dataDir, "postgres");
  if (!template || options.freshDatabase || options.env?.DATABASE_URL || existsSync(target)) return;
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  cpSync(template, target, { recursive: true });
}

export async function startAppServer(options: {
  dataDir: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Let the server create its embedded database itself, as a first start does, instead of copying the tier's template. */
  freshDatabase?: boolean;
}): Promise<AppServer> {
  seedEmbeddedDatabase(options);
  const port = await freePort();
  const lines: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, "server.ts")], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: options.dataDir,
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Everything the server prints also goes to <dataDir>/server.log, for tests in
  // other processes than the one that started it.
  mkdirSync(options.dataDir, { recursive: true });
  const logFile = path.join(options.dataDir, "server.log");
  const collect = (chunk: Buffer) => {
    appendFileSync(logFile, chunk);
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`Vaultflow exited with ${child.exitCode} before answering:\n${lines.join("\n")}`);
    }
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Vaultflow did not answer /api/health in time:\n${lines.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return {
    url,
    port,
    pid: child.pid!,
    dataDir: options.dataDir,
    logFile,
    logs: () => [...lines],
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Parsed JSON log lines (the server logs one JSON object per line). */
export function jsonLogs(server: AppServer): Record<string, unknown>[] {
  return server.logs().flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

/** The embedded database of a server started on `dataDir`, through the Unix socket it serves it on while it runs. */
export function appDatabaseUrl(dataDir: string): string {
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(path.join(dataDir, "run"))}`;
}

/** Runs one statement on that embedded database and returns its rows. */
export async function queryAppDatabase<T extends pg.QueryResultRow = pg.QueryResultRow>(dataDir: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: appDatabaseUrl(dataDir) });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}
