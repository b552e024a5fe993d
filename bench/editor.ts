// The flow editor with large flows in headless Chromium, on the production build: time until
// every node is on the canvas, JS heap after load, and frames per second while a node is
// dragged for 2 seconds. Flows of 100, 500 and 1,000 steps, each opened 3 times (median).
// Run: npm run build && npm run bench:editor [-- --sizes=100,500 --runs=3]
// The app runs as a child process (server.ts, embedded database in a fresh data folder);
// flows are created over HTTP with the import action. See bench/README.md.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startAppServer } from "../tests/support/app-server";
import { launchBrowser } from "../tests/e2e/support/browser";
import { callAction, createProjectOverHttp, dataOf, signUpOverHttp, TEST_PASSWORD } from "../tests/e2e/support/http-flows";

const argOf = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const SIZES = (argOf("sizes") ?? "100,500,1000").split(",").map(Number);
const RUNS = Number(argOf("runs") ?? 3);
const DRAG_MS = 2000;
// --profile=<dir>: also writes a CPU profile (.cpuprofile, for Chrome DevTools) of each drag there.
const PROFILE_DIR = argOf("profile");
// --load-profile=<dir>: also writes a trace (Chrome DevTools "Performance") of one extra load of each size there (not in the median).
const LOAD_PROFILE_DIR = argOf("load-profile");
// --css=<rules>: added to the page after load, before the drag; for experiments on what the drag costs.
const EXTRA_CSS = argOf("css");
const VIEWPORT = { width: 1440, height: 900 };
const GRID_X = 280;
const GRID_Y = 140;

/** One manual trigger and transforms on a square grid; each row is a chain hanging from the row above's first step. */
function generateDocument(size: number) {
  const columns = Math.ceil(Math.sqrt(size));
  const idOf = (i: number) => (i === 0 ? "trigger" : `step_${i}`);
  const nodes = Array.from({ length: size }, (_, i) => ({
    id: idOf(i),
    type: i === 0 ? "trigger.manual" : "step.transform",
    name: i === 0 ? "Run manually" : `Transform ${i}`,
    config: i === 0 ? {} : { expression: "$" },
    ui: { x: (i % columns) * GRID_X, y: Math.floor(i / columns) * GRID_Y },
  }));
  const edges = nodes.slice(1).map((_, index) => {
    const i = index + 1;
    const parent = i % columns === 0 ? i - columns : i - 1;
    return { id: `e_${parent}_${i}`, source: idOf(parent), target: idOf(i) };
  });
  return { schemaVersion: 1, nodes, edges };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

type TRun = {
  htmlKb: number;
  ttfbMs: number;
  dclMs: number;
  firstNodeMs: number;
  domMs: number;
  visibleMs: number;
  wallMs: number;
  heapMb: number;
  fps: number;
  worstFrameMs: number;
  idleFps: number;
  movesPerS: number;
};

/** Counts requestAnimationFrame callbacks from now until stopped; returns frames and the longest gap. */
async function startFrameCounter(page: Page): Promise<() => Promise<{ frames: number; seconds: number; worstMs: number }>> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __counting: boolean };
    w.__frames = [];
    w.__counting = true;
    const tick = (at: number) => {
      if (!w.__counting) return;
      w.__frames.push(at);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  return () =>
    page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __counting: boolean };
      w.__counting = false;
      const frames = w.__frames;
      let worstMs = 0;
      for (let i = 1; i < frames.length; i++) worstMs = Math.max(worstMs, frames[i]! - frames[i - 1]!);
      const seconds = frames.length > 1 ? (frames.at(-1)! - frames[0]!) / 1000 : 0;
      return { frames: frames.length - 1, seconds, worstMs };
    });
}

const nodeTransform = (page: Page, id: string) =>
  page.evaluate((nodeId) => (document.querySelector(`.react-flow__node[data-id="${nodeId}"]`) as HTMLElement | null)?.style.transform ?? "", id);

async function measureOnce(browser: Browser, context: BrowserContext, url: string, size: number, isTraced: boolean): Promise<TRun> {
  const page = await context.newPage();
  try {
    if (isTraced) {
      await browser.startTracing(page, {
        path: path.join(LOAD_PROFILE_DIR!, `load-${size}-${Date.now()}.trace.json`),
        screenshots: false,
        categories: [
          "devtools.timeline",
          "disabled-by-default-devtools.timeline",
          "v8.execute",
          "disabled-by-default-v8.cpu_profiler",
          "blink.user_timing",
          "loading",
        ],
      });
    }
    const started = performance.now();
    await page.goto(url, { waitUntil: "commit" });
    // performance.now() in the page counts from its navigation start.
    const firstNodeMs = (await (
      await page.waitForFunction(() => (document.querySelector(".react-flow__node") ? performance.now() : false), undefined, {
        polling: "raf",
        timeout: 120_000,
      })
    ).jsonValue()) as number;
    const domMs = (await (
      await page.waitForFunction((n) => (document.querySelectorAll(".react-flow__node").length === n ? performance.now() : false), size, {
        polling: "raf",
        timeout: 120_000,
      })
    ).jsonValue()) as number;
    // React Flow keeps a node hidden until it has measured it; after that it is really drawn.
    const visibleMs = (await (
      await page.waitForFunction(
        (n) => {
          const nodes = document.querySelectorAll<HTMLElement>(".react-flow__node");
          if (nodes.length !== n) return false;
          for (const node of nodes) if (node.style.visibility === "hidden") return false;
          return performance.now();
        },
        size,
        { polling: "raf", timeout: 120_000 },
      )
    ).jsonValue()) as number;
    const wallMs = performance.now() - started;
    if (isTraced) await browser.stopTracing();

    if (EXTRA_CSS) await page.addStyleTag({ content: EXTRA_CSS });
    await page.waitForTimeout(1000);
    const { ttfbMs, dclMs, htmlKb } = await page.evaluate(() => {
      const entry = window.performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return { ttfbMs: entry.responseStart, dclMs: entry.domContentLoadedEventEnd, htmlKb: entry.decodedBodySize / 1024 };
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
    await cdp.detach();

    // Baseline: frames of the idle page (headless Chromium's rAF rate without work).
    const stopIdle = await startFrameCounter(page);
    await page.waitForTimeout(1000);
    const idle = await stopIdle();

    // The step nearest the canvas centre (after fit-view the whole flow is on screen).
    const canvas = (await page.getByTestId("canvas").boundingBox())!;
    const centre = { x: canvas.x + canvas.width / 2, y: canvas.y + canvas.height / 2 };
    const target = await page.evaluate(({ x, y }) => {
      let best: { id: string; x: number; y: number; d: number } | null = null;
      for (const node of document.querySelectorAll<HTMLElement>(".react-flow__node")) {
        const box = node.getBoundingClientRect();
        const cx = box.left + box.width / 2;
        const cy = box.top + box.height / 2;
        const d = Math.hypot(cx - x, cy - y);
        if (!best || d < best.d) best = { id: node.dataset.id!, x: cx, y: cy, d };
      }
      return best!;
    }, centre);
    const before = await nodeTransform(page, target.id);

    await page.mouse.move(target.x, target.y);
    const profiler = PROFILE_DIR ? await context.newCDPSession(page) : null;
    if (profiler) {
      await profiler.send("Profiler.enable");
      await profiler.send("Profiler.setSamplingInterval", { interval: 200 });
      await profiler.send("Profiler.start");
      await browser.startTracing(page, {
        path: path.join(PROFILE_DIR!, `drag-${size}-${Date.now()}.trace.json`),
        categories: ["devtools.timeline", "disabled-by-default-devtools.timeline"],
      });
    }
    await page.mouse.down();
    const stop = await startFrameCounter(page);
    const dragStart = performance.now();
    let moves = 0;
    // A circle of 80 px radius, one lap a second; each move waits for the page to take it.
    for (let t = 0; t < DRAG_MS; t = performance.now() - dragStart) {
      const angle = (t / 1000) * 2 * Math.PI;
      await page.mouse.move(target.x + 80 * Math.sin(angle), target.y + 80 * (1 - Math.cos(angle)) * 0.5, { steps: 1 });
      moves++;
    }
    // The last move can end well past DRAG_MS on a slow page: divide by the time really taken.
    const dragSeconds = (performance.now() - dragStart) / 1000;
    const drag = await stop();
    const during = await nodeTransform(page, target.id);
    await page.mouse.up();
    if (profiler) {
      const { profile } = (await profiler.send("Profiler.stop")) as { profile: unknown };
      writeFileSync(path.join(PROFILE_DIR!, `drag-${size}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
      await profiler.detach();
      await browser.stopTracing();
    }
    if (during === before) throw new Error(`the node ${target.id} did not move while dragged: the figure would be an idle page's`);

    return {
      htmlKb,
      ttfbMs,
      dclMs,
      firstNodeMs,
      domMs,
      visibleMs,
      wallMs,
      heapMb: usedSize / 1024 / 1024,
      fps: drag.frames / drag.seconds,
      worstFrameMs: drag.worstMs,
      idleFps: idle.frames / idle.seconds,
      movesPerS: moves / dragSeconds,
    };
  } finally {
    await page.close();
  }
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), "vaultflow-bench-editor-"));
const server = await startAppServer({ dataDir, env: { TRUST_PROXY: "true", LOG_LEVEL: "warn" } });
const browser = await launchBrowser();
try {
  const { client, email } = await signUpOverHttp(server.url, "198.18.40.1", "editor-bench");
  const projectId = await createProjectOverHttp(client, "Editor bench");
  // The app's CSP refuses injected styles; only an experiment with --css turns it off.
  const context = await browser.newContext({ viewport: VIEWPORT, bypassCSP: Boolean(EXTRA_CSS) });
  // tsx (esbuild keepNames) wraps named functions in __name(), which the page lacks.
  await context.addInitScript("globalThis.__name = (fn) => fn;");
  // Sign the browser in through next-auth's endpoints; the context keeps the session cookie.
  const { csrfToken } = (await (await context.request.get(`${server.url}/api/auth/csrf`)).json()) as { csrfToken: string };
  await context.request.post(`${server.url}/api/auth/callback/credentials`, { form: { csrfToken, email, password: TEST_PASSWORD, json: "true" } });
  if ((await context.request.get(`${server.url}/api/account`)).status() !== 200) throw new Error("the browser did not sign in");

  const rows: { size: number; runs: TRun[] }[] = [];
  for (const size of SIZES) {
    const document = generateDocument(size);
    const file = JSON.stringify({ vaultflow: "flow", version: 1, name: `Bench ${size}`, document });
    const imported = dataOf<{ flowId: string; problems: unknown[] }>(
      await callAction(client, "app/projects/[projectId]/flows/import-actions.ts#importFlowAction", { projectId, file, name: `Bench ${size}` }, { projectId }),
    );
    if (imported.problems.length > 0) throw new Error(`the generated flow of ${size} has problems: ${JSON.stringify(imported.problems.slice(0, 3))}`);
    const url = `${server.url}/projects/${projectId}/flows/${imported.flowId}/edit`;
    const runs: TRun[] = [];
    // Tracing slows the page down, so a traced load is an extra run, left out of the median.
    const traced = LOAD_PROFILE_DIR ? 1 : 0;
    for (let run = 0; run < RUNS + traced; run++) {
      const isTraced = run < traced;
      const result = await measureOnce(browser, context, url, size, isTraced);
      console.error(
        `${size} nodes, ${isTraced ? "traced run (not counted)" : `run ${run + 1 - traced}`}: ${JSON.stringify(result, (_, v: unknown) => (typeof v === "number" ? Math.round(v * 10) / 10 : v))}`,
      );
      if (!isTraced) runs.push(result);
    }
    rows.push({ size, runs });
  }

  const pick = (runs: TRun[], key: keyof TRun) => median(runs.map((r) => r[key]));
  console.log(
    `\nload average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}; ${os.cpus().length} CPUs; Chromium ${browser.version()}; median of ${RUNS}\n`,
  );
  console.log(
    "| nodes | HTML | first byte | DOMContentLoaded | first node | all nodes in DOM | all nodes measured (visible) | wall (goto → visible) | JS heap after load (after GC) | fps while dragging | pointer moves handled per s | worst frame while dragging | idle fps |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const { size, runs } of rows) {
    console.log(
      `| ${size} | ${pick(runs, "htmlKb").toFixed(0)} KB | ${pick(runs, "ttfbMs").toFixed(0)} ms | ${pick(runs, "dclMs").toFixed(0)} ms | ${pick(runs, "firstNodeMs").toFixed(0)} ms | ${pick(runs, "domMs").toFixed(0)} ms | ${pick(runs, "visibleMs").toFixed(0)} ms | ${pick(runs, "wallMs").toFixed(0)} ms | ${pick(runs, "heapMb").toFixed(1)} MB | ${pick(runs, "fps").toFixed(1)} | ${pick(runs, "movesPerS").toFixed(1)} | ${pick(runs, "worstFrameMs").toFixed(0)} ms | ${pick(runs, "idleFps").toFixed(1)} |`,
    );
  }
  console.log(JSON.stringify({ loadavg: os.loadavg(), rows }));
} finally {
  await browser.close();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
