import "server-only";
// The worker threads that evaluate user expressions (JSONata) for every tenant.
//
// Why: flow authors are untrusted, and JSONata checks its own time limit only between
// expression nodes. A single node that never yields (catastrophic regex backtracking,
// a huge string) would otherwise block the web process's event loop: no request, run
// or health check would be served meanwhile. In a worker thread it blocks only that
// thread, and the pool enforces what JSONata cannot:
// - a hard deadline, counted from the moment a worker picks the task up (a task that
//   waits behind others is not charged for the wait), that TERMINATES the worker
//   (piscina's abort of a running task ends its thread; V8 interrupts a regex too);
// - a heap limit per worker (`resourceLimits`): running out ends only that worker;
// - the result's size cap, checked in the worker before anything is copied back.
// Idle workers are reclaimed after IDLE_TIMEOUT_MS; none start until the first task.
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { getEnv } from "@/lib/env";

export type TExpressionLimits = { timeoutMs: number; stackDepth: number; maxSequence: number; maxOutputBytes: number };
export type TExpressionTask = { expression: string; inputJson: string };
/** What the worker answers, plus what only the pool can tell (deadline, memory, crash). */
export type TExpressionOutcome =
  | { ok: true; json: string }
  | { ok: false; reason: "timeout" | "depth" | "function" | "output-too-large" | "memory" | "crashed" }
  | { ok: false; reason: "too-large"; message: string }
  | { ok: false; reason: "failed"; code?: string; position?: number; message: string };

const IDLE_TIMEOUT_MS = 30_000;
// JSONata's own limits stay on inside the worker: they stop loops and recursion
// cleanly (no thread restart) long before the hard deadline has to.
const JSONATA_STACK_DEPTH = 200;
const JSONATA_MAX_SEQUENCE = 100_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;
// JSONata's soft timeout fires first for ordinary loops; the hard one only when a
// single node does not return.
const HARD_DEADLINE_GRACE_MS = 100;

export function getExpressionLimits(): TExpressionLimits {
  const overrides = state().limitOverrides;
  return {
    timeoutMs: getEnv().EXPRESSION_TIMEOUT_MS,
    stackDepth: JSONATA_STACK_DEPTH,
    maxSequence: JSONATA_MAX_SEQUENCE,
    maxOutputBytes: MAX_OUTPUT_BYTES,
    ...overrides,
  };
}

/** Evaluates one expression in a worker thread. Never throws for anything the expression does. */
export async function runExpressionTask(task: TExpressionTask, limits: TExpressionLimits = getExpressionLimits()): Promise<TExpressionOutcome> {
  const pool = getPool();
  const { port1: started, port2: startedInWorker } = new MessageChannel();
  const controller = new AbortController();
  let deadline: NodeJS.Timeout | undefined;
  let isPastDeadline = false;
  let isSettled = false;
  started.once("message", () => {
    started.close();
    // The two ports do not order their messages: "started" may arrive after the result.
    if (isSettled) return;
    deadline = setTimeout(() => {
      isPastDeadline = true;
      controller.abort();
    }, limits.timeoutMs + HARD_DEADLINE_GRACE_MS);
  });
  try {
    return (await pool.run(
      { ...task, limits, started: startedInWorker },
      { signal: controller.signal, transferList: [startedInWorker] },
    )) as TExpressionOutcome;
  } catch (error) {
    if (isPastDeadline) return { ok: false, reason: "timeout" };
    if ((error as { code?: string } | null)?.code === "ERR_WORKER_OUT_OF_MEMORY") return { ok: false, reason: "memory" };
    // The worker died some other way (its thread was ended while shutting down, or a
    // bug): the run sees a generic failure, the pool starts a fresh worker next time.
    return { ok: false, reason: "crashed" };
  } finally {
    isSettled = true;
    clearTimeout(deadline);
    started.close();
  }
}

/** Stops the workers. For tests and shutdown; the pool restarts on next use. */
export async function shutdownExpressionPool(): Promise<void> {
  const pool = state().pool;
  state().pool = undefined;
  await pool?.destroy();
}

/** Test hooks: smaller limits so a hostile-expression test finishes in seconds. Not for application code. */
export const expressionPoolTestHooks = {
  setLimits(overrides: Partial<TExpressionLimits> | undefined): void {
    state().limitOverrides = overrides;
  },
  threadCount: (): number => state().pool?.threads.length ?? 0,
};

// One pool per process, kept on globalThis so that dev-mode module reloads do not
// start a new set of workers each time.
const STATE = Symbol.for("vaultflow.expressionPool");
type State = { pool?: Piscina; limitOverrides?: Partial<TExpressionLimits> };

function state(): State {
  const holder = globalThis as { [STATE]?: State };
  holder[STATE] ??= {};
  return holder[STATE];
}

function getPool(): Piscina {
  const holder = state();
  const env = getEnv();
  holder.pool ??= new Piscina({
    filename: pathToFileURL(resolveWorkerFile()).href,
    minThreads: 0,
    maxThreads: env.EXPRESSION_WORKERS ?? Math.max(1, Math.min(2, os.availableParallelism())),
    idleTimeout: IDLE_TIMEOUT_MS,
    // No environment (an expression needs no configuration, and must not read any) and
    // no inherited flags such as a TypeScript loader: the worker is plain JavaScript.
    env: {},
    execArgv: [],
    resourceLimits: { maxOldGenerationSizeMb: env.EXPRESSION_MEMORY_MB, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
  });
  return holder.pool;
}

// The worker is loaded from disk, never bundled. Next to this module when running from
// source (tsx, vitest); in the Next.js server bundle this module lives under .next, so
// fall back to the source tree (the app always runs with the project root as cwd), as
// lib/auth/password-hasher.ts does for its worker.
function resolveWorkerFile(): string {
  try {
    const besideThisModule = fileURLToPath(new URL("./jsonata-worker.mjs", import.meta.url));
    if (existsSync(besideThisModule)) return besideThisModule;
  } catch {
    // import.meta.url is not a file: URL in this bundle; use the fallback.
  }
  return path.join(process.cwd(), "lib/server/expressions/jsonata-worker.mjs");
}
