// Seal and open throughput for a 1 KB secret with lib/crypto/seal.ts (AES-256-GCM).
// Run: npm run bench:seal [-- seconds-per-phase]   (default 3; see bench/README.md)
import { randomBytes } from "node:crypto";
import os from "node:os";
import { performance } from "node:perf_hooks";
import { open, seal } from "../lib/crypto/seal";

const seconds = Number(process.argv.slice(2).find((arg) => arg !== "--") ?? 3);
const ring = [{ id: "bench", key: randomBytes(32) }];
const context = { purpose: "connection-secret", projectId: "9b0f3c55-6c61-4a8e-9d4b-0f2f6a3f1e10", recordId: "c6d1b0a2-58b4-4a53-9a3e-3f5d2c1e7a90" };
// A 1 KB (1,024-byte) JSON secret, the size of a large OAuth token set.
const refreshToken = randomBytes(330).toString("base64url");
const overhead = Buffer.byteLength(JSON.stringify({ accessToken: "", refreshToken }));
const secret = JSON.stringify({
  accessToken: randomBytes(1024)
    .toString("base64url")
    .slice(0, 1024 - overhead),
  refreshToken,
});
if (Buffer.byteLength(secret) !== 1024) throw new Error(`secret is ${Buffer.byteLength(secret)} bytes`);

type Phase = { operations: number; seconds: number; perSecond: number; microsecondsPerOp: number };

/** Runs `operation` for `duration` s in chunks of 1,000 (so the clock is not what we measure). */
function loop(operation: (i: number) => unknown, duration: number): Phase {
  let operations = 0;
  const start = performance.now();
  const deadline = start + duration * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 1000; i++) operation(operations++);
  }
  const elapsed = (performance.now() - start) / 1000;
  return {
    operations,
    seconds: Math.round(elapsed * 100) / 100,
    perSecond: Math.round(operations / elapsed),
    microsecondsPerOp: Math.round((elapsed / operations) * 1e6 * 100) / 100,
  };
}

const sealed = Array.from({ length: 1000 }, () => seal(secret, context, ring));
let check = 0;
// Warm-up: let V8 optimise both paths before timing.
loop(() => seal(secret, context, ring), 0.5);
loop((i) => (check += open(sealed[i % sealed.length]!, context, ring).length), 0.5);

const sealing = loop(() => seal(secret, context, ring), seconds);
const opening = loop((i) => (check += open(sealed[i % sealed.length]!, context, ring).length), seconds);
if (check === 0) throw new Error("open returned nothing");

const result = {
  bench: "seal",
  secretBytes: Buffer.byteLength(secret),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? "unknown",
  availableParallelism: os.availableParallelism(),
  seal: sealing,
  open: opening,
};
const row = (name: string, phase: Phase) =>
  `| ${name.padEnd(4)} | ${String(phase.operations).padStart(9)} | ${String(phase.seconds).padStart(5)} | ${String(phase.perSecond).padStart(7)} | ${String(phase.microsecondsPerOp).padStart(6)} |`;
console.log(
  [
    `AES-256-GCM seal/open of a ${result.secretBytes}-byte secret, one thread, ${result.cpu} (${result.availableParallelism} CPUs), Node ${result.node}`,
    "",
    "| op   | ops       | s     | ops/s   | µs/op  |",
    "|------|-----------|-------|---------|--------|",
    row("seal", sealing),
    row("open", opening),
    "",
    JSON.stringify(result),
  ].join("\n"),
);
