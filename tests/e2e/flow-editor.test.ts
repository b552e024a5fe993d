// The flow editor in Chromium: an editor builds webhook → transform → condition → two
// HTTP branches from the palette with the mouse and with the keyboard, configures them
// in the inspector, maps a field from the transform's test output, sees no problems
// left, publishes, reloads and finds it all; undoes three edits and redoes them (and
// the server holds each state); restores version 1 from the history; a second tab's save
// makes the first one's next save a conflict; a viewer sees the same canvas read only;
// axe finds nothing serious; a phone-width screen never scrolls sideways.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { axeViolations, inspector, selectStep, waitSaved } from "./support/editor-page";
import { acceptInvitationOverHttp, createFlowOverHttp, createProjectOverHttp, inviteOverHttp, signInOverHttp } from "./support/http-flows";

const baseUrl = inject("baseUrl");
const PASSWORD = "harbor violet compass 42 kettle";
const browser = setupBrowser();

async function signedInPage(name: string, email: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const context = await browser().newContext({ viewport });
  const page = await context.newPage();
  await signUpThroughUi(page, baseUrl, { name, email, password: PASSWORD });
  return page;
}

const nodeIds = (page: Page) => page.getByTestId("canvas-node").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-node-id")).sort());
const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Labels of the condition's paths, read from its inspector. */
async function outgoingOf(page: Page, id: string): Promise<string[]> {
  await selectStep(page, id);
  return inspector(page)
    .getByTestId("outgoing-edge")
    .evaluateAll((items) =>
      items.map((item) =>
        item
          .textContent!.replace(/Disconnect.*$/, "")
          .replace(/\s+/g, " ")
          .trim(),
      ),
    );
}

describe("flow editor in Chromium", () => {
  it("build with mouse and keyboard, map from a test output, publish, undo/redo, restore version 1, conflict, viewer read only, axe, phone width", async () => {
    const stamp = randomUUID().slice(0, 8);
    const ownerEmail = `editor-owner-${stamp}@example.com`;
    const page = await signedInPage("Edda Editor", ownerEmail);
    const owner = await signInOverHttp(baseUrl, "198.51.100.160", ownerEmail, PASSWORD);
    const projectId = await createProjectOverHttp(owner, `Editor ${stamp}`);
    const flowId = await createFlowOverHttp(owner, projectId, "Branching");

    // From the flow page to the editor; the new flow has its manual trigger.
    await page.goto(`${baseUrl}/projects/${projectId}/flows/${flowId}`);
    await page.getByRole("link", { name: "Open editor" }).click();
    const editorUrl = `${baseUrl}/projects/${projectId}/flows/${flowId}/edit`;
    await page.waitForURL(editorUrl);
    await page.getByTestId("canvas-node").first().waitFor();
    expect(await nodeIds(page)).toEqual(["trigger"]);

    // Mouse: select the manual trigger on the canvas; keyboard: Delete removes it.
    await page.locator('[data-testid="canvas-node"][data-node-id="trigger"]').click();
    await inspector(page).getByLabel("Name", { exact: true }).waitFor();
    await page.keyboard.press("Delete");
    await expect.poll(() => nodeIds(page)).toEqual([]);
    await page.getByTestId("validation-panel").getByText("Add a trigger: a flow starts with exactly one.").waitFor();

    // Mouse: a webhook trigger from the palette (it becomes the selected step).
    await page.getByRole("button", { name: "Add Webhook trigger" }).click();
    await expect.poll(() => nodeIds(page)).toEqual(["webhook"]);
    // Keyboard: search, Enter adds the first match after the selected step.
    await page.getByLabel("Search steps").focus();
    await page.keyboard.type("transform");
    await page.keyboard.press("Enter");
    await expect.poll(() => nodeIds(page)).toEqual(["transform", "webhook"]);
    await page.getByLabel("Search steps").fill("");
    // Mouse: the condition after the transform, then the "true" HTTP branch after the condition.
    await page.getByRole("button", { name: "Add Condition" }).click();
    await page.getByRole("button", { name: "Add HTTP request" }).click();
    // Keyboard: pick the condition from the step list, then Tab from the search to the HTTP item.
    await inspector(page).getByLabel("Selected step").focus();
    await selectStep(page, "condition");
    await page.getByLabel("Search steps").focus();
    await page.keyboard.type("http");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => nodeIds(page)).toEqual(["condition", "http", "http_2", "transform", "webhook"]);
    expect(await outgoingOf(page, "condition")).toEqual(["→ HTTP request when true", "→ HTTP request when false"]);
    expect(await page.locator(".react-flow__edge").count()).toBe(4);

    // A drop from the palette onto the canvas adds an unconnected step where it lands; Delete removes it again.
    await page.getByLabel("Search steps").fill("");
    await page.getByRole("button", { name: "Add Delay" }).dragTo(page.getByTestId("canvas"), { targetPosition: { x: 120, y: 120 } });
    await expect.poll(() => nodeIds(page)).toContain("delay");
    await page.locator('[data-testid="canvas-node"][data-node-id="delay"]').click();
    await page.keyboard.press("Backspace");
    await expect.poll(() => nodeIds(page)).not.toContain("delay");

    // Problems are listed; clicking one selects its step and focuses the inspector.
    const transformProblem = page.getByTestId("problem").filter({ hasText: "Enter a JSONata expression." });
    await transformProblem.getByRole("button").click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("inspector-heading");
    expect(await inspector(page).getByLabel("Selected step").inputValue()).toBe("transform");
    await expect.poll(() => page.locator('[data-node-id="transform"] [data-testid="canvas-node-problems"]').textContent()).toMatch(/^1/);

    // Configure each step in the inspector; inline messages come from the schema.
    await inspector(page).getByLabel("Expression (JSONata)").fill('{ "n": 5 }');
    await expect.poll(() => page.locator('[data-node-id="transform"] [data-testid="canvas-node-problems"]').count()).toBe(0);
    // Test the transform: its output becomes sample data, offered by the condition's reference picker.
    await waitSaved(page);
    await inspector(page).getByRole("button", { name: "Test step" }).click();
    await inspector(page)
      .getByTestId("step-test-status")
      .filter({ hasText: /Succeeded in \d+ ms\./ })
      .waitFor();
    await selectStep(page, "condition");
    await inspector(page).getByLabel("Name", { exact: true }).fill("Is positive");
    await inspector(page).getByTestId("insert-reference-left").click();
    await page.getByTestId("reference-picker").locator('[data-testid="reference-option"][data-reference="{{steps.transform.output.n}}"]').click();
    await expect.poll(() => inspector(page).getByLabel("Left value").inputValue()).toBe("{{steps.transform.output.n}}");
    await expect
      .poll(() =>
        inspector(page)
          .getByTestId("reference-chip")
          .evaluateAll((els) => els.map((el) => el.getAttribute("data-status"))),
      )
      .toEqual(["ok"]);
    await inspector(page).getByLabel("Comparison").selectOption("greater_than");
    await inspector(page).getByLabel("Right value").fill("0");
    await selectStep(page, "http");
    await inspector(page).getByLabel("URL").fill("https://example.com/yes");
    await inspector(page).getByLabel("Name", { exact: true }).fill("");
    await inspector(page).getByText("Give the step a name.").waitFor();
    await inspector(page).getByLabel("Name", { exact: true }).fill("Call yes");
    await inspector(page).getByLabel("Method", { exact: true }).selectOption("POST");
    await inspector(page).getByLabel("Timeout (ms)").fill("400000");
    await inspector(page).getByText("The timeout can be at most 300 seconds.").waitFor();
    await inspector(page).getByLabel("Timeout (ms)").fill("30000");
    await selectStep(page, "http_2");
    await inspector(page).getByLabel("Name", { exact: true }).fill("Call no");
    await inspector(page).getByLabel("URL").fill("https://example.com/no");
    await page.getByTestId("no-problems").waitFor();
    await waitSaved(page);

    // Publish with a note, reload: the same five steps, labels and settings.
    await page.getByLabel("Version note (optional)").fill("Built in the editor");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Published version 1.").waitFor();
    await page.reload();
    await page.getByTestId("canvas-node").first().waitFor();
    expect(await nodeIds(page)).toEqual(["condition", "http", "http_2", "transform", "webhook"]);
    expect(await outgoingOf(page, "condition")).toEqual(["→ Call yes when true", "→ Call no when false"]);
    expect(await inspector(page).getByLabel("Left value").inputValue()).toBe("{{steps.transform.output.n}}");
    await selectStep(page, "http");
    expect(await inspector(page).getByLabel("URL").inputValue()).toBe("https://example.com/yes");
    expect(await inspector(page).getByLabel("Method", { exact: true }).inputValue()).toBe("POST");
    await page.getByTestId("no-problems").waitFor();
    await page.goto(`${baseUrl}/projects/${projectId}/flows/${flowId}`);
    await page.getByTestId("flow-version").getByText("Version 1 is live.").waitFor();
    await page.goto(editorUrl);
    await page.getByTestId("canvas-node").first().waitFor();

    // Three edits, undone with the keyboard, redone with keys and the button; the server follows.
    await selectStep(page, "http_2");
    const name = inspector(page).getByLabel("Name", { exact: true });
    const method = inspector(page).getByLabel("Method", { exact: true });
    const timeout = inspector(page).getByLabel("Timeout (ms)");
    await name.fill("Renamed");
    await method.selectOption("DELETE");
    await timeout.fill("5000");
    await waitSaved(page);
    await page.locator("#inspector-heading").focus();
    for (let i = 0; i < 3; i += 1) await page.keyboard.press("Control+z");
    expect([await name.inputValue(), await method.inputValue(), await timeout.inputValue()]).toEqual(["Call no", "GET", "30000"]);
    expect(await page.getByRole("button", { name: "Undo" }).isDisabled()).toBe(true);
    await waitSaved(page);
    await page.reload();
    await page.getByTestId("canvas-node").first().waitFor();
    await selectStep(page, "http_2");
    expect([await name.inputValue(), await method.inputValue(), await timeout.inputValue()]).toEqual(["Call no", "GET", "30000"]);
    // History is per page load: make the edits again, undo, then redo all three.
    await name.fill("Renamed");
    await method.selectOption("DELETE");
    await timeout.fill("5000");
    await page.locator("#inspector-heading").focus();
    for (let i = 0; i < 3; i += 1) await page.keyboard.press("Control+z");
    expect(await name.inputValue()).toBe("Call no");
    await page.keyboard.press("Control+Shift+z");
    await page.keyboard.press("Control+y");
    await page.getByRole("button", { name: "Redo" }).click();
    expect([await name.inputValue(), await method.inputValue(), await timeout.inputValue()]).toEqual(["Renamed", "DELETE", "5000"]);
    expect(await page.getByRole("button", { name: "Redo" }).isDisabled()).toBe(true);
    await waitSaved(page);
    await page.reload();
    await page.getByTestId("canvas-node").first().waitFor();
    await selectStep(page, "http_2");
    expect([await name.inputValue(), await method.inputValue(), await timeout.inputValue()]).toEqual(["Renamed", "DELETE", "5000"]);

    // History (linked from the editor): version 1's diff names what the draft changed; restoring it makes the draft version 1 again.
    await page.getByRole("link", { name: "Version history" }).click();
    await page.waitForURL(`${baseUrl}/projects/${projectId}/flows/${flowId}#history`);
    const version1 = page.locator('[data-testid="flow-version-row"][data-version="1"]');
    await version1.getByTestId("version-diff-summary").filter({ hasText: "Draft differs: 1 step changed" }).click();
    const changed = version1.getByTestId("diff-changed");
    await changed.waitFor();
    expect((await changed.textContent())!.replace(/\s+/g, " ")).toContain("Renamed http_2: name, config: method, config: timeoutMs");
    await version1.getByRole("button", { name: "Restore version 1" }).click();
    await version1.getByRole("button", { name: "Confirm: replace the draft with version 1" }).click();
    await version1.getByText("The draft is the same as this version.").waitFor();
    await page.goto(editorUrl);
    await page.getByTestId("canvas-node").first().waitFor();
    await selectStep(page, "http_2");
    expect([await name.inputValue(), await method.inputValue(), await timeout.inputValue()]).toEqual(["Call no", "GET", "30000"]);

    // Duplicate copies the selection under a fresh id; undo removes the copy.
    await page.getByRole("button", { name: "Duplicate" }).click();
    await expect.poll(() => nodeIds(page)).toContain("http_3");
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => nodeIds(page)).not.toContain("http_3");
    await waitSaved(page);

    // Keyboard connect: the inspector's "Connect to…" menu; a refused edge (into the trigger) is not offered.
    await selectStep(page, "transform");
    const options = await inspector(page).getByLabel("Connect to…").locator("option").allTextContents();
    expect(options.some((o) => o.includes("webhook"))).toBe(false);
    await inspector(page).getByLabel("Connect to…").selectOption("http_2");
    await inspector(page).getByRole("button", { name: "Connect", exact: true }).click();
    expect(await outgoingOf(page, "transform")).toEqual(["→ Is positive", "→ Call no"]);
    await selectStep(page, "transform");
    await inspector(page).getByRole("button", { name: "Disconnect from Call no" }).click();
    expect(await outgoingOf(page, "transform")).toEqual(["→ Is positive"]);
    await waitSaved(page);

    // Someone saves from another tab: this tab's next save is a conflict that offers a reload.
    const other = await page.context().newPage();
    await other.goto(editorUrl);
    await other.getByTestId("canvas-node").first().waitFor();
    await selectStep(other, "transform");
    await inspector(other).getByLabel("Name", { exact: true }).fill("Shape it");
    await waitSaved(other);
    await selectStep(page, "webhook");
    await inspector(page).getByLabel("Name", { exact: true }).fill("Incoming");
    const conflict = page.getByTestId("save-error");
    await conflict.getByText("This flow was changed elsewhere").waitFor();
    await conflict.getByRole("button", { name: "Reload" }).click();
    await page.getByTestId("canvas-node").first().waitFor();
    await selectStep(page, "transform");
    expect(await inspector(page).getByLabel("Name", { exact: true }).inputValue()).toBe("Shape it");
    await other.close();

    // Multi-select (Ctrl+click), copy and paste: the copies keep the edge between them, under fresh ids; one undo removes both.
    await page.getByRole("button", { name: "fit view" }).click();
    await page.locator('[data-testid="canvas-node"][data-node-id="condition"]').click();
    await page.locator('[data-testid="canvas-node"][data-node-id="http"]').click({ modifiers: ["Control"] });
    await page.keyboard.press("Control+c");
    await page.keyboard.press("Control+v");
    await expect.poll(() => nodeIds(page)).toEqual(["condition", "condition_2", "http", "http_2", "http_3", "transform", "webhook"]);
    expect(await outgoingOf(page, "condition_2")).toEqual(["→ Call yes when true"]);
    await page.locator("#inspector-heading").focus();
    await page.keyboard.press("Control+z");
    await expect.poll(() => nodeIds(page)).toEqual(["condition", "http", "http_2", "transform", "webhook"]);
    await waitSaved(page);

    // axe: no serious or critical violations, with a step selected (inspector filled).
    expect(await axeViolations(page)).toEqual([]);

    // A viewer: same canvas, nothing to change.
    const viewerEmail = `editor-viewer-${stamp}@example.com`;
    const viewerPage = await signedInPage("Vic Viewer", viewerEmail);
    const token = await inviteOverHttp(owner, projectId, viewerEmail, "VIEWER");
    const viewer = await signInOverHttp(baseUrl, "198.51.100.161", viewerEmail, PASSWORD);
    await acceptInvitationOverHttp(viewer, token);
    await viewerPage.goto(`${baseUrl}/projects/${projectId}/flows/${flowId}`);
    await viewerPage.getByRole("link", { name: "Open in the editor (read only)" }).click();
    await viewerPage.waitForURL(editorUrl);
    await viewerPage.getByTestId("canvas-node").first().waitFor();
    await viewerPage.getByTestId("read-only-notice").waitFor();
    expect(await nodeIds(viewerPage)).toEqual(["condition", "http", "http_2", "transform", "webhook"]);
    expect(await viewerPage.getByTestId("palette").count()).toBe(0);
    expect(await viewerPage.getByRole("button", { name: "Publish" }).count()).toBe(0);
    expect(await viewerPage.getByRole("button", { name: "Undo" }).count()).toBe(0);
    await selectStep(viewerPage, "http_2");
    expect(await inspector(viewerPage).getByLabel("Name", { exact: true }).isDisabled()).toBe(true);
    expect(await inspector(viewerPage).getByLabel("URL").isDisabled()).toBe(true);
    expect(await inspector(viewerPage).getByRole("button", { name: "Delete step" }).count()).toBe(0);
    const node = viewerPage.locator('.react-flow__node[data-id="webhook"]');
    const before = await node.getAttribute("style");
    const box = (await node.boundingBox())!;
    await viewerPage.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await viewerPage.mouse.down();
    await viewerPage.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 90, { steps: 8 });
    await viewerPage.mouse.up();
    expect(await node.getAttribute("style")).toBe(before);
    await node.click();
    await viewerPage.keyboard.press("Delete");
    expect(await nodeIds(viewerPage)).toHaveLength(5);
    await viewerPage.reload();
    await viewerPage.getByTestId("canvas-node").first().waitFor();
    expect(await nodeIds(viewerPage)).toHaveLength(5);

    // Phone width: a notice and the steps as a list, no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(editorUrl);
    await page.getByTestId("editor-narrow").getByText("The editor needs a wider screen.").waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });
});
