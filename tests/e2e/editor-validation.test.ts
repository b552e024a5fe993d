// The editor does not pass a broken flow, in Chromium: an unfinished JSONata
// expression shows under the field and in the Problems list with the parser's position,
// Publish is off and says why, and the server refuses the draft too; fixed, it
// publishes. The trigger's type changes in place (paths and trigger.* readers kept),
// from the inspector and from the palette, and one Undo brings the old trigger back. A
// reference picked into a JSON body goes in the form that gives JSON.
import os from "node:os";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { inspector, selectStep, waitSaved } from "./support/editor-page";
import { callAction, createFlowOverHttp, createProjectOverHttp, signInOverHttp } from "./support/http-flows";

const baseUrl = inject("baseUrl");
const PASSWORD = "harbor violet compass 42 kettle";
const SHOTS = process.env.VAULTFLOW_E2E_SHOTS ?? path.join(os.tmpdir(), "vaultflow-e2e-shots");
const browser = setupBrowser();

const nodeIds = (page: Page) => page.getByTestId("canvas-node").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-node-id")).sort());
const edgeCount = (page: Page) => page.locator(".react-flow__edge").count();
const problemTexts = (page: Page) => page.getByTestId("problem").allTextContents();

describe("editor validation in Chromium", () => {
  it("shows an unfinished expression inline and in Problems, refuses to publish it, publishes it fixed; the trigger changes in place and back with Undo", async () => {
    const stamp = randomUUID().slice(0, 8);
    const email = `validation-${stamp}@example.com`;
    const context = await browser().newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signUpThroughUi(page, baseUrl, { name: "Vera Validator", email, password: PASSWORD });
    const owner = await signInOverHttp(baseUrl, "198.51.100.171", email, PASSWORD);
    const projectId = await createProjectOverHttp(owner, `Validation ${stamp}`);
    const flowId = await createFlowOverHttp(owner, projectId, "Shape orders");

    await page.goto(`${baseUrl}/projects/${projectId}/flows/${flowId}/edit`);
    await page.getByTestId("canvas-node").first().waitFor();
    // A transform after the manual trigger.
    await page.locator('[data-testid="canvas-node"][data-node-id="trigger"]').click();
    await page.getByRole("button", { name: "Add Transform" }).click();
    await expect.poll(() => nodeIds(page)).toEqual(["transform", "trigger"]);

    // The unfinished expression: under the field, in Problems, on the canvas badge; Publish off with the reason.
    const expression = inspector(page).getByLabel("Expression (JSONata)");
    await expression.fill('{ "a": trigger.x,');
    const inline = inspector(page).getByTestId("field-error").filter({ hasText: 'Expected ":" before end of expression, at character 17.' });
    await inline.waitFor();
    expect(await expression.getAttribute("aria-invalid")).toBe("true");
    expect(await expression.getAttribute("aria-describedby")).toBe(await inline.getAttribute("id"));
    await expect
      .poll(() => problemTexts(page))
      .toEqual([
        'Transform "Transform", Expression: Expected ":" before end of expression, at character 17. Fix the expression there; Test step shows what it gives.',
      ]);
    expect(await page.getByTestId("no-problems").count()).toBe(0);
    await expect.poll(() => page.locator('[data-node-id="transform"] [data-testid="canvas-node-problems"]').textContent()).toMatch(/^1/);
    const publish = page.getByRole("button", { name: "Publish", exact: true });
    expect(await publish.isDisabled()).toBe(true);
    const reason = page.getByTestId("publish-blocked-reason");
    expect((await reason.textContent())!).toContain("Publish is off until the draft has no problems: fix the 1 problem listed under Problems");
    expect((await reason.textContent())!).toContain('Expected ":" before end of expression, at character 17.');
    await waitSaved(page);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, "editor-validation-inline.png") });

    // The server refuses the saved draft too (as a script or a second tab would publish it), storing nothing.
    const refused = await callAction(owner, "app/projects/[projectId]/flows/actions.ts#publishFlowAction", { flowId, note: "" }, { projectId, flowId });
    expect(refused.result.ok).toBe(false);
    if (refused.result.ok) return;
    expect(refused.result.error.code).toBe("BAD_INPUT");
    expect(refused.result.error.message).toContain('Transform "Transform", Expression: Expected ":" before end of expression, at character 17.');

    // Fixed: no problems, Publish works.
    await expression.fill('{ "a": trigger.x }');
    await page.getByTestId("no-problems").waitFor();
    expect(await inspector(page).getByTestId("field-error").count()).toBe(0);
    await waitSaved(page);
    expect(await publish.isDisabled()).toBe(false);
    await publish.click();
    await page.getByText("Published version 1.").waitFor();

    // The trigger's type changes in place from the inspector: same place, same path, the transform still reads trigger.x.
    // Where the step sits on the canvas (a message bar above the canvas may move the whole canvas down).
    const at = async (id: string) => {
      const [box, canvas] = await Promise.all([
        page.locator(`[data-testid="canvas-node"][data-node-id="${id}"]`).boundingBox(),
        page.getByTestId("canvas").boundingBox(),
      ]);
      return box && canvas && { x: Math.round(box.x - canvas.x), y: Math.round(box.y - canvas.y) };
    };
    const before = await at("trigger");
    await selectStep(page, "trigger");
    await inspector(page).getByTestId("trigger-type").selectOption("trigger.webhook");
    await expect.poll(() => nodeIds(page)).toEqual(["transform", "webhook"]);
    expect(await edgeCount(page)).toBe(1);
    expect(await at("webhook")).toEqual(before);
    expect(await inspector(page).getByLabel("Selected step").inputValue()).toBe("webhook");
    await page.getByTestId("no-problems").waitFor();
    expect(await page.getByTestId("editor-notice").count()).toBe(0);

    // One Undo brings the manual trigger back, connected as before; the server holds it.
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => nodeIds(page)).toEqual(["transform", "trigger"]);
    expect(await edgeCount(page)).toBe(1);
    await waitSaved(page);

    // From the palette, another trigger type replaces it too (no "remove it first").
    await page.getByRole("button", { name: "Add Schedule trigger" }).click();
    await expect.poll(() => nodeIds(page)).toEqual(["schedule", "transform"]);
    expect(await edgeCount(page)).toBe(1);
    await page.getByTestId("editor-message").filter({ hasText: "Undo puts the previous trigger back." }).waitFor();
    await page.getByTestId("no-problems").waitFor();
    await waitSaved(page);
    await page.reload();
    await page.getByTestId("canvas-node").first().waitFor();
    expect(await nodeIds(page)).toEqual(["schedule", "transform"]);
    expect(await edgeCount(page)).toBe(1);

    // A reference picked between empty quotes of a JSON body goes in without them: an output is an object.
    await selectStep(page, "transform");
    await page.getByRole("button", { name: "Add HTTP request" }).click();
    await expect.poll(() => nodeIds(page)).toEqual(["http", "schedule", "transform"]);
    await inspector(page).getByLabel("URL").fill("https://example.com/orders");
    await inspector(page).getByLabel("Body", { exact: true }).selectOption("json");
    const body = inspector(page).getByLabel("JSON body");
    await body.fill('{"data": ""}');
    await body.press("End");
    await body.press("ArrowLeft");
    await body.press("ArrowLeft");
    await inspector(page).getByTestId("insert-reference-body.json").click();
    await page.getByTestId("reference-picker").locator('[data-testid="reference-option"][data-reference="{{steps.transform.output}}"]').click();
    await expect.poll(() => body.inputValue()).toBe('{"data": {{steps.transform.output}}}');
    await page.getByTestId("no-problems").waitFor();
    await waitSaved(page);
    await context.close();
  }, 180_000);
});
