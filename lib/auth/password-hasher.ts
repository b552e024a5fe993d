// Password hashing: bcrypt (bcryptjs) at cost 12 over a keyed pre-hash, run in a small
// pool of worker threads.
//
// - Why the pre-hash: bcrypt reads only the first 72 bytes of its input, so two long
//   passwords sharing a 72-byte prefix would hash the same. bcrypt instead receives
//   base64(HMAC-SHA-384(pepper, NFKC(password))): 64 ASCII characters, no NUL bytes,
//   every bit of the password counted. The pepper (PASSWORD_PEPPER, from configuration)
//   also means a stolen database alone does not allow offline guessing.
// - Why worker threads: a cost-12 bcryptjs hash is ~0.5 s of pure JavaScript. On the main
//   thread a handful of concurrent sign-ins would stall every other request.
// - Why verifyPasswordOrDummy: "unknown email" must cost the same as "wrong password",
//   or response time tells an attacker which accounts exist.
import "server-only";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

export const DEFAULT_BCRYPT_COST = 12;
const MIN_BCRYPT_COST = 4;
const MAX_BCRYPT_COST = 31;
const MIN_PEPPER_BYTES = 32;

// Enough to use both cores of a small server without queueing bcrypt behind itself;
// capped because a web process has other work to do.
const POOL_SIZE = Math.max(1, Math.min(4, os.availableParallelism()));

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
  // Same acceptance as lib/env.ts (base64 or base64url); the value never appears in errors.
  const key = typeof pepper === "string" && /^[A-Za-z0-9+/_-]+={0,2}$/.test(pepper) ? Buffer.from(pepper, "base64") : undefined;
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

type Job = {
  id: number;
  message: (id: number) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
};
type Slot = { worker: Worker; job: Job | undefined; isRetired: boolean };
type WorkerRequest = { op: "hash"; input: string; cost: number } | { op: "compare"; input: string; hash: string };
type WorkerResponse = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/**
 * A fixed-size pool, one job per worker at a time, FIFO queue. Workers start when work
 * arrives. An idle worker is unref'd so it never keeps the process alive; a busy one is
 * ref'd so that a script awaiting a hash does not exit before the answer arrives.
 * A worker that crashes, exits or breaks the protocol is retired: its job (only that
 * one) is rejected and the next queued job gets a fresh worker.
 */
class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;

  constructor(
    private readonly file: string,
    private readonly size: number,
  ) {}

  run(message: WorkerRequest): Promise<unknown> {
    return this.runRaw((id) => ({ ...message, id }));
  }

  runRaw(message: (id: number) => unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, message, resolve, reject });
      this.pump();
    });
  }

  workerCount(): number {
    return this.slots.length;
  }

  async terminateBusyWorker(): Promise<boolean> {
    const slot = this.slots.find((candidate) => candidate.job !== undefined);
    if (!slot) return false;
    await slot.worker.terminate();
    return true;
  }

  async shutdown(): Promise<void> {
    const error = new PasswordHasherError("password hasher was shut down");
    for (const job of this.queue.splice(0)) job.reject(error);
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      slot.isRetired = true;
      slot.job?.reject(error);
      slot.job = undefined;
    }
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let slot: Slot | undefined;
      try {
        slot = this.slots.find((candidate) => candidate.job === undefined) ?? this.spawn();
      } catch (error) {
        this.queue.shift()!.reject(new PasswordHasherError("could not start a bcrypt worker", { cause: error }));
        continue;
      }
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      try {
        slot.worker.postMessage(job.message(job.id));
      } catch (error) {
        // Not cloneable (only possible for a raw test job); the worker is untouched.
        slot.job = undefined;
        slot.worker.unref();
        job.reject(new PasswordHasherError("could not send job to bcrypt worker", { cause: error }));
      }
    }
  }

  private spawn(): Slot | undefined {
    if (this.slots.length >= this.size) return undefined;
    // No environment (the worker needs no secrets) and no inherited flags such as a
    // TypeScript loader: the worker is plain JavaScript.
    const worker = new Worker(this.file, { name: "vaultflow-bcrypt", env: {}, execArgv: [] });
    const slot: Slot = { worker, job: undefined, isRetired: false };
    worker.on("message", (response: unknown) => this.settle(slot, response));
    worker.on("error", (error) => this.retire(slot, new PasswordHasherError("bcrypt worker crashed", { cause: error })));
    worker.on("messageerror", (error) => this.retire(slot, new PasswordHasherError("bcrypt worker sent an unreadable message", { cause: error })));
    worker.on("exit", (code) => this.retire(slot, new PasswordHasherError(`bcrypt worker exited (code ${code})`)));
    // After the listeners: adding a "message" listener refs the worker's port again.
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot, response: unknown): void {
    const job = slot.job;
    if (!job || !isWorkerResponse(response) || response.id !== job.id) {
      this.retire(slot, new PasswordHasherError("bcrypt worker broke the message protocol"));
      return;
    }
    slot.job = undefined;
    slot.worker.unref();
    if (response.ok) job.resolve(response.value);
    else job.reject(new PasswordHasherError(`bcrypt worker refused the job: ${response.error}`));
    this.pump();
  }

  private retire(slot: Slot, error: Error): void {
    if (slot.isRetired) return;
    slot.isRetired = true;
    const index = this.slots.indexOf(slot);
    if (index !== -1) this.slots.splice(index, 1);
    const job = slot.job;
    slot.job = undefined;
    job?.reject(error);
    void slot.worker.terminate();
    this.pump();
  }
}

function isWorkerResponse(value: unknown): value is WorkerResponse {
  if (typeof value !== "object" || value === null) return false;
  const response = value as Record<string, unknown>;
  return Number.isSafeInteger(response.id) && (response.ok === true || (response.ok === false && typeof response.error === "string"));
}
