// Vaultflow side by side with n8n and Node-RED on this machine, in one run: the same flow
// (webhook → total = qty × price → HTTP POST to a loopback sink → answer with the total),
// the same load, one system at a time, then a crash test (kill -9 mid-batch, restart).
// Run: npm run build && npm run bench:peers [-- --quick] [--skip=n8n,node-red] [--embedded]
//      [--cache-dir=/var/tmp/vaultflow-peers] [--database-url=postgresql://postgres@127.0.0.1:5432/postgres]
// See bench/README.md.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { crashTest, loadAverage, loadPhase, order, sleep, startSink, type TCrashResult, type TPhaseResult, type TSink, type TSystem } from "./common";
import { ensurePeer, PEER_VERSIONS } from "./install";
import { setUpN8n } from "./n8n";
import { setUpNodeRed } from "./node-red";
import { assertVaultflowBuild, setUpVaultflow } from "./vaultflow";

// The data layer starts with `import "server-only"`, which resolves only under the
// react-server condition (as in Next.js's server bundle): re-run under it.
if (!process.execArgv.includes("--conditions=react-server")) {
  const args = ["--conditions=react-server", ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  process.exit(spawnSync(process.execPath, args, { stdio: "inherit" }).status ?? 1);
}

const argument = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const isQuick = process.argv.includes("--quick");
const isEmbedded = process.argv.includes("--embedded");
const isKeep = process.argv.includes("--keep");
const skip = new Set((argument("skip") ?? "").split(",").filter(Boolean));
const cacheDir = path.resolve(argument("cache-dir") ?? "/var/tmp/vaultflow-peers");
const databaseServerUrl = argument("database-url") ?? process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
for (const name of skip) {
  if (!["vaultflow", "n8n", "node-red"].includes(name)) throw new Error(`--skip takes vaultflow, n8n and node-red, not "${name}"`);
}

const PLAN = isQuick
  ? {
      warmUpSeconds: 2,
      phases: [
        { connections: 1, seconds: 3 },
        { connections: 50, seconds: 3 },
      ],
      crash: { count: 60, rate: 60, killAfterMs: 600, sinkDelayMs: 1000, quietMs: 5000, maxWaitMs: 60_000 },
    }
  : {
      warmUpSeconds: 5,
      phases: [
        { connections: 1, seconds: 10 },
        { connections: 50, seconds: 15 },
      ],
      crash: { count: 200, rate: 100, killAfterMs: 1200, sinkDelayMs: 1000, quietMs: 10_000, maxWaitMs: 90_000 },
    };

type TReport = { system: string; facts: string; loadBefore: string; loadAfter: string; phases: TPhaseResult[]; crash: TCrashResult | null; error?: string };

/** Posts one order until the system answers it right (webhooks register after start-up). */
async function untilServing(system: TSystem, limitMs = 90_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  let last = "";
  for (let n = 0; Date.now() < deadline; n++) {
    const body = order(`ready-${n}`, n);
    try {
      const response = await fetch(system.hookUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ id: body.id, qty: body.qty, price: body.price }),
        signal: AbortSignal.timeout(10_000),
      });
      last = `${response.status} ${await response.text()}`;
      const answer = JSON.parse(last.slice(4)) as { total?: unknown };
      if (response.status === 200 && answer.total === body.total) return;
    } catch (error) {
      last = last || String(error);
    }
    await sleep(500);
  }
  throw new Error(`${system.name} does not answer the flow's webhook right: ${last.slice(0, 500)}`);
}

async function measure(system: TSystem, sink: TSink): Promise<TReport> {
  const report: TReport = { system: system.name, facts: system.facts, loadBefore: loadAverage(), loadAfter: "", phases: [], crash: null };
  await untilServing(system);
  const tag = system.name.toLowerCase().replace(/[^a-z]/g, "");
  console.error(`peers: ${system.name} serving; load average ${report.loadBefore}; warm-up ${PLAN.warmUpSeconds} s`);
  await loadPhase(sink, system.hookUrl, { phase: "warm-up", prefix: `${tag}-warm`, connections: 10, seconds: PLAN.warmUpSeconds });
  for (const [index, phase] of PLAN.phases.entries()) {
    const result = await loadPhase(sink, system.hookUrl, { phase: `${phase.connections} conn`, prefix: `${tag}-p${index}`, ...phase });
    console.error(`peers: ${system.name} ${JSON.stringify(result)}`);
    report.phases.push(result);
  }
  report.loadAfter = loadAverage();
  console.error(`peers: ${system.name} crash test (${PLAN.crash.count} requests at ${PLAN.crash.rate}/s, kill -9 after ${PLAN.crash.killAfterMs} ms)`);
  report.crash = await crashTest(system, sink, PLAN.crash);
  console.error(`peers: ${system.name} crash ${JSON.stringify(report.crash)}`);
  return report;
}

const workDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-peers-"));
const sink = await startSink();
const reports: TReport[] = [];
const machine = {
  cpu: os.cpus()[0]?.model ?? "unknown",
  cpus: os.cpus().length,
  node: process.version,
  loadAtStart: loadAverage(),
  date: new Date().toISOString(),
};
try {
  if (!skip.has("vaultflow")) assertVaultflowBuild();
  // Installs first, so no install runs while a system is measured.
  const installed = {
    n8n: skip.has("n8n") ? null : ensurePeer("n8n", cacheDir),
    nodeRed: skip.has("node-red") ? null : ensurePeer("node-red", cacheDir),
  };
  const setUps: [string, () => Promise<TSystem>][] = [];
  if (!skip.has("vaultflow")) setUps.push(["Vaultflow", () => setUpVaultflow({ workDir, sinkUrl: sink.url, embedded: isEmbedded, databaseServerUrl })]);
  if (installed.n8n) setUps.push(["n8n", () => setUpN8n({ installDir: installed.n8n!, workDir, sinkUrl: sink.url, databaseServerUrl })]);
  if (installed.nodeRed) setUps.push(["Node-RED", () => setUpNodeRed({ installDir: installed.nodeRed!, workDir, sinkUrl: sink.url })]);
  // One system at a time: each is started, measured and stopped before the next starts.
  for (const [name, setUp] of setUps) {
    console.error(`peers: starting ${name}`);
    let system: TSystem | null = null;
    try {
      system = await setUp();
      reports.push(await measure(system, sink));
    } catch (error) {
      console.error(`peers: ${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
      reports.push({ system: name, facts: "", loadBefore: "", loadAfter: loadAverage(), phases: [], crash: null, error: String(error).slice(0, 2000) });
    } finally {
      await system?.stop().catch((error: unknown) => console.error(`peers: stopping ${name} failed: ${String(error)}`));
    }
    await sleep(2000);
  }
} finally {
  await sink.close();
  if (isKeep) console.error(`peers: work folder kept: ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}

// --- the report.
const ms = (value: number) => (Number.isFinite(value) ? `${Math.round(value)} ms` : "-");
const vaultflow = reports.find((r) => r.system === "Vaultflow");
const ratio = (report: TReport, phase: TPhaseResult) => {
  const ours = vaultflow?.phases.find((p) => p.phase === phase.phase);
  if (!ours || report === vaultflow || phase.runsPerSecond === 0) return "";
  return `${(ours.runsPerSecond / phase.runsPerSecond).toFixed(2)}×`;
};
const lines = [
  "",
  `Webhook → total = qty × price → HTTP POST to a loopback sink → answer with the total; one system at a time on ${machine.cpu} (${machine.cpus} CPUs), Node ${machine.node}, ${machine.date}${isQuick ? "   (--quick: a smoke run, not a measurement)" : ""}`,
  `Versions: n8n ${PEER_VERSIONS.n8n}, Node-RED ${PEER_VERSIONS["node-red"]}; load average (1/5/15 min) at start ${machine.loadAtStart}`,
  "",
  "| system | phase | runs/s | p50 | p99 | errors / non-2xx / timeouts / wrong | sink ids (POSTs) for answered | Vaultflow ÷ system | load avg at start → end |",
  "|---|---|---|---|---|---|---|---|---|",
  ...reports.flatMap((report) =>
    report.error
      ? [`| ${report.system} | - | failed: ${report.error.split("\n")[0]!.slice(0, 200)} | | | | | | |`]
      : report.phases.map(
          (p) =>
            `| ${report.system} | ${p.connections} conn, ${Math.round(p.seconds)} s | ${p.runsPerSecond} | ${ms(p.p50)} | ${ms(p.p99)} | ${p.errors} / ${p.non2xx} / ${p.timeouts} / ${p.wrongAnswers} | ${p.sinkIds} (${p.sinkPosts}) for ${p.correct}${p.answeredNotAtSink ? `, ${p.answeredNotAtSink} answered but missing` : ""}${p.sinkWrongTotals ? `, ${p.sinkWrongTotals} wrong totals` : ""} | ${ratio(report, p)} | ${report.loadBefore} → ${p.loadAverage} |`,
        ),
  ),
  "",
  `Crash test: ${PLAN.crash.count} requests at ${PLAN.crash.rate}/s while the sink answers each after ${PLAN.crash.sinkDelayMs} ms; kill -9 of the system's process group ${PLAN.crash.killAfterMs} ms after the first; restart; wait until every accepted request's run reached the sink and nothing is pending, or ${PLAN.crash.quietMs / 1000} s without progress and nothing pending (at most ${PLAN.crash.maxWaitMs / 1000} s).`,
  "",
  "| system | sent | answered | in flight at kill | refused (after the kill) | accepted | at sink before restart | at sink in the end | lost | duplicate POSTs | after restart (whole run) |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
  ...reports
    .filter((r) => r.crash)
    .map((r) => {
      const c = r.crash!;
      return `| ${r.system} | ${c.sent} | ${c.answered} | ${c.inFlightAtKill} | ${c.refused} | ${c.accepted} | ${c.reachedSinkBeforeRestart} | ${c.reachedSink} | **${c.lost}** | ${c.duplicates} | ${c.stateAfterRestart} (waited ${(c.waitedAfterRestartMs / 1000).toFixed(1)} s) |`;
    }),
  "",
  ...reports.filter((r) => r.crash).map((r) => `- ${r.system}: ${r.crash!.meaning}`),
  ...reports.filter((r) => r.facts).map((r) => `- ${r.system} setup: ${r.facts}`),
  `- Sink parse errors: ${sink.parseErrors()}`,
  "",
  JSON.stringify({ bench: "peers", isQuick, isEmbedded, machine, versions: PEER_VERSIONS, plan: PLAN, reports }),
];
console.log(lines.join("\n"));
