// npm test: all four tiers (unit; integration on real PostgreSQL; security, written as
// the attacker, on real PostgreSQL; end-to-end in headless Chromium on a production
// build), then one summary line.
//
// With no arguments the production build for the end-to-end tier runs alongside the
// unit tier (pure code, no timing on a shared database), and the other three tiers run
// after both, on that build. With arguments (`npm test -- tests/e2e/landing.test.ts`,
// `npm test -- --project unit`) it is one vitest run with them, which builds when an
// end-to-end file is among those it runs.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const results = path.join(root, "test-results");
mkdirSync(results, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

/** Runs a command with the terminal as its output; resolves with its exit code. */
function run(args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: options.stdio ?? "inherit", env: options.env ?? env });
    const output = [];
    child.stdout?.on("data", (chunk) => output.push(chunk));
    child.stderr?.on("data", (chunk) => output.push(chunk));
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: () => Buffer.concat(output).toString("utf8") }));
  });
}

function vitest(report, args, extraEnv = {}) {
  return run(
    [path.join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args],
    { env: { ...env, ...extraEnv } },
  );
}

async function build() {
  const started = Date.now();
  const result = await run([path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...env, NODE_ENV: "production" },
  });
  if (result.code !== 0) console.error(`\nnext build failed:\n${result.output()}`);
  else console.log(`\nnext build for the end-to-end tier took ${((Date.now() - started) / 1000).toFixed(1)} s (alongside the unit tier)`);
  return result;
}

const args = process.argv.slice(2);
const reports = [];
let status;
if (args.length > 0) {
  const report = path.join(results, "vitest.json");
  reports.push(report);
  status = (await vitest(report, args)).code;
} else {
  const unitReport = path.join(results, "vitest-unit.json");
  const restReport = path.join(results, "vitest.json");
  for (const report of [unitReport, restReport]) rmSync(report, { force: true });
  reports.push(unitReport);
  const [unit, built] = await Promise.all([vitest(unitReport, ["--project", "unit"]), build()]);
  // Without a build the end-to-end tier cannot run; the other two still do, and the run fails.
  const tiers = ["integration", "security", ...(built.code === 0 ? ["e2e"] : [])].flatMap((tier) => ["--project", tier]);
  reports.push(restReport);
  const rest = await vitest(restReport, tiers, { VAULTFLOW_E2E_REUSE_BUILD: "1" });
  status = unit.code || built.code || rest.code;
}

const totals = { passed: 0, failed: 0, skipped: 0, total: 0 };
for (const report of reports) {
  if (!existsSync(report)) continue;
  const summary = JSON.parse(readFileSync(report, "utf8"));
  totals.passed += summary.numPassedTests;
  totals.failed += summary.numFailedTests;
  totals.skipped += summary.numPendingTests + summary.numTodoTests;
  totals.total += summary.numTotalTests;
}
console.log(`\nvitest: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (totals.total === 0) {
  console.error("No test ran.");
  process.exit(1);
}
process.exit(status);
