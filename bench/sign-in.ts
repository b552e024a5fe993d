// Sign-in throughput at bcrypt cost 12 through the real server, and the latency of
// GET /api/health while 10 sign-ins per second arrive.
// Run: node --import tsx bench/sign-in.ts [seconds]   (needs a production build: npm run build)
// Each simulated client signs in from its own address (X-Forwarded-For behind
// TRUST_PROXY), as real users do, so the per-IP brute-force limit does not apply.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { startAppServer } from "../tests/support/app-server";
import { signInOverHttp } from "./sign-in-request";

// The data layer starts with `import "server-only"`, which resolves only under the
// react-server condition (as in Next.js's server bundle): re-run under it.
if (!process.execArgv.includes("--conditions=react-server")) {
  const args = ["--conditions=react-server", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  process.exit(spawnSync(process.execPath, args, { stdio: "inherit" }).status ?? 1);
}

const seconds = Number(process.argv[2] ?? 20);
const USERS = 40;
const PASSWORD = "orchard lantern 42 quartz velvet";
const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-bench-signin-"));
const server = await startAppServer({ dataDir, env: { TRUST_PROXY: "true", LOG_LEVEL: "warn" } });
const base = server.url;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const signIn = (email: string, ip: string): Promise<boolean> => signInOverHttp(base, email, PASSWORD, ip);

// Users are created with the app's own sign-up data function, on the running server's
// embedded database (through its Unix socket) and with the server's own secrets.
const { registerDatabase } = await import("../lib/db/registry");
registerDatabase({
  connectionString: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(path.join(dataDir, "run"))}`,
  poolMax: 1,
  embedded: true,
});
process.env.DATA_DIR = dataDir;
const { createUserWithPassword } = await import("../lib/server/accounts/create-user-with-password");
const { ZSignUpInput } = await import("../lib/auth/password-schemas");
const emails: string[] = [];
for (let i = 0; i < USERS; i++) {
  const email = `bench-${i}@example.com`;
  await createUserWithPassword(ZSignUpInput.parse({ name: "Load Tester", email, password: PASSWORD }), {
    ip: `10.1.${Math.floor(i / 250)}.${i % 250}`,
    userAgent: "bench",
  });
  emails.push(email);
}
const { shutdownPasswordHasher } = await import("../lib/auth/password-hasher");
await shutdownPasswordHasher();

// Phase 1: closed loop, as many sign-ins as the server completes.
let completed = 0;
let failed = 0;
const latencies: number[] = [];
const end1 = performance.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: 8 }, async (_, worker) => {
    for (let i = worker; performance.now() < end1; i += 8) {
      const started = performance.now();
      const ok = await signIn(emails[i % USERS]!, `198.18.${worker}.${i % 250}`);
      latencies.push(performance.now() - started);
      if (ok) completed++;
      else failed++;
    }
  }),
);
const throughput = completed / seconds;

// Phase 2: open loop, 10 sign-ins a second, while /api/health is polled 20 times a second.
const health: number[] = [];
let healthErrors = 0;
let offered = 0;
let accepted = 0;
const end2 = performance.now() + seconds * 1000;
const inflight: Promise<unknown>[] = [];
const signInTimer = setInterval(() => {
  if (performance.now() > end2) return;
  const n = offered++;
  inflight.push(signIn(emails[n % USERS]!, `198.19.${Math.floor(n / 250) % 250}.${n % 250}`).then((ok) => ok && accepted++));
}, 100);
const healthLoop = (async () => {
  while (performance.now() < end2) {
    const started = performance.now();
    const response = await fetch(`${base}/api/health`);
    await response.arrayBuffer();
    health.push(performance.now() - started);
    if (response.status !== 200) healthErrors++;
    await new Promise((r) => setTimeout(r, 50));
  }
})();
await healthLoop;
clearInterval(signInTimer);
await Promise.all(inflight);

const result = {
  machine: `${os.cpus().length} CPU ${os.cpus()[0]?.model ?? ""}`.trim(),
  bcryptCost: 12,
  signInsPerSecond: Math.round(throughput * 100) / 100,
  signInLatencyP50Ms: Math.round(percentile(latencies, 50)),
  signInLatencyP99Ms: Math.round(percentile(latencies, 99)),
  signInFailures: failed,
  underLoad: {
    offeredSignInsPerSecond: 10,
    signInsCompleted: accepted,
    signInsOffered: offered,
    healthRequests: health.length,
    healthErrors,
    healthP50Ms: Math.round(percentile(health, 50) * 10) / 10,
    healthP99Ms: Math.round(percentile(health, 99) * 10) / 10,
  },
};
console.log(`
| measure | value |
|---|---|
| sign-ins per second (cost 12, 8 concurrent clients) | ${result.signInsPerSecond} |
| sign-in latency p50 / p99 | ${result.signInLatencyP50Ms} ms / ${result.signInLatencyP99Ms} ms |
| /api/health p50 / p99 while 10 sign-ins/s arrive | ${result.underLoad.healthP50Ms} ms / ${result.underLoad.healthP99Ms} ms |
| sign-ins completed / offered in that phase | ${accepted} / ${offered} |
`);
console.log(JSON.stringify(result));
await server.stop();
rmSync(dataDir, { recursive: true, force: true });
process.exit(failed > 0 ? 1 : 0);
