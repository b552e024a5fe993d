// Shared parts of the peers bench: the loopback sink every flow posts to, the load
// phases (autocannon), the crash test, child processes run in their own process group
// (so `kill -9` takes a whole system down, helpers included), and throwaway databases.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import pg from "pg";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function loadAverage(): string {
  return os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

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

/** What every system under test offers the bench. */
export type TSystem = {
  name: string;
  /** Webhook that runs the flow and answers with `{ id, total }` once the sink has it. */
  hookUrl: string;
  /** The crash test's webhook, and which answer status means "accepted". */
  crash: {
    url: string;
    /** "answer": only an answer counts (Vaultflow's 202); "answer-or-in-flight": an answer, or a request the kill cut off. */
    accepted: "answer" | "answer-or-in-flight";
    acceptStatus: number;
    /** What "survives" means for this system, printed with the figures. */
    meaning: string;
  };
  kill9: () => Promise<void>;
  restart: () => Promise<void>;
  /** Runs the system still has to do (queued or running), when it can tell; 0 otherwise. */
  pending: () => Promise<number>;
  /** A line on the system's own record after the restart (e.g. its executions table). */
  stateAfterRestart: () => Promise<string>;
  /** Extra facts for the report (database, mode, versions). */
  facts: string;
  stop: () => Promise<void>;
};

// --- the sink: each flow's HTTP step posts `{ id, total }` here.
export type TSink = {
  url: string;
  /** POSTs received per id. */
  posts: Map<string, number>;
  /** Total received per id (the last one). */
  totals: Map<string, number>;
  parseErrors: () => number;
  /** Ids with this prefix are answered only after `ms` (a slow downstream, for the crash test). */
  delay: (prefix: string, ms: number) => void;
  countPrefix: (prefix: string) => { ids: number; posts: number };
  close: () => Promise<void>;
};

export async function startSink(): Promise<TSink> {
  const posts = new Map<string, number>();
  const totals = new Map<string, number>();
  const delays = new Map<string, number>();
  let parseErrors = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      let wait = 0;
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { id?: unknown; total?: unknown };
        const id = String(body.id);
        posts.set(id, (posts.get(id) ?? 0) + 1);
        totals.set(id, Number(body.total));
        for (const [prefix, ms] of delays) if (id.startsWith(prefix)) wait = ms;
      } catch {
        parseErrors += 1;
      }
      const answer = () => response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
      if (wait > 0) setTimeout(answer, wait);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/sink`;
  return {
    url,
    posts,
    totals,
    parseErrors: () => parseErrors,
    delay: (prefix, ms) => delays.set(prefix, ms),
    countPrefix: (prefix) => {
      let ids = 0;
      let count = 0;
      for (const [id, n] of posts) {
        if (!id.startsWith(prefix)) continue;
        ids += 1;
        count += n;
      }
      return { ids, posts: count };
    },
    close: () => new Promise((resolve) => server.close(() => resolve()).closeAllConnections()),
  };
}

// --- request bodies: qty × price, with the expected total computed the same way.
export function order(id: string, n: number): { id: string; qty: number; price: number; total: number } {
  const qty = 1 + (n % 17);
  const price = Math.round((1 + ((n * 7919) % 9973) / 100) * 100) / 100;
  return { id, qty, price, total: qty * price };
}

// --- load phases (autocannon 9 ships no types; only what this bench uses).
type TAutocannonRequest = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
type TContext = { id?: string; total?: number };
type TAutocannonResult = {
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { sent: number };
};
type TAutocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  requests: {
    method: string;
    headers: Record<string, string>;
    setupRequest: (request: TAutocannonRequest, context: TContext) => TAutocannonRequest;
    onResponse: (status: number, body: string, context: TContext) => void;
  }[];
}) => Promise<TAutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as TAutocannon;

export type TPhaseResult = {
  phase: string;
  connections: number;
  seconds: number;
  sent: number;
  /** 200 answers whose body had the right id and total. */
  correct: number;
  runsPerSecond: number;
  wrongAnswers: number;
  errors: number;
  non2xx: number;
  timeouts: number;
  p50: number;
  p99: number;
  /** The sink's side: ids of this phase it got, and POSTs (more than ids: duplicates). */
  sinkIds: number;
  sinkPosts: number;
  /** Correct answers whose id never reached the sink. */
  answeredNotAtSink: number;
  /** Ids at the sink with a wrong total. */
  sinkWrongTotals: number;
  loadAverage: string;
};

export async function loadPhase(
  sink: TSink,
  url: string,
  options: { phase: string; prefix: string; connections: number; seconds: number },
): Promise<TPhaseResult> {
  let next = 0;
  let correct = 0;
  let wrongAnswers = 0;
  const expected = new Map<string, number>();
  const answered = new Set<string>();
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        setupRequest: (request, context) => {
          const n = next++;
          const body = order(`${options.prefix}-${n}`, n);
          context.id = body.id;
          context.total = body.total;
          expected.set(body.id, body.total);
          return { ...request, body: JSON.stringify({ id: body.id, qty: body.qty, price: body.price }) };
        },
        onResponse: (status, body, context) => {
          if (status !== 200) return;
          try {
            const answer = JSON.parse(body) as { id?: unknown; total?: unknown };
            if (answer.id === context.id && answer.total === context.total) {
              correct += 1;
              answered.add(context.id!);
              return;
            }
          } catch {
            // counted below
          }
          wrongAnswers += 1;
        },
      },
    ],
  });
  // Requests cut off when the window closed may still finish: give them a moment.
  await sleep(1500);
  const { ids, posts } = sink.countPrefix(`${options.prefix}-`);
  let answeredNotAtSink = 0;
  for (const id of answered) if (!sink.posts.has(id)) answeredNotAtSink += 1;
  let sinkWrongTotals = 0;
  for (const [id, total] of expected) if (sink.totals.has(id) && sink.totals.get(id) !== total) sinkWrongTotals += 1;
  return {
    phase: options.phase,
    connections: options.connections,
    seconds: result.duration,
    sent: result.requests.sent,
    correct,
    runsPerSecond: Math.round((correct / result.duration) * 10) / 10,
    wrongAnswers,
    errors: result.errors,
    non2xx: result.non2xx,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    sinkIds: ids,
    sinkPosts: posts,
    answeredNotAtSink,
    sinkWrongTotals,
    loadAverage: loadAverage(),
  };
}

// --- the crash test.
export type TCrashResult = {
  sent: number;
  answered: number;
  inFlightAtKill: number;
  refused: number;
  accepted: number;
  reachedSinkBeforeRestart: number;
  reachedSink: number;
  lost: number;
  duplicates: number;
  waitedAfterRestartMs: number;
  stateAfterRestart: string;
  meaning: string;
};

type TOutcome = "answered" | "cut" | "refused" | "other";

function postOnce(url: string, body: string, acceptStatus: number): Promise<TOutcome> {
  return new Promise((resolve) => {
    const request = http.request(url, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
    });
    let isSent = false;
    request.on("finish", () => (isSent = true));
    request.on("response", (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode === acceptStatus ? "answered" : "other"));
      response.on("error", () => resolve("cut"));
    });
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED") resolve("refused");
      else resolve(isSent ? "cut" : "refused");
    });
    request.setTimeout(120_000, () => request.destroy());
    request.end(body);
  });
}

/**
 * Sends `count` requests at `rate` a second to the crash webhook while the sink answers
 * them only after `sinkDelayMs` (a slow downstream keeps runs in flight), kills the whole
 * system with SIGKILL `killAfterMs` after the first, restarts it, and waits until every
 * accepted request's run reached the sink and nothing is pending, or nothing moved for
 * `quietMs` with nothing pending, or `maxWaitMs` passed.
 */
export async function crashTest(
  system: TSystem,
  sink: TSink,
  options: { count: number; rate: number; killAfterMs: number; sinkDelayMs: number; quietMs: number; maxWaitMs: number },
): Promise<TCrashResult> {
  const prefix = `crash-${system.name.toLowerCase().replace(/[^a-z]/g, "")}-`;
  sink.delay(prefix, options.sinkDelayMs);
  const outcomes = new Map<string, Promise<TOutcome>>();
  const started = Date.now();
  let isKilled = false;
  const killing = sleep(options.killAfterMs).then(async () => {
    await system.kill9();
    isKilled = true;
  });
  for (let n = 0; n < options.count; n++) {
    const wait = started + (n * 1000) / options.rate - Date.now();
    if (wait > 0) await sleep(wait);
    const body = order(`${prefix}${n}`, n);
    outcomes.set(body.id, postOnce(system.crash.url, JSON.stringify({ id: body.id, qty: body.qty, price: body.price }), system.crash.acceptStatus));
  }
  await killing;
  if (!isKilled) throw new Error("kill failed");
  const settled = new Map<string, TOutcome>();
  for (const [id, outcome] of outcomes) settled.set(id, await outcome);
  const acceptedIds = [...settled].filter(([, o]) => o === "answered" || (o === "cut" && system.crash.accepted === "answer-or-in-flight")).map(([id]) => id);
  const reachedSinkBeforeRestart = acceptedIds.filter((id) => sink.posts.has(id)).length;

  await system.restart();
  const restartedAt = Date.now();
  let lastCount = -1;
  let lastChange = Date.now();
  for (;;) {
    const arrived = acceptedIds.filter((id) => sink.posts.has(id)).length;
    if (arrived !== lastCount) {
      lastCount = arrived;
      lastChange = Date.now();
    }
    // All there is not the end while runs are still pending: a run taken over after the crash may post again.
    if (arrived === acceptedIds.length && (await system.pending().catch(() => 0)) === 0) break;
    if (Date.now() - restartedAt > options.maxWaitMs) break;
    if (Date.now() - lastChange > options.quietMs && (await system.pending().catch(() => 0)) === 0) break;
    await sleep(250);
  }
  // Late duplicates (a run re-executed after the crash) get a moment to show up.
  await sleep(1000);
  const waitedAfterRestartMs = Date.now() - restartedAt;
  const reachedSink = acceptedIds.filter((id) => sink.posts.has(id)).length;
  let duplicates = 0;
  for (const [id, n] of sink.posts) if (id.startsWith(prefix) && n > 1) duplicates += n - 1;
  const count = (kind: TOutcome) => [...settled.values()].filter((o) => o === kind).length;
  return {
    sent: options.count,
    answered: count("answered"),
    inFlightAtKill: count("cut"),
    refused: count("refused") + count("other"),
    accepted: acceptedIds.length,
    reachedSinkBeforeRestart,
    reachedSink,
    lost: acceptedIds.length - reachedSink,
    duplicates,
    waitedAfterRestartMs,
    stateAfterRestart: await system.stateAfterRestart().catch((error: unknown) => `(could not read: ${String(error)})`),
    meaning: system.crash.meaning,
  };
}

// --- child processes in their own process group.
export type TService = {
  pid: number;
  logs: () => string;
  kill9: () => Promise<void>;
  stop: () => Promise<void>;
};

export async function startService(options: {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  logFile: string;
  /** Polled until it answers with a status below 500 (any answer means listening). */
  readyUrl: string;
  readyMethod?: string;
  timeoutMs?: number;
}): Promise<TService> {
  const child: ChildProcess = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_ENV: "production", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let tail = "";
  const collect = (chunk: Buffer) => {
    appendFileSync(options.logFile, chunk);
    tail = (tail + chunk.toString("utf8")).slice(-8000);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid!;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${options.name} exited before answering:\n${tail}`);
    try {
      const response = await fetch(options.readyUrl, { method: options.readyMethod ?? "GET", signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      signalGroup("SIGKILL");
      throw new Error(`${options.name} did not answer ${options.readyUrl} in time:\n${tail}`);
    }
    await sleep(250);
  }
  return {
    pid,
    logs: () => tail,
    kill9: async () => {
      signalGroup("SIGKILL");
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup("SIGTERM");
      const isDone = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!isDone) {
        signalGroup("SIGKILL");
        await exited;
      }
    },
  };
}

// --- throwaway PostgreSQL databases on a local server.
export async function createDatabase(serverUrl: string, prefix: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const host = new URL(serverUrl).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) throw new Error(`refusing a non-local database server (${host})`);
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
