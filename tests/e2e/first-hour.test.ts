// The first hour in Vaultflow, in headless Chromium: the landing page's call to action,
// where people land after sign-up and sign-in, the two-step onboarding (project, then
// its first flow), the project home (flows, runs, connections) and the project bar
// (switcher, role-aware sections, the current one marked, keyboard, phone menu).
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import type { TFlowDocument } from "@/lib/flows/document";
import { setupBrowser, submitSignInForm, submitSignUpForm } from "./support/accounts";
import { axeViolations } from "./support/editor-page";
import { addMemberOverHttp, callAction, createProjectOverHttp, createPublishedFlowOverHttp, dataOf, signUpOverHttp, TEST_PASSWORD } from "./support/http-flows";

const baseUrl = inject("baseUrl");
const browser = setupBrowser();
const SHOTS = process.env.VAULTFLOW_E2E_SHOTS ?? path.join(os.tmpdir(), "vaultflow-e2e-shots");
mkdirSync(SHOTS, { recursive: true });

const PASSWORD = "harbor violet seventy 4 canyon";
const UUID = "[0-9a-f-]{36}";

async function newPage(width = 1440, height = 900, ip = "198.51.100.60"): Promise<Page> {
  const context = await browser().newContext({ viewport: { width, height }, extraHTTPHeaders: { "X-Forwarded-For": ip } });
  return context.newPage();
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
const projectNav = (page: Page) => page.getByRole("navigation", { name: "Project" });

const signIn = (page: Page, email: string, password: string, query = "") => submitSignInForm(page, baseUrl, email, password, query);

/** A manual trigger and one transform: publishable, and a run finishes without any outside system. */
const RUNNABLE: TFlowDocument = {
  schemaVersion: 1,
  nodes: [
    { id: "start", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
    { id: "double", type: "step.transform", name: "Double", config: { expression: "21 * 2" }, ui: { x: 0, y: 150 } },
  ],
  edges: [{ id: "start-double", source: "start", target: "double" }],
};

describe("the first hour in Chromium", () => {
  it("landing: a sign-up call to action that fits 390 px and leads to the sign-up form", { timeout: 60_000 }, async () => {
    const wide = await newPage();
    await wide.goto(baseUrl);
    const cta = wide.getByTestId("landing-cta");
    expect(await cta.getByRole("link", { name: "Create your account" }).getAttribute("href")).toBe("/sign-up");
    expect(await cta.getByRole("link", { name: "Sign in", exact: true }).getAttribute("href")).toBe("/sign-in");
    await wide.getByRole("heading", { name: "Why it is safe" }).waitFor();
    expect(await axeViolations(wide)).toEqual([]);
    await shot(wide, "first-hour-landing-1440");

    const phone = await newPage(390, 844);
    await phone.goto(baseUrl);
    expect(await overflow(phone)).toBeLessThanOrEqual(0);
    // The primary action is on the first screen of a phone.
    const box = await phone.getByRole("link", { name: "Create your account" }).boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(844);
    expect(await axeViolations(phone)).toEqual([]);
    await shot(phone, "first-hour-landing-390");
    await phone.getByRole("link", { name: "Create your account" }).click();
    await phone.waitForURL(`${baseUrl}/sign-up`);
    await phone.getByRole("heading", { name: "Create your account", level: 1 }).waitFor();
    await wide.context().close();
    await phone.context().close();
  });

  it("sign-up lands on the onboarding, which creates the first project and flow; sign-in then lands on the projects", { timeout: 180_000 }, async () => {
    const email = `first-hour-${Date.now()}@example.com`;
    const page = await newPage(1440, 900, "198.51.100.61");
    await submitSignUpForm(page, baseUrl, { name: "Frida First", email, password: PASSWORD });
    await page.waitForURL(`${baseUrl}/welcome`);
    await expect(page.getByTestId("onboarding-progress").textContent()).resolves.toBe("Step 1 of 2");
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "first-hour-onboarding-1-1440");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await shot(page, "first-hour-onboarding-1-390");
    await page.setViewportSize({ width: 1440, height: 900 });

    // An empty name is refused inline; then the project.
    await page.getByRole("button", { name: "Create project" }).click();
    expect(await page.getByLabel("Project name").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("Project name").fill("Order desk");
    await page.getByRole("button", { name: "Create project" }).click();
    await page.waitForURL(new RegExp(`/welcome\\?project=${UUID}$`));
    const projectId = new URL(page.url()).searchParams.get("project")!;
    await expect(page.getByTestId("onboarding-progress").textContent()).resolves.toBe("Step 2 of 2");
    await page.getByText("Order desk").first().waitFor();
    expect(await page.getByRole("radio", { name: /Webhook → HTTP request/ }).isChecked()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, "first-hour-onboarding-2-1440");
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await shot(page, "first-hour-onboarding-2-390");
    await page.setViewportSize({ width: 1440, height: 900 });

    // The starter flow: a webhook trigger and an HTTP request step, open in the editor.
    await page.getByLabel("Flow name").fill("Forward orders");
    await page.getByRole("button", { name: "Create flow and open the editor" }).click();
    await page.waitForURL(new RegExp(`/projects/${projectId}/flows/${UUID}/edit$`));
    await expect.poll(() => page.getByTestId("canvas-node").count()).toBe(2);

    // The project home lists the flow, not yet run, and says what to do about runs and connections.
    await page.goto(`${baseUrl}/projects/${projectId}`);
    const flowRow = page.getByTestId("home-flow").filter({ hasText: "Forward orders" });
    await expect(flowRow.getByTestId("flow-active").textContent()).resolves.toBe("Inactive");
    await expect(flowRow.getByTestId("flow-last-run").textContent()).resolves.toBe("Never run");
    await page.getByTestId("home-runs-empty").waitFor();
    await page.getByTestId("home-connections-empty").getByRole("link", { name: "Add a connection" }).waitFor();
    expect(await page.content()).not.toContain("arrives next");

    // Signed out and in again: the projects list, now that there is one.
    await page.context().clearCookies();
    await signIn(page, email, PASSWORD);
    await page.waitForURL(`${baseUrl}/projects`);
    await page.getByRole("link", { name: /Order desk/ }).waitFor();
    // A link's own destination (an invitation's, a deep link's) still wins over the default.
    await page.context().clearCookies();
    await signIn(page, email, PASSWORD, `?callbackUrl=${encodeURIComponent(`/projects/${projectId}/flows`)}`);
    await page.waitForURL(`${baseUrl}/projects/${projectId}/flows`);
    await page.context().close();

    // Someone who signs in before owning any project lands on the onboarding too.
    const { email: bare } = await signUpOverHttp(baseUrl, "198.51.100.62", "bare");
    const barePage = await newPage(1440, 900, "198.51.100.62");
    await signIn(barePage, bare, TEST_PASSWORD);
    await barePage.waitForURL(`${baseUrl}/welcome`);
    await barePage.context().close();
  });

  it(
    "project home lists runs with working links; the bar switches projects, marks the section, hides by role, works by keyboard and folds at 390 px",
    { timeout: 240_000 },
    async () => {
      const { client: owner, email } = await signUpOverHttp(baseUrl, "198.51.100.63", "owner");
      const projectId = await createProjectOverHttp(owner, "Ledger home");
      const otherId = await createProjectOverHttp(owner, "Another ledger");
      const flowId = await createPublishedFlowOverHttp(owner, projectId, RUNNABLE, { name: "Doubler" });
      const params = { projectId, flowId };
      const { runId } = dataOf<{ runId: string }>(
        await callAction(owner, "app/projects/[projectId]/flows/actions.ts#runNowAction", { flowId, payload: "" }, params),
      );
      const home = `${baseUrl}/projects/${projectId}`;

      const page = await newPage(1440, 900, "198.51.100.63");
      await signIn(page, email, TEST_PASSWORD);
      await page.waitForURL(`${baseUrl}/projects`);
      await page.goto(home);
      // The run appears with its flow and a badge, and its link opens the run.
      await expect
        .poll(
          async () => {
            await page.reload();
            return page.getByTestId("home-run").count();
          },
          { timeout: 30_000 },
        )
        .toBe(1);
      const run = page.getByTestId("home-run").first();
      await expect(run.textContent()).resolves.toContain("Doubler");
      await run.getByTestId("run-status").waitFor();
      await expect(page.getByTestId("home-flow").filter({ hasText: "Doubler" }).getByTestId("flow-last-run").textContent()).resolves.toMatch(/^Last run /);

      // The bar: the project, every section an owner may open, Overview marked here.
      const nav = projectNav(page);
      await expect(nav.getByTestId("project-nav-name").textContent()).resolves.toBe("Ledger home");
      const sections = await nav.getByTestId("project-sections").getByRole("link").allTextContents();
      expect(sections).toEqual(["Overview", "Flows", "Runs", "Connections", "Members", "Audit", "Access log", "API keys", "Settings"]);
      expect(await nav.getByRole("link", { name: "Overview" }).getAttribute("aria-current")).toBe("page");
      expect(await page.getByRole("link", { name: /Create project|Project settings/ }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, "first-hour-project-home-1440");

      await run.getByRole("link").click();
      await page.waitForURL(`${home}/runs/${runId}`);
      // Inside a section, the section stays marked ("true", not "page").
      expect(await projectNav(page).getByRole("link", { name: "Runs", exact: true }).getAttribute("aria-current")).toBe("true");

      // Keyboard: Tab to the Runs section, Enter; then the switcher opens with Enter and changes project.
      await page.goto(home);
      await nav.getByRole("link", { name: "Overview" }).focus();
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Runs");
      await page.keyboard.press("Enter");
      await page.waitForURL(`${home}/runs`);
      expect(await projectNav(page).getByRole("link", { name: "Runs", exact: true }).getAttribute("aria-current")).toBe("page");
      expect(await projectNav(page).getByRole("link", { name: "Overview" }).getAttribute("aria-current")).toBeNull();
      await projectNav(page).getByTestId("project-switcher").locator("summary").focus();
      await page.keyboard.press("Enter");
      const other = projectNav(page).getByRole("link", { name: "Another ledger" });
      await other.waitFor();
      await other.focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(`${baseUrl}/projects/${otherId}`);
      await expect(projectNav(page).getByTestId("project-nav-name").textContent()).resolves.toBe("Another ledger");
      await page.getByTestId("home-flows-empty").getByRole("link", { name: "Create a flow" }).waitFor();

      // 390 px: the sections fold into a Menu that opens by keyboard.
      await page.goto(home);
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await projectNav(page).getByRole("link", { name: "Runs", exact: true }).count()).toBe(0);
      await projectNav(page).getByTestId("project-menu").locator("summary").focus();
      await page.keyboard.press("Enter");
      const menu = projectNav(page).getByTestId("project-menu-list");
      await menu.getByRole("link", { name: "Runs", exact: true }).waitFor();
      expect(await menu.getByRole("link", { name: "Overview" }).getAttribute("aria-current")).toBe("page");
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await axeViolations(page)).toEqual([]);
      await shot(page, "first-hour-project-home-390-menu");
      await menu.getByRole("link", { name: "Flows", exact: true }).click();
      await page.waitForURL(`${home}/flows`);
      await page.context().close();

      // A viewer sees the project and what a viewer may open: no API keys, Billing, Audit, Access log or Settings.
      const { client: viewer, email: viewerEmail } = await signUpOverHttp(baseUrl, "198.51.100.64", "viewer");
      await addMemberOverHttp(owner, projectId, { client: viewer, email: viewerEmail }, "VIEWER");
      const viewerPage = await newPage(1440, 900, "198.51.100.64");
      await signIn(viewerPage, viewerEmail, TEST_PASSWORD);
      await viewerPage.waitForURL(`${baseUrl}/projects`);
      await viewerPage.goto(home);
      const viewerSections = await projectNav(viewerPage).getByTestId("project-sections").getByRole("link").allTextContents();
      expect(viewerSections).toEqual(["Overview", "Flows", "Runs", "Connections", "Members"]);
      await expect(projectNav(viewerPage).getByTestId("project-role").textContent()).resolves.toBe("Viewer");
      // The viewer's project home: no create buttons, the run still linked.
      expect(await viewerPage.getByRole("link", { name: "Add a connection" }).count()).toBe(0);
      await viewerPage.getByTestId("home-run").first().getByRole("link").click();
      await viewerPage.waitForURL(`${home}/runs/${runId}`);
      await viewerPage.context().close();
    },
  );
});
