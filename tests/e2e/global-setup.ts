// Builds the production bundle once, then starts one shared server on a free port
// with a fresh data folder. Tests that need their own server lifecycle start one.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { projectRoot, startAppServer, type AppServer } from "../support/app-server";
import { findChromium } from "./support/browser";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    serverLogFile: string;
  }
}

let server: AppServer | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject) {
  findChromium(); // fail fast, with install instructions, before the build
  if (process.env.VAULTFLOW_E2E_REUSE_BUILD !== "1") {
    const started = Date.now();
    const build = spawnSync(process.execPath, [path.join(projectRoot, "node_modules/next/dist/bin/next"), "build"], {
      cwd: projectRoot,
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`next build failed:\n${build.stdout}\n${build.stderr}`);
    console.log(`e2e: next build took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
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
}
