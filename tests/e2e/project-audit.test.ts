import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { createProjectThroughUi, setupBrowser, signedUpPage } from "./support/accounts";

const baseUrl = inject("baseUrl");
const PASSWORD = "marble falcon prairie 36 ink";
// Its own client addresses, so that sign-up rate limits never collide with other files.
const OWNER_IP = "198.51.100.120";
const OUTSIDER_IP = "198.51.100.121";
const browser = setupBrowser();

const signedInPage = (ip: string, email: string): Promise<Page> =>
  signedUpPage(browser(), baseUrl, { name: "Avery Auditor", email, password: PASSWORD }, { extraHTTPHeaders: { "X-Forwarded-For": ip } });

type TRow = { action: string | null; actor: string; sentence: string; time: string | null };

async function auditRows(page: Page): Promise<TRow[]> {
  const rows = page.getByTestId("audit-row");
  const out: TRow[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const row = rows.nth(i);
    out.push({
      action: await row.getAttribute("data-action"),
      actor: (await row.getByTestId("audit-actor").textContent())?.trim() ?? "",
      sentence: (await row.getByTestId("audit-sentence").textContent())?.trim() ?? "",
      // The exact time is the <time> element's datetime; its text is relative ("just now").
      time: await row.getByTestId("audit-time").getAttribute("datetime"),
    });
  }
  return out;
}

describe("project audit log in Chromium", () => {
  it("shows the owner who created and renamed the project, filters by action, and is 404 to others", async () => {
    const started = Date.now();
    const email = `auditor-${started}@example.com`;
    const page = await signedInPage(OWNER_IP, email);
    // The onboarding offers a first flow next; this test goes on from the project home.
    const projectUrl = await createProjectThroughUi(page, baseUrl, "Ledger");

    await page.getByRole("link", { name: "Settings", exact: true }).click();
    await page.getByLabel("Project name", { exact: true }).fill("Ledger 2025");
    await page.getByRole("button", { name: "Rename" }).click();
    await page.getByText("Renamed.").waitFor();

    await page.goto(projectUrl);
    await page.getByRole("link", { name: "Audit", exact: true }).click();
    await page.waitForURL(`${projectUrl}/audit`);
    await page.getByRole("heading", { name: "Audit log" }).waitFor();

    const rows = await auditRows(page);
    expect(rows.map((row) => [row.action, row.actor, row.sentence])).toEqual([
      ["project.renamed", `Avery Auditor (${email})`, "Avery Auditor renamed the project from “Ledger” to “Ledger 2025”"],
      ["project.created", `Avery Auditor (${email})`, "Avery Auditor created the project “Ledger”"],
    ]);
    for (const row of rows) {
      expect(row.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      const at = Date.parse(row.time!);
      expect(at).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000 - 60_000);
      expect(at).toBeLessThanOrEqual(Date.now() + 60_000);
    }
    await expect(page.getByTestId("audit-time").first().textContent()).resolves.toMatch(/^(just now|\d+ seconds? ago|\d+ minutes? ago|1 minute ago)$/);
    await expect(page.getByTestId("audit-time").first().getAttribute("title")).resolves.toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2} UTC$/);
    // No raw keys or JSON on the page; the address and client are folded away until asked for.
    const listText = (await page.getByRole("list", { name: "Audit events" }).textContent()) ?? "";
    expect(listText).not.toMatch(/[{}]|\b(true|false|null)\b/);
    const details = page.getByTestId("audit-row").first().locator("details");
    await expect(details.getByText("IP address").isVisible()).resolves.toBe(false);
    await details.locator("summary").click();
    await expect(details.getByText("IP address").isVisible()).resolves.toBe(true);
    await expect(details.getByText("Project renamed").isVisible()).resolves.toBe(true);

    // At phone width (390 px) nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 800 });
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1280, height: 800 });

    // The action filter's options read as words; their values are the actions.
    await expect(page.getByLabel("Action").locator("option[value='project.renamed']").textContent()).resolves.toBe("Project renamed");
    // The filter form is a plain GET form.
    await page.getByLabel("Action").selectOption("project.renamed");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/[?&]action=project\.renamed/);
    expect((await auditRows(page)).map((row) => row.action)).toEqual(["project.renamed"]);

    // A filter that matches nothing, and one that is not valid: the page still renders.
    await page.goto(`${projectUrl}/audit?actorEmail=${encodeURIComponent(`nobody-${started}@example.com`)}`);
    await expect(page.getByTestId("audit-empty").textContent()).resolves.toBe("No events match these filters.");
    const invalid = await page.goto(`${projectUrl}/audit?from=yesterday&cursor=abc`);
    expect(invalid?.status()).toBe(200);
    await page.getByRole("alert").filter({ hasText: "Some filters are not valid" }).waitFor();
    expect(await page.getByTestId("audit-row").count()).toBe(0);

    const outsider = await signedInPage(OUTSIDER_IP, `audit-outsider-${started}@example.com`);
    const response = await outsider.goto(`${projectUrl}/audit`);
    expect(response?.status()).toBe(404);
    expect(await outsider.content()).not.toContain(email);
    expect((await outsider.goto(projectUrl))?.status()).toBe(404);
  });
});
