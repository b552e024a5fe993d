// Headless Chromium for end-to-end tests. The browser is the machine's own (no
// download at test time): CHROMIUM_PATH, Debian's /usr/bin/chromium, or one that
// Playwright installed.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { recordContext } from "./failure-artifacts";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points at ${fromEnv}, which does not exist.`);
    return fromEnv;
  }
  for (const candidate of CANDIDATES) if (existsSync(candidate)) return candidate;
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return bundled;
  } catch {
    // no Playwright-managed browser
  }
  throw new Error(
    "No Chromium found for the end-to-end tests. Install one with `sudo apt-get install -y chromium` " +
      "(Debian/Ubuntu) or `npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium or Chrome binary.",
  );
}

// Every test file runs in its own worker with its own counter: a random start keeps two
// files' contexts off the same address (the benchmark range 198.18.0.0/15 has 131,072).
let clients = Math.floor(Math.random() * 120_000);

/**
 * Each browser context is a different person at a different address: the shared
 * server trusts X-Forwarded-For, so per-address brute-force limits (10 sign-ups an
 * hour, say) apply per context as they would to real users, not to the whole suite.
 * A test that needs one address across contexts passes its own header.
 */
function withClientAddress(browser: Browser): Browser {
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options = {}) => {
    clients += 1;
    const address = `198.${18 + ((clients >> 16) & 1)}.${(clients >> 8) & 255}.${clients & 255}`;
    const context = await newContext({ ...options, extraHTTPHeaders: { "X-Forwarded-For": address, ...options.extraHTTPHeaders } });
    // Traced from the start, so a failed test leaves a trace and screenshots (failure-artifacts.ts).
    await recordContext(context);
    return context;
  };
  return browser;
}

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  return withClientAddress(browser);
}
