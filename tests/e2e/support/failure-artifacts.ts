// What a failed end-to-end test leaves behind, under test-results/e2e/<file - test name>/:
// a screenshot of every open page, and with E2E_TRACE=1 a Playwright trace of every
// browser context (open it with `npx playwright show-trace`).
//
// Traces are off unless asked for: recording DOM snapshots of every action costs the
// browser about a tenth of the tier's time. To debug a failure, run the failing file
// again with E2E_TRACE=1. Then every context records from its creation; each test starts
// a new trace chunk, so a saved trace covers that test only, and a passing test's chunk
// is discarded. A context closed during the test (a `finally`, a test's own afterEach)
// saves its chunk to a pending file as it closes, kept only if the test fails.
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { BrowserContext } from "playwright-core";

const RESULTS = path.resolve("test-results", "e2e");
const PENDING = path.join(RESULTS, ".pending", String(process.pid));
const isTracing = process.env.E2E_TRACE === "1";

const open = new Set<BrowserContext>();
let pendingCount = 0;

/** Keeps track of a new context for failure screenshots, and records its trace with E2E_TRACE=1 (called for every context the test browser makes). */
export async function recordContext(context: BrowserContext): Promise<void> {
  open.add(context);
  context.once("close", () => open.delete(context));
  if (!isTracing) return;
  await context.tracing.start({ screenshots: true, snapshots: true });
  const close = context.close.bind(context);
  context.close = async (options) => {
    if (open.delete(context)) {
      await mkdir(PENDING, { recursive: true });
      pendingCount += 1;
      await context.tracing.stopChunk({ path: path.join(PENDING, `closed-context-${pendingCount}-trace.zip`) }).catch(() => undefined);
    }
    return close(options);
  };
}

/** A new chunk per test, so the trace a failure saves holds that test alone. */
export async function startTestChunk(): Promise<void> {
  if (!isTracing) return;
  await Promise.all([...open].map((context) => context.tracing.startChunk().catch(() => open.delete(context))));
}

/** "flows-runs.test.ts - runs page _ shows a run": the file and test names, made safe as a folder name. */
export function artifactFolderName(file: string, names: string[]): string {
  const raw = `${path.basename(file)} - ${names.join(" > ")}`;
  return raw
    .replace(/[^A-Za-z0-9._ ,>-]+/g, "-")
    .replace(/>/g, "_")
    .slice(0, 150)
    .trim();
}

/** After a test: on failure, screenshots and traces into the test's folder; otherwise nothing is kept. */
export async function finishTest(folderName: string, hasFailed: boolean): Promise<void> {
  const pending = await readdir(PENDING).catch(() => [] as string[]);
  if (!hasFailed) {
    await Promise.all(pending.map((file) => rm(path.join(PENDING, file), { force: true })));
    return;
  }
  const folder = path.join(RESULTS, folderName);
  await mkdir(folder, { recursive: true });
  for (const file of pending) await rename(path.join(PENDING, file), path.join(folder, file));
  let index = 0;
  for (const context of open) {
    index += 1;
    const pages = context.pages();
    for (const [pageIndex, page] of pages.entries()) {
      // A page stuck in a hung navigation must not hold up the run: a screenshot gets 5 s.
      await page.screenshot({ path: path.join(folder, `context-${index}-page-${pageIndex + 1}.png`), fullPage: true, timeout: 5_000 }).catch(() => undefined);
    }
    if (!isTracing) continue;
    await context.tracing.stopChunk({ path: path.join(folder, `context-${index}-trace.zip`) }).catch(() => undefined);
    // Keep recording: the context may serve the file's next tests.
    await context.tracing.startChunk().catch(() => open.delete(context));
  }
  console.error(`e2e failure artifacts: ${path.relative(process.cwd(), folder)}`);
}
