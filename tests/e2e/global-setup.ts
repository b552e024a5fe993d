// Builds the production bundle once (meanwhile makes the empty embedded database that
// new data folders copy), then starts one shared server on a free port with a fresh
// data folder. Tests that need their own server lifecycle start one.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyPendingMigrations } from "@/prisma/migrator";
import type { TestProject } from "vitest/node";
import { EMBEDDED_TEMPLATE_ENV, projectRoot, startAppServer, type AppServer } from "../support/app-server";
import { findChromium } from "./support/browser";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    serverLogFile: string;
  }
}

let server: AppServer | undefined;
let dataDir: string | undefined;
let templateDir: string | undefined;

async function buildApp(): Promise<void> {
  const started = Date.now();
  const output: Buffer[] = [];
  const child = spawn(process.execPath, [path.join(projectRoot, "node_modules/next/dist/bin/next"), "build"], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (chunk: Buffer) => output.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => output.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => child.once("error", reject).once("exit", resolve));
  if (code !== 0) throw new Error(`next build failed:\n${Buffer.concat(output).toString("utf8")}`);
  console.log(`e2e: next build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * An embedded database made and migrated the way the server does it on a first start,
 * and nothing else in it; servers on new data folders start from a copy.
 */
async function makeEmbeddedTemplate(): Promise<string> {
  templateDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-e2e-template-"));
  const embedded = await startEmbeddedPostgres({ dataDir: templateDir, socketDir: path.join(templateDir, "run") });
  try {
    await applyPendingMigrations(embedded.connectionString);
  } finally {
    await embedded.stop();
  }
  return path.join(templateDir, "postgres");
}

export async function setup(project: TestProject) {
  findChromium(); // fail fast, with install instructions, before the build
  const [template] = await Promise.all([makeEmbeddedTemplate(), process.env.VAULTFLOW_E2E_REUSE_BUILD === "1" ? undefined : buildApp()]);
  // Read by tests/support/app-server.ts here and in the test workers, which start later.
  process.env[EMBEDDED_TEMPLATE_ENV] = template;
  dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-e2e-"));
  // TRUST_PROXY lets a test speak for a client address of its own (X-Forwarded-For),
  // so brute-force limits it trips do not spill into the other tests.
  server = await startAppServer({ dataDir, env: { TRUST_PROXY: "true" } });
  project.provide("baseUrl", server.url);
  project.provide("serverLogFile", server.logFile);
}

export async function teardown() {
  await server?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (templateDir) rmSync(templateDir, { recursive: true, force: true });
}
