// Password hashing: bcrypt (bcryptjs) at cost 12 over a keyed pre-hash, run in a small
// pool of child processes at the lowest priority (lib/auth/bcrypt-worker.mjs).
//
// - Why the pre-hash: bcrypt reads only the first 72 bytes of its input, so two long
//   passwords sharing a 72-byte prefix would hash the same. bcrypt instead receives
//   base64(HMAC-SHA-384(pepper, NFKC(password))): 64 ASCII characters, no NUL bytes,
//   every bit of the password counted. The pepper (PASSWORD_PEPPER, from configuration)
//   also means a stolen database alone does not allow offline guessing.
// - Why other processes: a cost-12 bcryptjs hash is ~0.5 s of pure JavaScript. On the
//   main thread a handful of concurrent sign-ins would stall every other request. In
//   worker threads they would not stall it, but the kernel would still count their CPU
//   time to this process's group, which then gets no more than an equal share against
//   PostgreSQL's: webhooks and runs slowed while sign-ins ran. A process in a session of
//   its own, at the lowest priority, takes only CPU time nobody else wants.
// - Why verifyPasswordOrDummy: "unknown email" must cost the same as "wrong password",
//   or response time tells an attacker which accounts exist.
import "server-only";
import { fork, type ChildProcess, type Serializable } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { decodeBase64Secret } from "../crypto/base64-secret";

export const DEFAULT_BCRYPT_COST = 12;
const MIN_BCRYPT_COST = 4;
const MAX_BCRYPT_COST = 31;
const MIN_PEPPER_BYTES = 32;

// Enough to use both cores of a small server without queueing bcrypt behind itself;
// capped because a web process has other work to do.
const POOL_SIZE = Math.max(1, Math.min(4, os.availableParallelism()));
// Sign-ins come in bursts; a process idle this long is stopped and restarted on demand.
const IDLE_TIMEOUT_MS = 60_000;

const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
// In a `u` regex a surrogate pair is one code point, so this only matches unpaired halves,
// which UTF-8 encoding would silently turn into U+FFFD (different inputs, same bytes).
const LONE_SURROGATE = /\p{Surrogate}/u;

export class PasswordHasherError extends Error {
  override name = "PasswordHasherError";
}

export type THashPasswordOptions = {
  /** bcrypt cost (log2 rounds). Default 12; below 12 only with `allowLowCostForTests`. */
  cost?: number;
  /** Lets tests use a cost below 12 to stay fast. Never set it in application code. */
  allowLowCostForTests?: boolean;
};

/**
 * base64(HMAC-SHA-384(pepper, NFKC(password))): what bcrypt actually hashes. NFKC makes
 * visually identical input typed on different keyboards (ligatures, full-width forms)
 * hash the same. Exported for tests.
 */
export function preHashPassword(password: string, pepper: string): string {
  if (typeof password !== "string") throw new TypeError("password must be a string");
  if (LONE_SURROGATE.test(password)) throw new TypeError("password is not well-formed Unicode");
  return createHmac("sha384", decodePepper(pepper)).update(password.normalize("NFKC"), "utf8").digest("base64");
}

/** Hashes a password for storage; the result is a `$2b$<cost>$...` bcrypt string. */
export async function hashPassword(password: string, pepper: string, opts: THashPasswordOptions = {}): Promise<string> {
  const cost = opts.cost ?? DEFAULT_BCRYPT_COST;
  if (!Number.isInteger(cost) || cost < MIN_BCRYPT_COST || cost > MAX_BCRYPT_COST) {
    throw new RangeError(`bcrypt cost must be an integer from ${MIN_BCRYPT_COST} to ${MAX_BCRYPT_COST}`);
  }
  if (cost < DEFAULT_BCRYPT_COST && opts.allowLowCostForTests !== true) {
    throw new RangeError(`bcrypt cost below ${DEFAULT_BCRYPT_COST} is for tests only (allowLowCostForTests)`);
  }
  if (password === "") throw new RangeError("refusing to hash an empty password");
  const value = await getPool().run({ op: "hash", input: preHashPassword(password, pepper), cost });
  if (typeof value !== "string" || !BCRYPT_HASH.test(value)) throw new PasswordHasherError("bcrypt worker returned a malformed hash");
  return value;
}

/** True when `password` matches a hash made by hashPassword with the same pepper. */
export async function verifyPassword(password: string, hash: string, pepper: string): Promise<boolean> {
  if (typeof hash !== "string" || !BCRYPT_HASH.test(hash)) throw new PasswordHasherError("stored password hash is not a bcrypt hash");
  return compare(preHashPassword(password, pepper), hash);
}

/**
 * verifyPassword for sign-in: with no hash (unknown user, or an account without a
 * password) it does the same work against a fixed dummy hash and returns false.
 * The dummy is at the default cost, so stored hashes should be too (rehash on cost change).
 */
export async function verifyPasswordOrDummy(password: string, hash: string | null | undefined, pepper: string): Promise<boolean> {
  if (hash !== null && hash !== undefined) return verifyPassword(password, hash, pepper);
  const input = preHashPassword(password, pepper);
  await compare(input, await getDummyHash());
  return false;
}

/** Stops the workers and rejects pending jobs. For tests; the pool restarts on next use. */
export async function shutdownPasswordHasher(): Promise<void> {
  const pool = state().pool;
  state().pool = undefined;
  await pool?.shutdown();
}

/** Hooks for the integration tests that prove crash recovery. Not for application code. */
export const passwordHasherTestHooks = {
  poolSize: POOL_SIZE,
  /** Posts `build(jobId)` to a worker exactly as built, bypassing every check. */
  runRawJob: (build: (jobId: number) => unknown): Promise<unknown> => getPool().runRaw(build),
  /** Terminates one worker that has a job in flight; false if none is busy. */
  terminateBusyWorker: (): Promise<boolean> => getPool().terminateBusyWorker(),
  workerCount: (): number => state().pool?.workerCount() ?? 0,
};

function decodePepper(pepper: string): Buffer {
  // Same acceptance as lib/env.ts; the value never appears in errors.
  const key = decodeBase64Secret(pepper);
  if (!key || key.length < MIN_PEPPER_BYTES) {
    throw new PasswordHasherError(`password pepper must be base64 of at least ${MIN_PEPPER_BYTES} bytes`);
  }
  return key;
}

async function compare(input: string, hash: string): Promise<boolean> {
  const value = await getPool().run({ op: "compare", input, hash });
  if (typeof value !== "boolean") throw new PasswordHasherError("bcrypt worker returned a malformed result");
  return value;
}

function getDummyHash(): Promise<string> {
  const holder = state();
  // Random input shaped like a pre-hash: nothing can match it, and the result is ignored.
  holder.dummyHash ??= getPool()
    .run({ op: "hash", input: randomBytes(48).toString("base64"), cost: DEFAULT_BCRYPT_COST })
    .then((value) => {
      if (typeof value !== "string" || !BCRYPT_HASH.test(value)) throw new PasswordHasherError("bcrypt worker returned a malformed hash");
      return value;
    })
    .catch((error: unknown) => {
      holder.dummyHash = undefined;
      throw error;
    });
  return holder.dummyHash;
}

// One pool per process, kept on globalThis so that dev-mode module reloads do not start
// a new set of workers each time.
const STATE = Symbol.for("vaultflow.passwordHasher");
type State = { pool?: WorkerPool; dummyHash?: Promise<string> };

function state(): State {
  const holder = globalThis as { [STATE]?: State };
  holder[STATE] ??= {};
  return holder[STATE];
}

function getPool(): WorkerPool {
  const holder = state();
  holder.pool ??= new WorkerPool(resolveWorkerFile(), POOL_SIZE);
  return holder.pool;
}

// The worker is loaded from disk, never bundled. Next to this module when running from
// source (tsx, vitest); in the Next.js server bundle this module lives under .next, so
// fall back to the source tree (the app always runs with the project root as cwd).
function resolveWorkerFile(): string {
  try {
    const besideThisModule = fileURLToPath(new URL("./bcrypt-worker.mjs", import.meta.url));
    if (existsSync(besideThisModule)) return besideThisModule;
  } catch {
    // import.meta.url is not a file: URL in this bundle; use the fallback.
  }
  return path.join(process.cwd(), "lib/auth/bcrypt-worker.mjs");
}

type WorkerRequest = { op: "hash"; input: string; cost: number } | { op: "compare"; input: string; hash: string };
type WorkerResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
type Job = {
  id: number;
  message: unknown;
  resolve: (response: unknown) => void;
  reject: (error: PasswordHasherError) => void;
  isTerminated: boolean;
};
type Worker = { child: ChildProcess; job?: Job; idleTimer?: NodeJS.Timeout };

// Node's exit code for an uncaught exception: the process crashed on a job.
const UNCAUGHT_EXCEPTION_EXIT_CODE = 1;

/**
 * The bcrypt processes: a fixed maximum, one job per process at a time, a FIFO queue,
 * processes started when work arrives and stopped when idle. Each is started detached
 * (a session, hence a scheduling group, of its own; see bcrypt-worker.mjs) with an
 * empty environment and no inherited flags (it is plain JavaScript), and exits when
 * this process goes. An idle process never keeps this one alive; a busy one does, so a
 * script awaiting a hash does not exit before the answer arrives. A process that
 * crashes or exits takes only its own job down (rejected), and later jobs get a fresh
 * one. Job ids are checked against answers.
 */
class WorkerPool {
  private readonly workers = new Set<Worker>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private isShutDown = false;

  constructor(
    private readonly file: string,
    private readonly size: number,
  ) {}

  run(message: WorkerRequest): Promise<unknown> {
    return this.runRaw((id) => ({ ...message, id }));
  }

  async runRaw(build: (id: number) => unknown): Promise<unknown> {
    if (this.isShutDown) throw new PasswordHasherError("password hasher was shut down");
    const id = this.nextId++;
    const response = await new Promise<unknown>((resolve, reject) => {
      this.queue.push({ id, message: build(id), resolve, reject, isTerminated: false });
      this.dispatch();
    });
    if (!isWorkerResponse(response) || response.id !== id) throw new PasswordHasherError("bcrypt worker broke the message protocol");
    if (!response.ok) throw new PasswordHasherError(`bcrypt worker refused the job: ${response.error}`);
    return response.value;
  }

  workerCount(): number {
    return this.workers.size;
  }

  /** Kills the process of the oldest job that has been handed to one (waits up to 5 s for one). */
  async terminateBusyWorker(): Promise<boolean> {
    for (let waited = 0; waited <= 5000; waited += 10) {
      const busy = [...this.workers].filter((worker) => worker.job).sort((a, b) => a.job!.id - b.job!.id)[0];
      if (busy) {
        busy.job!.isTerminated = true;
        busy.child.kill("SIGKILL");
        return true;
      }
      // No process has a job: with none queued either, there is nothing to end.
      if (this.queue.length === 0) return false;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return false;
  }

  async shutdown(): Promise<void> {
    this.isShutDown = true;
    for (const job of this.queue.splice(0)) job.reject(new PasswordHasherError("password hasher was shut down"));
    await Promise.all(
      [...this.workers].map(
        (worker) =>
          new Promise<void>((resolve) => {
            if (worker.child.exitCode !== null || worker.child.signalCode !== null) return resolve();
            worker.child.once("exit", () => resolve());
            worker.child.kill("SIGKILL");
          }),
      ),
    );
  }

  /** Hands queued jobs to idle processes, starting processes up to the pool size. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = [...this.workers].find((candidate) => !candidate.job) ?? (this.workers.size < this.size ? this.start() : undefined);
      if (!worker) return;
      this.give(worker, this.queue.shift()!);
    }
  }

  private start(): Worker {
    const child = fork(this.file, [], {
      detached: true,
      // No secret, no configuration: the process needs none.
      env: {} as NodeJS.ProcessEnv,
      execArgv: [],
      // Structured clone, as between threads: what cannot be sent fails here, at once.
      serialization: "advanced",
      // Nothing the process prints could matter; an uncaught error's text must not reach the logs.
      stdio: ["ignore", "ignore", "ignore", "ipc"],
    });
    const worker: Worker = { child };
    this.workers.add(worker);
    child.on("message", (response: unknown) => this.answered(worker, response));
    child.once("exit", (code) => this.exited(worker, code));
    // A process that cannot be started exits too; "error" alone must not throw.
    child.on("error", () => undefined);
    return worker;
  }

  private give(worker: Worker, job: Job): void {
    clearTimeout(worker.idleTimer);
    worker.job = job;
    setKeepsAlive(worker.child, true);
    try {
      worker.child.send(job.message as Serializable);
    } catch (error) {
      worker.job = undefined;
      job.reject(new PasswordHasherError("could not send job to bcrypt worker", { cause: error }));
      this.idle(worker);
    }
  }

  private answered(worker: Worker, response: unknown): void {
    const job = worker.job;
    if (!job) return;
    worker.job = undefined;
    job.resolve(response);
    this.idle(worker);
    this.dispatch();
  }

  private idle(worker: Worker): void {
    setKeepsAlive(worker.child, false);
    clearTimeout(worker.idleTimer);
    worker.idleTimer = setTimeout(() => worker.child.kill(), IDLE_TIMEOUT_MS);
    worker.idleTimer.unref();
  }

  private exited(worker: Worker, code: number | null): void {
    clearTimeout(worker.idleTimer);
    this.workers.delete(worker);
    const job = worker.job;
    worker.job = undefined;
    if (job) {
      if (this.isShutDown) job.reject(new PasswordHasherError("password hasher was shut down"));
      else if (job.isTerminated) job.reject(new PasswordHasherError("bcrypt worker exited (terminated)"));
      else if (code === UNCAUGHT_EXCEPTION_EXIT_CODE) job.reject(new PasswordHasherError("bcrypt worker crashed"));
      else job.reject(new PasswordHasherError(`bcrypt worker exited (code ${code ?? "none"})`));
    }
    if (!this.isShutDown) this.dispatch();
  }
}

/** Whether a bcrypt process (and its IPC channel) keeps this process's event loop alive. */
function setKeepsAlive(child: ChildProcess, keepsAlive: boolean): void {
  if (keepsAlive) {
    child.ref();
    child.channel?.ref();
  } else {
    child.unref();
    child.channel?.unref();
  }
}

function isWorkerResponse(value: unknown): value is WorkerResponse {
  if (typeof value !== "object" || value === null) return false;
  const response = value as Record<string, unknown>;
  return Number.isSafeInteger(response.id) && (response.ok === true || (response.ok === false && typeof response.error === "string"));
}
