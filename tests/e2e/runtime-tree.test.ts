// The container's runtime, short of the container itself (no container runtime runs
// here): scripts/build-runtime-tree.sh makes, from this checkout's production build,
// the same tree the Dockerfile's build stage makes for the image's /app; the test copies
// it to a fresh folder and starts it the way the image does (the Dockerfile's own CMD
// and HEALTHCHECK commands, read from the file) as an unprivileged user, in production,
// against a fresh PostgreSQL database, with its port set only in a .env file.
// In the e2e tier because it needs the production build the tier's global setup makes.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, projectRoot } from "../support/app-server";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

// nobody:nogroup on Debian; any account without a shell or a home would do.
const UID = 65534;
const GID = 65534;
const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const secrets = { AUTH_SECRET: key(71), PASSWORD_PEPPER: key(72), ENCRYPTION_KEYS: `k1:${key(73)}` };

/** The JSON-array command of a Dockerfile instruction (CMD, or HEALTHCHECK's CMD). */
function dockerfileCommand(pattern: RegExp): string[] {
  const dockerfile = readFileSync(path.join(projectRoot, "Dockerfile"), "utf8").replace(/\\\n\s*/g, " ");
  const match = pattern.exec(dockerfile);
  if (!match) throw new Error(`Dockerfile: no instruction matching ${pattern}`);
  return JSON.parse(match[1]!) as string[];
}

/** Runs a command as the unprivileged user, like the image's USER. */
function asUnprivileged(command: string[]): [string, string[]] {
  return ["setpriv", [`--reuid=${UID}`, `--regid=${GID}`, "--clear-groups", ...command]];
}

// The unprivileged user reaches PostgreSQL over TCP; the in-process embedded stand-in
// the other tiers fall back to listens on a socket only this process's user may open.
// CI sets TEST_DATABASE_URL; without it this file is reported as skipped.
const hasServer = Boolean(process.env.TEST_DATABASE_URL);

let workDir: string;
let tree: string;
let dataDir: string;
let home: string;
let database: TestDatabase;
let port: number;
let server: ChildProcess | undefined;
let exited: Promise<number | null>;
const output: string[] = [];
let treeSeconds = 0;

beforeAll(async () => {
  if (!hasServer) return;
  if (!existsSync(path.join(projectRoot, ".next", "BUILD_ID"))) throw new Error("no production build: the e2e global setup runs next build");
  workDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-runtime-"));
  chmodSync(workDir, 0o755); // traversable by the unprivileged user; the tree inside is read-only to it
  tree = path.join(workDir, "app");
  const started = Date.now();
  await new Promise<void>((resolve, reject) =>
    execFile(
      "sh",
      [path.join(projectRoot, "scripts/build-runtime-tree.sh"), projectRoot, tree],
      { timeout: 240_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => (error ? reject(new Error(`build-runtime-tree.sh failed:\n${stdout}\n${stderr}`)) : resolve()),
    ),
  );
  treeSeconds = (Date.now() - started) / 1000;
  // The image's /data and the user's home: the only places the user can write.
  dataDir = path.join(workDir, "data");
  home = path.join(workDir, "home");
  for (const folder of [dataDir, home]) {
    mkdirSync(folder, { mode: 0o700 });
    chownSync(folder, UID, GID);
  }
  database = await createTestDatabase({ migrate: false });
}, 300_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGKILL");
    await exited;
  }
  await database?.drop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe.skipIf(!hasServer)("the runtime tree (what the image ships)", () => {
  it("holds the app and its production packages, and nothing of the checkout's secrets, tests or dev tools", () => {
    console.log(`runtime tree: built in ${treeSeconds.toFixed(1)} s`);
    for (const needed of [
      "server.ts",
      ".next/BUILD_ID",
      "prisma/migrations",
      "prisma/generated",
      "lib/server/expressions/jsonata-worker.mjs",
      "lib/auth/bcrypt-worker.mjs",
      "scripts/keys-rotate.ts",
      "node_modules/next",
      "node_modules/tsx",
      "node_modules/@prisma/schema-engine-wasm",
      "node_modules/@electric-sql/pglite",
      "node_modules/piscina",
    ]) {
      expect(existsSync(path.join(tree, needed)), needed).toBe(true);
    }
    const top = readdirSync(tree);
    expect(top.filter((name) => name.startsWith(".env"))).toEqual([]);
    for (const absent of ["tests", "bench", ".git", ".data", "app", "components", "test-results", ".next/cache", "scripts/test.mjs"]) {
      expect(existsSync(path.join(tree, absent)), absent).toBe(false);
    }
    for (const devOnly of [
      "vitest",
      "playwright-core",
      "eslint",
      "autocannon",
      "smtp-server",
      "oauth2-mock-server",
      "@inngest/test",
      "@tailwindcss/postcss",
      "axe-core",
      ".bin",
    ]) {
      expect(existsSync(path.join(tree, "node_modules", devOnly)), devOnly).toBe(false);
    }
    // Read-only to the app's user: no file of the tree is writable by others.
    const serverFile = statSync(path.join(tree, "server.ts"));
    expect(serverFile.mode & 0o022).toBe(0);
    expect(serverFile.uid).not.toBe(UID);
  });

  it("starts as an unprivileged user in production on a fresh PostgreSQL database, reading its port from .env", async () => {
    port = await freePort();
    // The operator's configuration file: the port is nowhere else.
    writeFileSync(path.join(tree, ".env"), `PORT=${port}\n`, { mode: 0o644 });
    const [command, args] = asUnprivileged(dockerfileCommand(/^CMD (\[.*\])$/m));
    server = spawn(command, args, {
      cwd: tree,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: home,
        // The image's ENV, except HOST: loopback here, so no other machine reaches the test server.
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: database.connectionString,
        APP_URL: "https://vaultflow.example.test",
        ...secrets,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    exited = new Promise((resolve) => server!.once("exit", (code) => resolve(code)));
    const collect = (chunk: Buffer) => output.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    server.stdout!.on("data", collect);
    server.stderr!.on("data", collect);

    const deadline = Date.now() + 120_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the runtime tree's server exited with ${server.exitCode}:\n${output.join("\n")}`);
      const health = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
      if (health?.status === 200) {
        expect(await health.json()).toMatchObject({ status: "ok", database: "ok" });
        break;
      }
      if (Date.now() > deadline) throw new Error(`no answer on the port from .env:\n${output.join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const signIn = await fetch(`http://127.0.0.1:${port}/sign-in`);
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await signIn.text();
    expect(html).toMatch(/<html/i);
    expect(html).toMatch(/password/i);

    // With DATABASE_URL, sign-in traffic is served by the auth process (lib/web/auth-process.ts),
    // started by the server as the same user, with its socket in the temp folder.
    const authDeadline = Date.now() + 60_000;
    while (!output.some((line) => line.includes("auth process ready"))) {
      if (Date.now() > authDeadline) throw new Error(`the auth process did not start:\n${output.join("\n")}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const csrf = await fetch(`http://127.0.0.1:${port}/api/auth/csrf`);
    expect(csrf.status).toBe(200);
    expect(await csrf.json()).toMatchObject({ csrfToken: expect.stringMatching(/^[0-9a-f]{64}$/) });

    // Migrated by the app at start, and the secrets came from the environment, not the data folder.
    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: database.connectionString });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>("SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL");
      expect(Number(rows[0]!.count)).toBe(readdirSync(path.join(tree, "prisma/migrations")).filter((name) => /^\d/.test(name)).length);
    } finally {
      await client.end();
    }
    expect(existsSync(path.join(dataDir, "secrets.json"))).toBe(false);
    const logs = output.join("\n");
    for (const value of Object.values(secrets)) expect(logs).not.toContain(value.slice(-20));
    // The tree is read-only to the app's user: nothing it does may need to write there.
    expect(output.filter((line) => /"level":"(error|fatal)"|EACCES|EPERM|EROFS/.test(line))).toEqual([]);
  }, 150_000);

  it("passes the image's HEALTHCHECK command", async () => {
    const [command, args] = asUnprivileged(dockerfileCommand(/^HEALTHCHECK .*?CMD (\[.*\])$/m));
    const code = await new Promise<number>((resolve) =>
      execFile(
        command,
        args,
        { cwd: tree, timeout: 20_000, env: { PATH: process.env.PATH ?? "", HOME: home, NODE_ENV: "production", PORT: String(port) } },
        (error) => resolve(error ? Number(error.code ?? 1) : 0),
      ),
    );
    expect(code).toBe(0);
  });

  it("runs an operator command from the tree as that user (npm run keys:status)", async () => {
    const [command, args] = asUnprivileged(["npm", "run", "-s", "keys:status"]);
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        command,
        args,
        {
          cwd: tree,
          timeout: 60_000,
          env: {
            PATH: process.env.PATH ?? "",
            HOME: home,
            NODE_ENV: "production",
            DATA_DIR: dataDir,
            DATABASE_URL: database.connectionString,
            APP_URL: "https://vaultflow.example.test",
            ...secrets,
          },
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(result.stdout).toMatch(/Key k1 is active/);
    expect(result.code).toBe(0);
  });

  it("loads the embedded database (PGlite's Wasm and data files) from the tree as that user", async () => {
    // The image's default without DATABASE_URL; an in-memory instance keeps this quick.
    const script =
      "const { PGlite } = await import('@electric-sql/pglite'); const db = await PGlite.create(); const { rows } = await db.query('SELECT 40 + 2 AS answer'); console.log(JSON.stringify(rows)); await db.close();";
    const [command, args] = asUnprivileged([process.execPath, "--input-type=module", "-e", script]);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(command, args, { cwd: tree, timeout: 60_000, env: { PATH: process.env.PATH ?? "", HOME: home, NODE_ENV: "production" } }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      ),
    );
    expect(JSON.parse(stdout.trim())).toEqual([{ answer: 42 }]);
  });

  it("stops cleanly on SIGTERM, as `docker stop` sends", async () => {
    server!.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
