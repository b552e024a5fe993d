import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser } from "./support/browser";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens a page that records console errors and CSP violations from the first byte. */
async function openPage(width = 1280): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    // Failed sub-resources are reported below with their URL instead.
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on("response", (response) => {
    if (response.status() >= 400 && response.request().resourceType() !== "document") {
      problems.push(`${response.status()} ${response.url()}`);
    }
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { page, problems };
}

describe("the landing page in Chromium", () => {
  it("renders, hydrates under the strict CSP, and links to sign-in", async () => {
    const { page, problems } = await openPage();
    const response = await page.goto(baseUrl);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toMatch(/without leaking a single secret/);
    // React hydrated: Next's client router only exists once its nonce'd scripts ran.
    await page.waitForFunction(() => Boolean((window as unknown as { next?: { version?: string } }).next?.version));
    // Client-side navigation through the header link reaches the sign-in placeholder.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" }).click();
    await page.waitForURL(`${baseUrl}/sign-in`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Sign in");
    expect(problems).toEqual([]);
  });

  it("fits a phone screen without sideways scrolling", async () => {
    const { page, problems } = await openPage(375);
    await page.goto(baseUrl);
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
    expect(problems).toEqual([]);
  });

  it("is keyboard reachable: the first Tab lands on the skip link", async () => {
    const { page } = await openPage();
    await page.goto(baseUrl);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
  });

  it("shows a helpful 404 page for an unknown address", async () => {
    const { page, problems } = await openPage();
    const response = await page.goto(`${baseUrl}/no/such/page`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Page not found");
    expect(await page.getByRole("link", { name: "Go to the home page" }).count()).toBe(1);
    expect(problems).toEqual([]);
  });
});

describe("headers and logs over HTTP", () => {
  it("give every page a new CSP nonce that its scripts carry", async () => {
    const nonces: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await fetch(baseUrl);
      const csp = response.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      const html = await response.text();
      const scripts = html.match(/<script[^>]*>/g) ?? [];
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("permissions-policy")).toContain("camera=()");
      expect(response.headers.get("strict-transport-security")).toContain("max-age=");
      nonces.push(nonce!);
    }
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("ignore a CSP header sent by the client", async () => {
    const response = await fetch(baseUrl, { headers: { "Content-Security-Policy": "script-src *" } });
    expect(response.headers.get("content-security-policy")).not.toContain("script-src *");
  });

  it("report health without caching", async () => {
    const response = await fetch(`${baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toMatchObject({ status: "ok", database: "ok" });
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("log one JSON line per request with no query string", async () => {
    const marker = `m${Date.now()}`;
    const response = await fetch(`${baseUrl}/api/health?token=${marker}`, { headers: { Cookie: `session=${marker}` } });
    const requestId = response.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    let line: Record<string, unknown> | undefined;
    for (let i = 0; i < 40 && !line; i++) {
      const lines = readFileSync(inject("serverLogFile"), "utf8").split("\n").filter(Boolean);
      line = lines
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.requestId === requestId);
      if (!line) await new Promise((r) => setTimeout(r, 100));
    }
    expect(line).toMatchObject({ type: "access", method: "GET", path: "/api/health", status: 200 });
    expect(typeof line!.durationMs).toBe("number");
    expect(readFileSync(inject("serverLogFile"), "utf8")).not.toContain(marker);
  });
});
