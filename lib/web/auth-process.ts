// The auth process: sign-in traffic (/api/auth/*) served by a second process of the app,
// so that a flood of sign-ins does not slow webhook calls and runs.
//
// Why: a sign-in costs about 40 ms of the event loop's time besides bcrypt (two Next.js
// route requests, next-auth, the database client), and every webhook call and run step
// in the same process waits behind it. bcrypt already runs in processes of its own at
// the lowest priority (lib/auth/password-hasher.ts); this moves the rest of a sign-in out
// of the process that serves webhooks and runs flows, to a process the kernel schedules
// below it (a session and a scheduling group of its own at nice AUTH_PROCESS_NICE).
//
// How:
// - server.ts (the main process) forks server.ts again with `--auth-process=<socket>`.
//   That process loads the same app and serves the same request pipeline (security
//   headers, request ids, access records, Next.js), on a Unix socket in a folder only
//   this user can open, and runs no background work (lib/web/process-role.ts).
// - The main process passes /api/auth/* requests through as they came, adding the TCP
//   peer's address in PEER_ADDRESS_HEADER (any client-sent value is replaced), and
//   copies the answer back. Nothing else reaches the auth process.
// - Until the auth process is ready, and whenever it is gone, the main process serves
//   /api/auth/* itself: the auth process is a scheduling choice, never a dependency.
//   A process that exits is started again (backoff from 1 s to 30 s).
// - The auth process exits when its parent's IPC channel closes (the main process
//   stopped or was killed), and the main process stops it on shutdown.
// Only with an external database (DATABASE_URL): the embedded one runs inside the main
// process, so every query of a sign-in would run there anyway.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import os from "node:os";
import path from "node:path";
import type { Logger } from "pino";

/** The argument that makes server.ts an auth process: `--auth-process=<socket path>`. */
export const AUTH_PROCESS_ARG = "--auth-process=";
/** The main process's TCP peer for a passed-through request; the auth process reads the client's address from it. */
export const PEER_ADDRESS_HEADER = "x-vaultflow-peer-address";
/**
 * The lowest priority, as bcrypt's: a sign-in is mostly bcrypt, which already gets only
 * the CPU time nobody else wants, so the rest of it waits with it. At nice 10 the webhook
 * p99 rose 1.84× under a sign-in flood; at 19, 1.19–1.57× in four runs (bench/README.md).
 */
export const AUTH_PROCESS_NICE = 19;

/** How long server.ts keeps an idle keep-alive connection open, in both processes (above a load balancer's usual 60 s). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/**
 * How long the main process keeps an idle connection to the auth process: shorter than
 * the auth process's KEEP_ALIVE_TIMEOUT_MS, so that the main process always closes it
 * first. Were the auth process to close it first, a request put on it at that moment
 * would fail, and the person signing in would get a 503. (Node's client takes the
 * server's Keep-Alive hint only when the agent has a timeout of its own.)
 */
export const PASS_THROUGH_IDLE_MS = 60_000;

export type TAuthProcessMessage = { type: "ready" };

/** The requests the auth process serves: next-auth's routes. */
export function isAuthPath(url: string | undefined): boolean {
  return url !== undefined && url.startsWith("/api/auth/");
}

/** In server.ts: the socket an auth process must listen on, or undefined in the main process. */
export function authProcessSocket(argv: readonly string[]): string | undefined {
  const arg = argv.find((value) => value.startsWith(AUTH_PROCESS_ARG));
  return arg ? arg.slice(AUTH_PROCESS_ARG.length) : undefined;
}

// Connection-level headers (RFC 9110 §7.6.1): they describe one hop, not the message.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);

/** The headers to send on: hop-by-hop ones dropped, the peer's address set (a client's own value replaced). */
export function passThroughHeaders(headers: http.IncomingHttpHeaders, peerAddress: string | undefined): http.OutgoingHttpHeaders {
  // Headers the Connection header names are hop-by-hop too.
  const named = new Set((headers.connection ?? "").split(",").map((token) => token.trim().toLowerCase()));
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name) || name === PEER_ADDRESS_HEADER) continue;
    out[name] = value;
  }
  out[PEER_ADDRESS_HEADER] = peerAddress ?? "";
  return out;
}

/** An answer's raw header list (name, value, name, value...) without hop-by-hop headers; Set-Cookie stays one line each. */
export function answerHeaders(rawHeaders: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (!HOP_BY_HOP.has(rawHeaders[i]!.toLowerCase())) out.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return out;
}

// A debugger's or profiler's port and output belong to the process they were given to.
const PER_PROCESS_FLAG = /^--(inspect|debug|cpu-prof|heap-prof|prof)/;

/** The main process's Node flags (the TypeScript loader, module conditions, heap size) without debugger and profiler flags. */
export function childExecArgv(execArgv: readonly string[]): string[] {
  return execArgv.filter((flag) => !PER_PROCESS_FLAG.test(flag));
}

export type TAuthProcess = {
  /** Passes the request to the auth process and returns true, or returns false when it is not ready (serve it here). */
  serve(req: IncomingMessage, res: ServerResponse, failureHeaders: ReadonlyArray<[string, string]>): boolean;
  stop(): Promise<void>;
};

const FIRST_RESTART_MS = 1_000;
const LAST_RESTART_MS = 30_000;
// A process that ran this long before it exited is restarted after the first delay again.
const STABLE_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/** The main process's connections to the auth process: kept alive, closed after `idleMs` unused. */
export function passThroughAgent(idleMs = PASS_THROUGH_IDLE_MS): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 64, timeout: idleMs });
}

/**
 * Starts the auth process for the main process. `serverFile` and `execArgv` are how the
 * main process itself was started (server.ts under tsx).
 */
export function startAuthProcess(options: { serverFile: string; execArgv: readonly string[]; log: Logger }): TAuthProcess {
  const { log } = options;
  // mkdtemp makes the folder 0700: only this user can reach the socket, which is what
  // lets the auth process trust PEER_ADDRESS_HEADER.
  const folder = mkdtempSync(path.join(os.tmpdir(), "vaultflow-auth-"));
  const socketPath = path.join(folder, "http.sock");
  const agent = passThroughAgent();
  let child: ChildProcess | undefined;
  let isReady = false;
  let isStopping = false;
  let restartDelay = FIRST_RESTART_MS;
  let restartTimer: NodeJS.Timeout | undefined;

  const launch = () => {
    restartTimer = undefined;
    const startedAt = Date.now();
    // A killed process leaves its socket file behind, and a new one could not listen on it.
    rmSync(socketPath, { force: true });
    const proc = fork(options.serverFile, [`${AUTH_PROCESS_ARG}${socketPath}`], {
      execArgv: childExecArgv(options.execArgv),
      // A session of its own, hence a scheduling group of its own (lib/os/lower-priority.ts).
      detached: true,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child = proc;
    proc.on("message", (message: TAuthProcessMessage) => {
      if (message?.type !== "ready" || proc !== child) return;
      isReady = true;
      log.info({ authPid: proc.pid }, "auth process ready: it serves /api/auth/*");
    });
    proc.on("error", (error) => log.warn({ err: { name: error.name, message: error.message } }, "auth process error"));
    proc.once("exit", (code, signal) => {
      if (proc !== child) return;
      isReady = false;
      child = undefined;
      if (isStopping) return;
      if (Date.now() - startedAt >= STABLE_MS) restartDelay = FIRST_RESTART_MS;
      log.warn({ code, signal, restartInMs: restartDelay }, "auth process exited; this process serves /api/auth/* until it is back");
      restartTimer = setTimeout(launch, restartDelay);
      restartTimer.unref();
      restartDelay = Math.min(restartDelay * 2, LAST_RESTART_MS);
    });
  };
  launch();

  return {
    serve(req, res, failureHeaders) {
      if (!isReady) return false;
      const upstream = http.request({
        socketPath,
        agent,
        method: req.method,
        path: req.url,
        headers: passThroughHeaders(req.headers, req.socket.remoteAddress),
      });
      upstream.on("response", (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answerHeaders(answer.rawHeaders));
        answer.pipe(res);
        answer.on("error", () => res.destroy());
      });
      upstream.on("error", () => {
        // The auth process went away mid-request. The body may be half sent, so the
        // request cannot be served here instead: the client is told to try again.
        if (res.headersSent) {
          res.destroy();
          return;
        }
        for (const [name, value] of failureHeaders) res.setHeader(name, value);
        res
          .writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "1", "Cache-Control": "no-store" })
          .end("Sign-in is restarting. Try again in a moment.");
      });
      // A client that leaves early: stop the request on the auth process's side too.
      res.once("close", () => {
        if (!res.writableFinished) upstream.destroy();
      });
      req.pipe(upstream);
      return true;
    },
    async stop() {
      isStopping = true;
      isReady = false;
      if (restartTimer) clearTimeout(restartTimer);
      agent.destroy();
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
        proc.kill("SIGTERM");
        const forced = setTimeout(() => proc.kill("SIGKILL"), STOP_GRACE_MS);
        await exited;
        clearTimeout(forced);
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
