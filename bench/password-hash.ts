// Password hashing throughput at cost 12 through the worker pool, and what it does to
// the main event loop. Run: node --import tsx bench/password-hash.ts [seconds-per-phase]
// See bench/README.md.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

// lib/auth/password-hasher.ts starts with `import "server-only"`, which throws outside
// the react-server condition (Next.js sets it for server code). Re-run under it.
if (!process.execArgv.includes("--conditions=react-server")) {
  const args = ["--conditions=react-server", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const { status } = spawnSync(process.execPath, args, { stdio: "inherit" });
  process.exit(status ?? 1);
}

const { DEFAULT_BCRYPT_COST, hashPassword, passwordHasherTestHooks, shutdownPasswordHasher, verifyPassword } = await import("../lib/auth/password-hasher");
const bcrypt = (await import("bcryptjs")).default;

const seconds = Number(process.argv[2] ?? 10);
const pepper = randomBytes(32).toString("base64");
// Twice the pool size keeps every worker busy with a job always queued behind it.
const callers = passwordHasherTestHooks.poolSize * 2;

// monitorEventLoopDelay records the time between its samples, one every RESOLUTION_MS
// when the loop is free; lag is what exceeds that.
const RESOLUTION_MS = 10;
const lagMs = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RESOLUTION_MS) * 10) / 10);

type Phase = { operations: number; seconds: number; perSecond: number; lagP50Ms: number; lagP99Ms: number; lagMaxMs: number };

async function measure(operation: (i: number) => Promise<unknown>): Promise<Phase> {
  const lag = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  let operations = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  lag.enable();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < deadline) await operation(operations++);
    }),
  );
  lag.disable();
  const elapsed = (performance.now() - start) / 1000;
  return {
    operations,
    seconds: Math.round(elapsed * 10) / 10,
    perSecond: Math.round((operations / elapsed) * 100) / 100,
    lagP50Ms: lagMs(lag.percentile(50)),
    lagP99Ms: lagMs(lag.percentile(99)),
    lagMaxMs: lagMs(lag.max),
  };
}

async function idleLag(): Promise<number> {
  const lag = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  lag.enable();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  lag.disable();
  return lagMs(lag.percentile(99));
}

// What one hash would block the event loop for if it ran on the main thread.
const mainThreadStart = performance.now();
bcrypt.hashSync(randomBytes(48).toString("base64"), DEFAULT_BCRYPT_COST);
const mainThreadHashMs = Math.round(performance.now() - mainThreadStart);

const idleLagP99Ms = await idleLag();
const stored = await hashPassword("benchmark password", pepper); // also starts the pool
const hashing = await measure((i) => hashPassword(`benchmark password ${i}`, pepper));
const verifying = await measure((i) => verifyPassword(i % 2 === 0 ? "benchmark password" : "wrong password", stored, pepper));
await shutdownPasswordHasher();

const result = {
  bench: "password-hash",
  cost: DEFAULT_BCRYPT_COST,
  node: process.version,
  cpu: os.cpus()[0]?.model ?? "unknown",
  availableParallelism: os.availableParallelism(),
  poolSize: passwordHasherTestHooks.poolSize,
  concurrentCallers: callers,
  mainThreadHashMs,
  idleLagP99Ms,
  hash: hashing,
  verify: verifying,
};

const row = (name: string, phase: Phase) =>
  `| ${name.padEnd(6)} | ${String(phase.operations).padStart(4)} | ${String(phase.seconds).padStart(5)} | ${String(phase.perSecond).padStart(6)} | ${String(phase.lagP50Ms).padStart(7)} | ${String(phase.lagP99Ms).padStart(7)} | ${String(phase.lagMaxMs).padStart(7)} |`;
console.log(
  [
    `bcrypt cost ${result.cost}, pool of ${result.poolSize} worker(s), ${callers} concurrent callers, ${result.cpu} (${result.availableParallelism} CPUs), Node ${result.node}`,
    `one hash on the main thread: ${mainThreadHashMs} ms; idle event-loop lag p99: ${idleLagP99Ms} ms`,
    "",
    "| op     | ops  | s     | ops/s  | lag p50 | lag p99 | lag max |",
    "|--------|------|-------|--------|---------|---------|---------|",
    row("hash", hashing),
    row("verify", verifying),
    "",
    JSON.stringify(result),
  ].join("\n"),
);
