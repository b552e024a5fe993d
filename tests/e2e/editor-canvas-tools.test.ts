// The editor's canvas tools in Chromium: "Tidy up" spreads steps piled on one point and
// one Undo piles them again (the server holds each state); Export downloads the saved
// draft; Import replaces the draft with a file (laid out, a missing connection named) as
// one undoable edit; both fit the result in view; a step picked in the inspector comes
// into view and the inspector starts at its top; zoomed out, steps are drawn as boxes
// without text and the paths stay visible; at 1024 px the toolbar keeps one row. Keyboard
// only for the toolbar buttons.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { waitSaved } from "./support/editor-page";
import { acceptInvitationOverHttp, createFlowOverHttp, createProjectOverHttp, inviteOverHttp, saveDraftOverHttp, signInOverHttp } from "./support/http-flows";

const baseUrl = inject("baseUrl");
const PASSWORD = "lantern cobalt meadow 58 spruce";
const browser = setupBrowser();

type TBox = { id: string; x: number; y: number; width: number; height: number };

/** Each step's box on screen. */
const boxesOf = (page: Page): Promise<TBox[]> =>
  page.getByTestId("canvas-node").evaluateAll((nodes) =>
    nodes.map((node) => {
      const box = node.getBoundingClientRect();
      return { id: node.getAttribute("data-node-id")!, x: box.x, y: box.y, width: box.width, height: box.height };
    }),
  );

const overlapping = (boxes: TBox[]) =>
  boxes.flatMap((a, i) =>
    boxes
      .slice(i + 1)
      .filter((b) => Math.abs(a.x - b.x) < a.width - 1 && Math.abs(a.y - b.y) < a.height - 1)
      .map((b) => `${a.id}/${b.id}`),
  );

type TRect = { x: number; y: number; width: number; height: number };
const canvasRect = async (page: Page): Promise<TRect> => (await page.locator(".react-flow").boundingBox())!;
/** Steps not wholly inside the canvas. */
const outside = (boxes: TBox[], canvas: TRect) =>
  boxes
    .filter((b) => b.x < canvas.x - 1 || b.y < canvas.y - 1 || b.x + b.width > canvas.x + canvas.width + 1 || b.y + b.height > canvas.y + canvas.height + 1)
    .map((b) => b.id);
/** The canvas's pan and zoom, as React Flow last set it. */
const viewOf = (page: Page) => page.locator(".react-flow__viewport").evaluate((el) => (el as HTMLElement).style.transform);
/** The view once it has stopped moving (zoom and pan animate). */
async function settledView(page: Page): Promise<string> {
  let last = await viewOf(page);
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(300);
    const now = await viewOf(page);
    if (now === last) return now;
    last = now;
  }
  throw new Error(`The view never settled: ${last}`);
}
const zoomOf = (transform: string) => Number(/scale\(([\d.]+)\)/.exec(transform)![1]);

type TStoredDraft = { document: { nodes: { id: string; ui: { x: number; y: number } }[] } };
const savedDraft = async (page: Page, flowId: string): Promise<TStoredDraft["document"]> =>
  ((await (await page.request.get(`${baseUrl}/api/flows/${flowId}/export`)).json()) as TStoredDraft).document;

const piled = (id: string, type: string, config: Record<string, unknown>) => ({
  op: "add_node",
  node: { id, type, name: `Step ${id}`, config, ui: { x: 0, y: 0 } },
});

describe("editor canvas tools in Chromium", () => {
  it("tidy up and undo, export, import with a missing connection and undo, level of detail", async () => {
    const stamp = randomUUID().slice(0, 8);
    const email = `canvas-tools-${stamp}@example.com`;
    const context = await browser().newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    await signUpThroughUi(page, baseUrl, { name: "Tidy Tester", email, password: PASSWORD });
    const client = await signInOverHttp(baseUrl, "198.51.100.171", email, PASSWORD);
    const projectId = await createProjectOverHttp(client, `Tools ${stamp}`);
    const flowsPath = `/projects/${projectId}/flows`;
    const flowId = await createFlowOverHttp(client, projectId, "Piled up");
    // Every step on one point, as a hand-written file would leave them.
    await saveDraftOverHttp(client, projectId, flowId, [
      { op: "move", nodeId: "trigger", ui: { x: 0, y: 0 } },
      piled("check", "step.condition", { mode: "compare", left: "1", operator: "equals", right: "1" }),
      piled("yes", "step.transform", { expression: "1" }),
      piled("no", "step.transform", { expression: "2" }),
      piled("wait", "step.delay", { mode: "duration", amount: 1, unit: "minutes" }),
      { op: "connect", edge: { id: "e1", source: "trigger", target: "check" } },
      { op: "connect", edge: { id: "e2", source: "check", target: "yes", label: "true" } },
      { op: "connect", edge: { id: "e3", source: "check", target: "no", label: "false" } },
      { op: "connect", edge: { id: "e4", source: "yes", target: "wait" } },
    ]);

    await page.goto(`${baseUrl}${flowsPath}/${flowId}/edit`);
    await page.getByTestId("canvas-node").first().waitFor();
    expect(overlapping(await boxesOf(page))).toHaveLength(10);

    // Tidy up, from the keyboard: ranks from the trigger down, true left of false, nothing on top of anything.
    await page.getByRole("button", { name: "Tidy up" }).focus();
    await page.keyboard.press("Enter");
    await page
      .getByTestId("editor-message")
      .filter({ hasText: /Tidied [45] steps/ })
      .waitFor();
    await expect.poll(async () => overlapping(await boxesOf(page))).toEqual([]);
    // The tidied flow is fitted in view.
    await expect.poll(async () => outside(await boxesOf(page), await canvasRect(page))).toEqual([]);
    const tidied = new Map((await boxesOf(page)).map((box) => [box.id, box]));
    expect(tidied.get("check")!.y).toBeGreaterThan(tidied.get("trigger")!.y);
    expect(tidied.get("yes")!.x).toBeLessThan(tidied.get("no")!.x);
    expect(tidied.get("wait")!.y).toBeGreaterThan(tidied.get("yes")!.y);
    await waitSaved(page);
    const stored = await savedDraft(page, flowId);
    expect(new Set(stored.nodes.map((node) => `${node.ui.x},${node.ui.y}`)).size).toBe(5);

    // One Undo piles them up again, on the server too.
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(async () => overlapping(await boxesOf(page)).length).toBe(10);
    await waitSaved(page);
    expect((await savedDraft(page, flowId)).nodes.every((node) => node.ui.x === 0 && node.ui.y === 0)).toBe(true);
    // Redo puts them back where Tidy up had them, on the server too.
    await page.getByRole("button", { name: "Redo" }).click();
    await expect.poll(async () => overlapping(await boxesOf(page))).toEqual([]);
    const redone = new Map((await boxesOf(page)).map((box) => [box.id, box]));
    expect(redone.get("check")!.y).toBeGreaterThan(redone.get("trigger")!.y);
    expect(redone.get("yes")!.x).toBeLessThan(redone.get("no")!.x);
    await waitSaved(page);
    expect((await savedDraft(page, flowId)).nodes.map((node) => [node.id, node.ui])).toEqual(stored.nodes.map((node) => [node.id, node.ui]));

    // Zoomed in, a step picked in the inspector that is off screen is brought into view at the same zoom.
    const inspector = page.getByTestId("inspector");
    for (let i = 0; i < 4; i++) await page.getByRole("button", { name: "zoom in" }).click();
    const zoomedView = await settledView(page);
    const hidden = outside(await boxesOf(page), await canvasRect(page));
    expect(hidden.length).toBeGreaterThan(0);
    await inspector.getByLabel("Selected step").selectOption(hidden[0]!);
    await expect.poll(async () => outside(await boxesOf(page), await canvasRect(page))).not.toContain(hidden[0]);
    const revealedView = await settledView(page);
    expect(revealedView).not.toBe(zoomedView);
    expect(zoomOf(revealedView)).toBeCloseTo(zoomOf(zoomedView), 5);
    // A step already on screen leaves the view where it is, and the inspector starts at its top.
    await page.getByRole("button", { name: "fit view" }).click();
    const fittedView = await settledView(page);
    expect(outside(await boxesOf(page), await canvasRect(page))).toEqual([]);
    await inspector.getByLabel("Selected step").selectOption("yes");
    const inspectorPane = page.getByRole("complementary", { name: "Inspector and publishing" });
    await inspectorPane.evaluate((pane) => pane.scrollTo({ top: pane.scrollHeight }));
    expect(await inspectorPane.evaluate((pane) => pane.scrollTop)).toBeGreaterThan(0);
    await inspector.getByLabel("Selected step").selectOption("no");
    await expect.poll(() => inspectorPane.evaluate((pane) => pane.scrollTop)).toBe(0);
    expect(await settledView(page)).toBe(fittedView);

    // Export: the saved draft as a flow file.
    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Export JSON" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe("piled-up.vaultflow.json");
    const exported = JSON.parse(readFileSync((await download.path())!, "utf8")) as { vaultflow: string; document: { nodes: { id: string }[] } };
    expect(exported.vaultflow).toBe("flow");
    expect(exported.document.nodes.map((node) => node.id).sort()).toEqual(["check", "no", "trigger", "wait", "yes"]);

    // Import another flow into this draft: its steps had no positions and its HTTP step a connection this project lacks.
    const missing = "5c0ffee0-1234-4abc-8def-0123456789ab";
    const file = {
      vaultflow: "flow",
      version: 1,
      name: "Charge",
      document: {
        schemaVersion: 1,
        nodes: [
          { id: "hook", type: "trigger.webhook", name: "Order placed", config: { respondMode: "immediately", responseTimeoutMs: 10_000 }, ui: { x: 0, y: 0 } },
          {
            id: "charge",
            type: "step.http",
            name: "Charge card",
            config: { method: "POST", url: "https://api.example.com/charges", connectionId: missing },
            ui: { x: 0, y: 0 },
          },
          { id: "done", type: "step.transform", name: "Summarize", config: { expression: "1" }, ui: { x: 0, y: 0 } },
        ],
        edges: [
          { id: "a", source: "hook", target: "charge" },
          { id: "b", source: "charge", target: "done" },
        ],
      },
      connections: [{ id: missing, name: "Stripe live", type: "API_KEY" }],
    };
    await page
      .getByTestId("editor-import-file")
      .setInputFiles({ name: "charge.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(file)) });
    const message = page.getByTestId("editor-message");
    await message.filter({ hasText: 'Imported 3 steps from "charge.json", laid out' }).waitFor();
    expect(await message.textContent()).toContain('"Charge card" needs a connection: the file used "Stripe live" (API_KEY)');
    await expect.poll(async () => (await boxesOf(page)).map((box) => box.id).sort()).toEqual(["charge", "done", "hook"]);
    expect(overlapping(await boxesOf(page))).toEqual([]);
    await expect.poll(async () => outside(await boxesOf(page), await canvasRect(page))).toEqual([]);
    await waitSaved(page);
    const imported = await savedDraft(page, flowId);
    expect(imported.nodes.map((node) => node.id).sort()).toEqual(["charge", "done", "hook"]);

    // One Undo brings the previous draft back.
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(async () => (await boxesOf(page)).map((box) => box.id).sort()).toEqual(["check", "no", "trigger", "wait", "yes"]);
    await waitSaved(page);
    expect((await savedDraft(page, flowId)).nodes.map((node) => node.id).sort()).toEqual(["check", "no", "trigger", "wait", "yes"]);

    // A file that is not a flow changes nothing and says why.
    await page.getByTestId("editor-import-file").setInputFiles({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello": 1}') });
    await page.getByRole("alert").filter({ hasText: '"notes.json" cannot be imported' }).waitFor();
    expect((await boxesOf(page)).length).toBe(5);

    // Zoomed out, a step is a box and its glyph: no text.
    const zoomOut = page.getByRole("button", { name: "zoom out" });
    for (let i = 0; i < 8; i++) await zoomOut.click();
    await expect.poll(() => page.locator('[data-testid="canvas-node"][data-detail="low"]').count()).toBe(5);
    expect(await page.getByTestId("canvas-node-name").count()).toBe(0);
    // Each box says which step it is on hover, shows its type's icon, and the paths keep their width on screen.
    expect(await page.locator('[data-testid="canvas-node"][data-node-id="check"]').getAttribute("title")).toBe("Step check");
    expect(await page.locator('[data-testid="canvas-node"] svg').count()).toBe(5);
    const edgeStroke = await page
      .locator(".react-flow__edge-path")
      .first()
      .evaluate((path) => {
        const style = getComputedStyle(path);
        return { vectorEffect: style.getPropertyValue("vector-effect"), width: style.strokeWidth };
      });
    expect(edgeStroke).toEqual({ vectorEffect: "non-scaling-stroke", width: "1.5px" });
    await page.getByRole("button", { name: "fit view" }).click();
    await expect.poll(() => page.locator('[data-testid="canvas-node"][data-detail="full"]').count()).toBe(5);

    // At 1024 px the toolbar keeps one row (a long name is cut short) and the canvas keeps most of the width.
    await page.setViewportSize({ width: 1024, height: 768 });
    const middleOf = async (testId: string) => {
      const box = (await page.getByTestId(testId).boundingBox())!;
      return box.y + box.height / 2;
    };
    await expect
      .poll(async () => {
        const middles = await Promise.all(["editor-flow-name", "editor-tidy", "editor-import", "save-status"].map(middleOf));
        return Math.max(...middles) - Math.min(...middles);
      })
      .toBeLessThan(3);
    expect((await canvasRect(page)).width).toBeGreaterThan(520);
    expect(await page.locator(".react-flow__minimap svg").getAttribute("width")).toBe("120");
    await page.setViewportSize({ width: 1440, height: 900 });

    // A viewer gets neither Tidy up nor Import.
    const viewerEmail = `canvas-viewer-${stamp}@example.com`;
    const viewerContext = await browser().newContext({ viewport: { width: 1440, height: 900 } });
    const viewerPage = await viewerContext.newPage();
    await signUpThroughUi(viewerPage, baseUrl, { name: "Vera Viewer", email: viewerEmail, password: PASSWORD });
    const token = await inviteOverHttp(client, projectId, viewerEmail, "VIEWER");
    const viewer = await signInOverHttp(baseUrl, "198.51.100.172", viewerEmail, PASSWORD);
    await acceptInvitationOverHttp(viewer, token);
    await viewerPage.goto(`${baseUrl}${flowsPath}/${flowId}/edit`);
    await viewerPage.getByTestId("read-only-notice").waitFor();
    // The notice is server-rendered; the canvas nodes appear once React Flow renders in the browser.
    await expect.poll(() => viewerPage.getByTestId("canvas-node").count()).toBe(5);
    expect(await viewerPage.getByRole("button", { name: "Tidy up" }).count()).toBe(0);
    expect(await viewerPage.getByTestId("editor-tidy").count()).toBe(0);
    expect(await viewerPage.getByRole("button", { name: /Import/ }).count()).toBe(0);
    expect(await viewerPage.getByTestId("editor-import-file").count()).toBe(0);
    // Export is reading, so a viewer keeps it.
    expect(await viewerPage.getByRole("link", { name: "Export JSON" }).count()).toBe(1);
    await viewerContext.close();
    await context.close();
  });
});
