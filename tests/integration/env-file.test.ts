// A deployment's .env file, as an operator uses it: the entry points read it before the
// configuration is validated, a real environment variable wins over it, and its values
// never reach the output. Each command runs in a folder of its own holding the .env
// (the working directory is the deployment's folder, as under npm or in the image).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectRoot } from "../support/app-server";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const tsx = pathToFileURL(path.join(projectRoot, "node_modules/tsx/dist/loader.mjs")).href;
const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const folders: string[] = [];
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

type Run = { code: number; output: string };

/** Runs `node <args>` in a new folder holding `dotenv` as its .env, with only `env` besides PATH/HOME. */
function runInFolder(args: string[], dotenv: string, env: Record<string, string>): Promise<Run & { folder: string }> {
  const folder = mkdtempSync(path.join(os.tmpdir(), "vaultflow-dotenv-"));
  folders.push(folder);
  writeFileSync(path.join(folder, ".env"), dotenv);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      {
        cwd: folder,
        timeout: 60_000,
        // tsx looks for tsconfig.json (the "@/" paths) in the working directory, which here is not the project's.
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          NEXT_TELEMETRY_DISABLED: "1",
          TSX_TSCONFIG_PATH: path.join(projectRoot, "tsconfig.json"),
          ...env,
        } as Record<string, string> as NodeJS.ProcessEnv,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}`, folder }),
    );
  });
}

const keysStatus = ["--conditions=react-server", "--import", tsx, path.join(projectRoot, "scripts/keys-status.ts")];

describe("an operator command (keys:status)", () => {
  const encryptionKeys = `fromdotenv:${key(41)}`;

  it("opens the database and uses the key ring named only in .env", async () => {
    const dotenv = [`DATABASE_URL=${database.connectionString}`, "DATABASE_POOL_MAX=2", `ENCRYPTION_KEYS=${encryptionKeys}`, ""].join("\n");
    const run = await runInFolder(keysStatus, dotenv, {});
    expect(run.output).toMatch(/Key fromdotenv is active/);
    expect(run.code).toBe(0);
    // Not the embedded database in the folder's .data: DATABASE_URL came from .env.
    expect(existsSync(path.join(run.folder, ".data", "postgres"))).toBe(false);
    expect(run.output).not.toContain(key(41));
    expect(run.output).not.toContain(database.connectionString);
  });

  it("lets a real environment variable win over .env", async () => {
    // .env names a database that does not exist; the environment names the real one.
    const missing = new URL(database.connectionString);
    missing.pathname = "/vaultflow_no_such_database";
    const dotenv = [`DATABASE_URL=${missing.toString()}`, `ENCRYPTION_KEYS=fromdotenv:${key(42)}`, ""].join("\n");
    const fromEnv = await runInFolder(keysStatus, dotenv, {
      DATABASE_URL: database.connectionString,
      DATABASE_POOL_MAX: "2",
      ENCRYPTION_KEYS: `fromenv:${key(43)}`,
    });
    expect(fromEnv.output).toMatch(/Key fromenv is active/);
    expect(fromEnv.code).toBe(0);

    // The same .env alone: the command really reads it, and fails on that database.
    const fromFile = await runInFolder(keysStatus, dotenv, {});
    expect(fromFile.code).toBe(1);
    expect(fromFile.output).toMatch(/Could not open the database/);
    expect(fromFile.output).not.toContain(key(42));
  });
});

describe("the server (server.ts)", () => {
  it("validates .env's values at start: a bad one stops it, named, its value never printed", async () => {
    const marker = "not-a-number-7f3a9c";
    const run = await runInFolder(["--import", tsx, path.join(projectRoot, "server.ts")], `WEBHOOK_RATE_PER_ADDRESS=${marker}\nLOG_LEVEL=info\n`, {
      NODE_ENV: "production",
      AUTH_SECRET: key(44),
    });
    expect(run.code).not.toBe(0);
    // One structured log line, like every other start failure, not a stack trace.
    const fatal = run.output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level?: string; msg?: string; err?: { name: string; message: string } })
      .find((line) => line.level === "fatal");
    expect(fatal?.msg).toBe("Vaultflow could not start");
    expect(fatal?.err?.name).toBe("ConfigError");
    expect(fatal?.err?.message).toMatch(/Invalid configuration:\n- WEBHOOK_RATE_PER_ADDRESS: /);
    expect(run.output).not.toMatch(/^\s+at /m);
    expect(run.output).not.toContain(marker);
    expect(run.output).not.toContain(key(44));
  });
});
