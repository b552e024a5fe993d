// Dark mode in Chromium: with the system set to dark, the landing page, sign-in, the projects
// list, a project's home, its runs, a run and the flow editor render on a dark surface, axe
// finds no serious or critical violation (colour contrast included) at desktop and phone
// width, and a screenshot of each is kept. With the system set to light, the same page stays light.
import { mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { axeViolations } from "./support/editor-page";
import type { HttpClient } from "./support/http-client";
import {
  createFlowOverHttp,
  createProjectOverHttp,
  publishFlowOverHttp,
  runNowOverHttp,
  saveDraftOverHttp,
  signInOverHttp,
  TEST_PASSWORD,
} from "./support/http-flows";

const baseUrl = inject("baseUrl");
const browser = setupBrowser();
const SHOTS = process.env.VAULTFLOW_E2E_SHOTS ?? path.join(os.tmpdir(), "vaultflow-e2e-shots");
const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

type TScheme = "light" | "dark";

/** WCAG relative luminance of the page's own background (the body's computed colour). */
function bodyLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    // Computed colours may come back as rgb() or in another space: a 1×1 canvas turns any into sRGB bytes.
    const context = document.createElement("canvas").getContext("2d")!;
    const colour = getComputedStyle(document.body).backgroundColor;
    context.fillStyle = "#010203";
    context.fillStyle = colour;
    if (context.fillStyle === "#010203") throw new Error(`the canvas cannot read the colour ${colour}`);
    context.fillRect(0, 0, 1, 1);
    const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
    const channel = (v: number) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r!) + 0.7152 * channel(g!) + 0.0722 * channel(b!);
  });
}

async function newPage(b: Browser, scheme: TScheme, viewport: { width: number; height: number }): Promise<Page> {
  const context = await b.newContext({ colorScheme: scheme, viewport });
  return context.newPage();
}

/** A project with a branching flow (true/false paths on the canvas) that has run once. */
async function seedProject(owner: HttpClient): Promise<{ projectId: string; flowId: string; runId: string }> {
  const projectId = await createProjectOverHttp(owner, "Night shift");
  const flowId = await createFlowOverHttp(owner, projectId, "Branching");
  const operations = [
    {
      op: "add_node",
      node: {
        id: "check",
        type: "step.condition",
        name: "Check",
        config: { mode: "compare", left: "1", operator: "equals", right: "1" },
        ui: { x: 0, y: 120 },
      },
    },
    { op: "add_node", node: { id: "yes", type: "step.transform", name: "Yes", config: { expression: '{"path": "yes"}' }, ui: { x: -160, y: 260 } } },
    { op: "add_node", node: { id: "no", type: "step.transform", name: "No", config: { expression: '{"path": "no"}' }, ui: { x: 160, y: 260 } } },
    { op: "connect", edge: { id: "e1", source: "trigger", target: "check" } },
    { op: "connect", edge: { id: "e2", source: "check", target: "yes", label: "true" } },
    { op: "connect", edge: { id: "e3", source: "check", target: "no", label: "false" } },
  ];
  await saveDraftOverHttp(owner, projectId, flowId, operations);
  await publishFlowOverHttp(owner, projectId, flowId);
  const runId = await runNowOverHttp(owner, projectId, flowId);
  for (let i = 0; i < 150; i += 1) {
    const { body } = await owner.json(`/api/runs/${runId}`);
    if ((body as { status: string }).status === "SUCCEEDED") return { projectId, flowId, runId };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the seeded run did not succeed in time");
}

type TTarget = { name: string; signedIn: boolean; path: () => string; ready: (page: Page) => Promise<unknown> };

// Filled in by the set-up below: the seeded project and the signed-in person's cookies.
const seeded = { projectId: "", flowId: "", runId: "" };
let cookies: Awaited<ReturnType<ReturnType<Page["context"]>["cookies"]>> = [];
const project = () => `/projects/${seeded.projectId}`;

const TARGETS: TTarget[] = [
  { name: "landing", signedIn: false, path: () => "/", ready: (page) => page.locator("main").first().waitFor() },
  { name: "sign-in", signedIn: false, path: () => "/sign-in", ready: (page) => page.getByRole("button", { name: "Sign in" }).waitFor() },
  {
    name: "projects",
    signedIn: true,
    path: () => "/projects",
    ready: (page) =>
      page
        .getByRole("link", { name: /Night shift/ })
        .first()
        .waitFor(),
  },
  { name: "project", signedIn: true, path: project, ready: (page) => page.getByTestId("project-name").filter({ hasText: "Night shift" }).waitFor() },
  { name: "runs", signedIn: true, path: () => `${project()}/runs`, ready: (page) => page.getByTestId("run-row").first().getByTestId("run-status").waitFor() },
  {
    name: "run",
    signedIn: true,
    path: () => `${project()}/runs/${seeded.runId}`,
    ready: (page) => page.getByTestId("run-status").filter({ hasText: "Succeeded" }).first().waitFor(),
  },
  // An SVG edge group has no box of its own: the editor is ready once the labelled edge is in the DOM.
  {
    name: "editor",
    signedIn: true,
    path: () => `${project()}/flows/${seeded.flowId}/edit`,
    ready: (page) => page.locator(".react-flow__edge.flow-edge-true").waitFor({ state: "attached" }),
  },
];

describe("dark mode", () => {
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // Sign up in a dark page, then set up a project over HTTP as the same person.
    const email = `dark-${Date.now().toString(36)}@example.com`;
    const first = await newPage(browser(), "dark", VIEWPORTS[0]);
    await signUpThroughUi(first, baseUrl, { name: "Nadia Night", email, password: TEST_PASSWORD });
    const owner = await signInOverHttp(baseUrl, "198.51.100.211", email, TEST_PASSWORD);
    Object.assign(seeded, await seedProject(owner));
    cookies = await first.context().cookies();
    await first.context().close();
  });

  describe.each(VIEWPORTS)("at $width×$height", (viewport) => {
    it.each(TARGETS)("$name is dark and axe finds nothing serious or critical (contrast included)", async (target) => {
      const page = await newPage(browser(), "dark", viewport);
      try {
        if (target.signedIn) await page.context().addCookies(cookies);
        const response = await page.goto(`${baseUrl}${target.path()}`);
        expect(response?.status(), target.path()).toBe(200);
        await target.ready(page);
        await page.screenshot({ path: path.join(SHOTS, `dark-${target.name}-${viewport.width}x${viewport.height}.png`), fullPage: viewport.name === "phone" });
        // The page itself is dark: without the dark palette this is white (luminance 1).
        expect(await bodyLuminance(page)).toBeLessThan(0.05);
        expect(await axeViolations(page)).toEqual([]);
      } finally {
        await page.context().close();
      }
    });
  });

  it("follows the setting: with the system set to light, the same page is light", async () => {
    const light = await newPage(browser(), "light", VIEWPORTS[0]);
    await light.goto(`${baseUrl}/sign-in`);
    expect(await bodyLuminance(light)).toBeGreaterThan(0.9);
    expect(await light.evaluate(() => document.querySelector('meta[name="color-scheme"]')?.getAttribute("content"))).toBe("light dark");
    await light.context().close();
  });
});
