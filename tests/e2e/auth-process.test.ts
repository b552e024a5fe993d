// The auth process (lib/web/auth-process.ts): with an external database, the server
// passes sign-in traffic (/api/auth/*) to a second process of the app, which the kernel
// schedules below the process that serves webhooks and runs flows. Checked from outside,
// on the real server against PostgreSQL: who serves a sign-in, at what priority, that a
// client cannot choose its own address through the header the two processes share,
// and what happens when either process dies.
import { fork } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonLogs, projectRoot, type AppServer } from "../support/app-server";
import { createTestDatabase } from "../support/test-database";
import { HttpClient } from "./support/http-client";
import { signUpOverHttp, TEST_PASSWORD, until } from "./support/http-flows";
import { setupCleanups, startOwnServer, tempFolder } from "./support/own-server";

const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const cleanups = setupCleanups();
let app: AppServer;
let databaseUrl: string;

/** /proc/<pid>/stat's fields after the command name: [state, ppid, pgrp, session, ...]. */
const statOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
};
/** Running or sleeping, not gone and not a zombie waiting to be reaped. */
const isAlive = (pid: number) => {
  try {
    return statOf(pid)[0] !== "Z";
  } catch {
    return false;
  }
};

/** The pids the server has logged as "auth process ready", oldest first. */
const readyAuthPids = () =>
  jsonLogs(app).flatMap((line) => (typeof line.authPid === "number" && /auth process ready/.test(String(line.msg)) ? [line.authPid] : []));

/** Waits for an auth process other than `previous` to be ready; returns its pid. */
const nextAuthPid = (previous: number[] = []) => until("an auth process to be ready", async () => readyAuthPids().find((pid) => !previous.includes(pid)));

/** One credentials sign-in with extra request headers; the callback's status. */
const signInStatus = (email: string, password: string, headers: Record<string, string> = {}) =>
  new HttpClient(app.url, "198.51.100.7").signInStatus(email, password, headers);

beforeAll(async () => {
  const database = await createTestDatabase({ migrate: false });
  cleanups.add(() => database.drop());
  databaseUrl = database.connectionString;
  // Production with DATABASE_URL insists on an https APP_URL and configured secrets; requests still go to 127.0.0.1.
  app = await startOwnServer(cleanups, "vaultflow-e2e-auth-process-", {
    DATABASE_URL: databaseUrl,
    APP_URL: "https://flows.example.test",
    AUTH_SECRET: key(41),
    PASSWORD_PEPPER: key(42),
    ENCRYPTION_KEYS: `k1:${key(43)}`,
  });
});

describe.runIf(process.platform === "linux")("the auth process", () => {
  it("serves sign-ins from a session of its own at nice 19, and the main process does not wait for it", async () => {
    const authPid = await nextAuthPid();
    const [, ppid, , session] = statOf(authPid);
    expect(Number(ppid)).toBe(app.pid);
    expect(Number(session)).toBe(authPid);
    expect(os.getPriority(authPid)).toBe(19);
    // The main process keeps the priority and the scheduling group it was started with (this runner's).
    expect(os.getPriority(app.pid)).toBe(os.getPriority());
    if (existsSync(`/proc/${authPid}/autogroup`)) {
      expect(readFileSync(`/proc/${authPid}/autogroup`, "utf8").trim()).toMatch(/ nice 19$/);
      expect(readFileSync(`/proc/${app.pid}/autogroup`, "utf8").trim()).toBe(readFileSync("/proc/self/autogroup", "utf8").trim());
    }

    // A sign-in through the auth process gives a session the main process accepts.
    const { email } = await signUpOverHttp(app.url, "198.51.100.7", "auth-process");
    const client = new HttpClient(app.url, "198.51.100.8");
    await client.signIn(email, TEST_PASSWORD);

    // With the auth process frozen, the main process still answers at once, and a
    // sign-in request waits for the auth process: it is the one serving /api/auth/*.
    process.kill(authPid, "SIGSTOP");
    try {
      const live = await fetch(`${app.url}/api/health/live`, { signal: AbortSignal.timeout(10_000) });
      expect(live.status).toBe(200);
      const frozen = await fetch(`${app.url}/api/auth/csrf`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => response.status,
        (error: Error) => error.name,
      );
      expect(frozen).toBe("TimeoutError");
    } finally {
      process.kill(authPid, "SIGCONT");
    }
    expect((await fetch(`${app.url}/api/auth/csrf`)).status).toBe(200);
  });

  it("takes the client's address from the TCP peer: a client-sent peer header changes nothing (hostile client)", async () => {
    // Ten wrong passwords per address and email in 15 minutes; the eleventh is refused.
    // Were the header trusted, each attempt would count for an address of its own.
    const email = `target-${Date.now()}@example.com`;
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 11; attempt++) {
      statuses.push(await signInStatus(email, "not the password at all 1", { "x-vaultflow-peer-address": `203.0.113.${attempt}` }));
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);

    const { default: pg } = await import("pg");
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // Access records are buffered and written in batches: wait for this file's callbacks.
      const rows = await until("the sign-ins' access records", async () => {
        const result = await client.query<{ clientIp: string }>(`SELECT "clientIp" FROM access_records WHERE route = '/api/auth/[...nextauth]'`);
        // This test's CSRF and callback requests (22), and the first test's.
        return result.rows.length >= 22 ? result.rows : undefined;
      });
      expect(new Set(rows.map((row) => row.clientIp))).toEqual(new Set(["127.0.0.1"]));
    } finally {
      await client.end();
    }
  });

  it("keeps signing people in when the auth process is killed, and starts it again", async () => {
    const { email } = await signUpOverHttp(app.url, "198.51.100.9", "after-kill");
    const before = readyAuthPids();
    const killed = before.at(-1)!;
    process.kill(killed, "SIGKILL");
    await until("the main process to see the auth process exit", async () =>
      jsonLogs(app).some((line) => /auth process exited/.test(String(line.msg))) ? true : undefined,
    );
    // Served by the main process itself until the new auth process is ready.
    expect(await signInStatus(email, TEST_PASSWORD)).toBe(200);
    const restarted = await nextAuthPid(before);
    expect(restarted).not.toBe(killed);
    expect(Number(statOf(restarted)[1])).toBe(app.pid);
    expect(await signInStatus(email, TEST_PASSWORD)).toBe(200);
  });

  it("exits at once, serving nothing, when its main process is gone before it has started", async () => {
    // Started as the main process starts it, whose channel then closes at once (the main
    // process killed right after the fork): it must neither open its socket nor linger.
    const folder = tempFolder(cleanups, "vaultflow-e2e-auth-orphan-");
    const socket = path.join(folder, "http.sock");
    const orphan = fork(path.join(projectRoot, "server.ts"), [`--auth-process=${socket}`], {
      cwd: projectRoot,
      execArgv: ["--import", "tsx"],
      // Detached, as the main process starts it: it lowers its session's scheduling group, which must not be the test runner's.
      detached: true,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NODE_ENV: "production",
        DATA_DIR: folder,
        DATABASE_URL: databaseUrl,
        APP_URL: "https://flows.example.test",
        AUTH_SECRET: key(41),
        PASSWORD_PEPPER: key(42),
        ENCRYPTION_KEYS: `k1:${key(43)}`,
      },
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    const exited = new Promise<number | null>((resolve) => orphan.once("exit", (code) => resolve(code)));
    orphan.disconnect();
    const code = await Promise.race([exited, new Promise<"running">((resolve) => setTimeout(() => resolve("running"), 20_000))]);
    if (code === "running") orphan.kill("SIGKILL");
    expect(code).toBe(0);
    expect(existsSync(socket)).toBe(false);
  });

  it("ends with the main process, even when that one is killed", async () => {
    const authPid = readyAuthPids().at(-1)!;
    expect(isAlive(authPid)).toBe(true);
    await app.stop("SIGKILL");
    await until("the auth process to exit", async () => (isAlive(authPid) ? undefined : true), 10_000);
  });
});
