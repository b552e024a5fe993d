// Expression fields in Chromium: a JSONata expression and a URL template, highlighted,
// still edited as plain text; completions from the trigger's sample chosen with the
// keyboard (arrows, Enter, Tab, Escape, aria-activedescendant); a live preview computed in
// a Web Worker under the app's CSP (the result, a syntax error with its position); hostile
// expressions (endless recursion, catastrophic backtracking, a huge range) end as "took too
// long" or an error while the page stays responsive; and a viewer's editor, visibly read
// only: disabled fields, no palette, no drag, no delete/undo/paste from the keyboard.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { axeViolations, inspector, selectStep, waitSaved } from "./support/editor-page";
import { acceptInvitationOverHttp, createFlowOverHttp, createProjectOverHttp, inviteOverHttp, saveDraftOverHttp, signInOverHttp } from "./support/http-flows";

const baseUrl = inject("baseUrl");
const PASSWORD = "quartz ember lagoon 73 thistle";
const browser = setupBrowser();

const nodeIds = (page: Page) => page.getByTestId("canvas-node").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-node-id")).sort());
const completions = (page: Page) => page.getByTestId("expression-completions");
const completionLabels = (page: Page) =>
  completions(page)
    .getByRole("option")
    .evaluateAll((els) => els.map((el) => el.getAttribute("data-completion")));
const isFocused = (page: Page, testId: string) => page.getByTestId(testId).evaluate((el) => el === document.activeElement);
const preview = (page: Page) => inspector(page).getByTestId("expression-preview");

describe("expression fields in the editor", () => {
  it("highlighting, completions from the sample, a preview off the page's thread, hostile expressions, and a read-only viewer", async () => {
    const stamp = randomUUID().slice(0, 8);
    const email = `expressions-${stamp}@example.com`;
    const context = await browser().newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error" && /Content Security Policy|worker/i.test(message.text())) pageErrors.push(message.text());
    });
    await signUpThroughUi(page, baseUrl, { name: "Ezra Expressions", email, password: PASSWORD });
    const owner = await signInOverHttp(baseUrl, "198.51.100.181", email, PASSWORD);
    const projectId = await createProjectOverHttp(owner, `Expressions ${stamp}`);
    const flowId = await createFlowOverHttp(owner, projectId, "Expressive");
    const node = (id: string, type: string, name: string, config: Record<string, unknown>, x: number) => ({ id, type, name, config, ui: { x, y: 0 } });
    const operations = [
      { op: "remove_node", nodeId: "trigger" },
      { op: "add_node", node: node("hook", "trigger.webhook", "Incoming", { respondMode: "immediately", responseTimeoutMs: 10_000 }, 0) },
      { op: "add_node", node: node("shape", "step.transform", "Shape", { expression: "trigger.body.count" }, 300) },
      {
        op: "add_node",
        node: node(
          "call",
          "step.http",
          "Call",
          { method: "GET", url: "", query: [], headers: [], body: { kind: "none" }, connectionId: null, timeoutMs: 30_000, maxResponseBytes: 10_485_760 },
          600,
        ),
      },
      { op: "connect", edge: { id: "e1", source: "hook", target: "shape" } },
      { op: "connect", edge: { id: "e2", source: "shape", target: "call" } },
    ];
    await saveDraftOverHttp(owner, projectId, flowId, operations);
    const editorUrl = `${baseUrl}/projects/${projectId}/flows/${flowId}/edit`;
    await page.goto(editorUrl);
    await page.getByTestId("canvas-node").first().waitFor();

    // The trigger's sample: what completions and previews read.
    await selectStep(page, "hook");
    await inspector(page)
      .getByLabel("Test payload (JSON)")
      .fill(JSON.stringify({ method: "POST", headers: {}, query: {}, body: { count: 21, "first name": "Ada", items: [{ id: "a1" }] } }));
    await inspector(page).getByRole("button", { name: "Use as sample" }).click();
    await inspector(page).getByTestId("step-test-status").filter({ hasText: "Sample saved." }).waitFor();

    // The transform's expression: previewed against the sample at once.
    await selectStep(page, "shape");
    const expression = inspector(page).getByLabel("Expression (JSONata)");
    const highlight = inspector(page).getByTestId("expression-expression-highlight");
    await expect
      .poll(
        () =>
          preview(page)
            .getByTestId("expression-preview-result")
            .textContent()
            .catch(() => null),
        { timeout: 10_000 },
      )
      .toBe("21");
    // Highlighted: the copy behind the field holds the same text, its root marked.
    await expect.poll(() => highlight.textContent()).toBe("trigger.body.count\n");
    expect(await highlight.locator('[data-token="root"]').textContent()).toBe("trigger");

    // Completions: typed with the keyboard, chosen with the keyboard.
    await expression.fill("");
    await expression.pressSequentially("trigger.");
    await completions(page).waitFor();
    await expect.poll(() => completionLabels(page)).toEqual(["method", "headers", "query", "body"]);
    expect(await expression.getAttribute("aria-autocomplete")).toBe("list");
    const optionIds = await completions(page)
      .getByRole("option")
      .evaluateAll((els) => els.map((el) => el.id));
    expect(await expression.getAttribute("aria-activedescendant")).toBe(optionIds[0]);
    expect(await expression.getAttribute("aria-controls")).toBe(await completions(page).getAttribute("id"));
    await page.keyboard.press("ArrowDown");
    expect(await expression.getAttribute("aria-activedescendant")).toBe(optionIds[1]);
    expect(await completions(page).getByRole("option").nth(1).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    expect(await expression.getAttribute("aria-activedescendant")).toBe(optionIds[3]);
    await page.keyboard.press("Enter");
    await expect.poll(() => expression.inputValue()).toBe("trigger.body");
    expect(await completions(page).count()).toBe(0);
    expect(await isFocused(page, "expression-expression")).toBe(true);
    await page.keyboard.type(".fi");
    await expect.poll(() => completionLabels(page)).toEqual(["first name"]);
    await page.keyboard.press("Tab");
    await expect.poll(() => expression.inputValue()).toBe("trigger.body.`first name`");
    expect(await isFocused(page, "expression-expression")).toBe(true);
    // Escape closes the list and nothing else; the text stays as typed.
    await page.keyboard.type(" & trigger.");
    await completions(page).waitFor();
    await page.keyboard.press("Escape");
    expect(await completions(page).count()).toBe(0);
    expect(await expression.inputValue()).toBe("trigger.body.`first name` & trigger.");
    expect(await isFocused(page, "expression-expression")).toBe(true);
    await page.keyboard.press("Control+Space");
    await completions(page).waitFor();
    await page.keyboard.press("Escape");

    // Still a plain text field: select, replace, delete, as in any field.
    await page.keyboard.press("Control+A");
    await page.keyboard.type('{ "n": trigger.body.count * 2 }');
    await page.keyboard.press("Escape");
    await page.keyboard.press("End");
    await page.keyboard.press("Backspace");
    await page.keyboard.press("Backspace");
    await page.keyboard.type(" }");
    expect(await expression.inputValue()).toBe('{ "n": trigger.body.count * 2 }');
    await expect.poll(() => highlight.textContent()).toBe('{ "n": trigger.body.count * 2 }\n');
    await expect
      .poll(() =>
        preview(page)
          .getByTestId("expression-preview-result")
          .textContent()
          .catch(() => null),
      )
      .toBe(JSON.stringify({ n: 42 }, null, 2));
    await waitSaved(page);
    expect(await axeViolations(page)).toEqual([]);

    // A syntax error: the parser's message and position, marked in the field.
    await expression.fill("trigger.body.count +");
    const error = preview(page).getByTestId("expression-preview-error");
    await expect.poll(() => error.textContent().catch(() => null)).toMatch(/^Syntax error at character 20: /);

    // Hostile expressions: each ends in words, and the page answers meanwhile.
    const stillResponsive = async () => {
      const started = Date.now();
      await inspector(page).getByTestId("insert-reference-expression").click({ timeout: 1000 });
      await page.getByTestId("reference-picker").waitFor({ timeout: 1000 });
      await page.keyboard.press("Escape");
      return Date.now() - started;
    };
    await expression.fill("( $f := function($x){ $f($x) }; $f(1) )");
    await page.waitForTimeout(400);
    expect(await stillResponsive()).toBeLessThan(1000);
    await expect.poll(() => error.textContent().catch(() => null), { timeout: 8000 }).toContain("took too long");
    // One step that never returns (catastrophic backtracking): the page ends the worker.
    await expression.fill('$match("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", /(a+)+$/)');
    await page.waitForTimeout(400);
    expect(await stillResponsive()).toBeLessThan(1000);
    await expect.poll(() => error.textContent().catch(() => null), { timeout: 8000 }).toContain("took too long");
    await expression.fill("[1..100000000]");
    await expect.poll(() => error.textContent().catch(() => null), { timeout: 8000 }).toBeTruthy();
    // A fresh worker answers the next preview.
    await expression.fill("trigger.body.items.id");
    await expect
      .poll(
        () =>
          preview(page)
            .getByTestId("expression-preview-result")
            .textContent()
            .catch(() => null),
        { timeout: 8000 },
      )
      .toBe('"a1"');

    // A URL template: completions inside {{ }}, a preview of the text the run would send.
    await selectStep(page, "call");
    const url = inspector(page).getByLabel("URL");
    await url.click();
    await page.keyboard.type("https://api.test/n/{{");
    await expect.poll(() => completionLabels(page)).toEqual(["trigger", "steps"]);
    await page.keyboard.press("Enter");
    await page.keyboard.type(".bo");
    await page.keyboard.press("Enter");
    await page.keyboard.type(".");
    await expect.poll(() => completionLabels(page)).toEqual(["count", "first name", "items"]);
    await page.keyboard.press("Enter");
    await page.keyboard.type("}}");
    // Enter never makes a one-line field two lines.
    await page.keyboard.press("Enter");
    expect(await url.inputValue()).toBe("https://api.test/n/{{trigger.body.count}}");
    await expect
      .poll(() =>
        preview(page)
          .getByTestId("expression-preview-result")
          .textContent()
          .catch(() => null),
      )
      .toBe('"https://api.test/n/21"');
    // A name/value row's value: the same field, its own preview.
    await inspector(page).getByRole("button", { name: "Add to query parameters" }).click();
    const value1 = inspector(page).getByLabel("Value 1");
    await value1.click();
    await page.keyboard.type("{{trigger.body.c");
    await expect.poll(() => completionLabels(page)).toEqual(["count"]);
    await page.keyboard.press("Enter");
    await page.keyboard.type("}}");
    expect(await value1.inputValue()).toBe("{{trigger.body.count}}");
    await expect
      .poll(() =>
        preview(page)
          .nth(1)
          .getByTestId("expression-preview-result")
          .textContent()
          .catch(() => null),
      )
      .toBe("21");
    await waitSaved(page);
    expect(pageErrors).toEqual([]);

    // A viewer: the same editor, visibly read only.
    const viewerEmail = `expressions-viewer-${stamp}@example.com`;
    const viewerContext = await browser().newContext({ viewport: { width: 1440, height: 900 } });
    const viewerPage = await viewerContext.newPage();
    await signUpThroughUi(viewerPage, baseUrl, { name: "Vera Viewer", email: viewerEmail, password: PASSWORD });
    const token = await inviteOverHttp(owner, projectId, viewerEmail, "VIEWER");
    const viewer = await signInOverHttp(baseUrl, "198.51.100.182", viewerEmail, PASSWORD);
    await acceptInvitationOverHttp(viewer, token);
    const draftBefore = await (await viewerPage.request.get(`${baseUrl}/api/flows/${flowId}/export`)).text();
    await viewerPage.goto(editorUrl);
    await viewerPage.getByTestId("canvas-node").first().waitFor();
    expect(await viewerPage.getByTestId("read-only-notice").textContent()).toBe("You can view this flow; only owners and editors can change it.");
    expect(await viewerPage.getByTestId("palette").count()).toBe(0);
    await selectStep(viewerPage, "shape");
    const viewerExpression = inspector(viewerPage).getByLabel("Expression (JSONata)");
    expect(await viewerExpression.isDisabled()).toBe(true);
    expect(await inspector(viewerPage).getByLabel("Name", { exact: true }).isDisabled()).toBe(true);
    expect(await inspector(viewerPage).getByTestId("insert-reference-expression").isDisabled()).toBe(true);
    // The field is highlighted and previewed for viewers too; nothing opens in it.
    await expect.poll(() => inspector(viewerPage).getByTestId("expression-expression-highlight").textContent()).toBe("trigger.body.items.id\n");
    await selectStep(viewerPage, "call");
    expect(await inspector(viewerPage).getByLabel("URL").isDisabled()).toBe(true);
    expect(
      await inspector(viewerPage)
        .getByRole("button", { name: /^Add to / })
        .first()
        .isDisabled(),
    ).toBe(true);
    // No drag: the step stays where it was.
    const shapeNode = viewerPage.locator('.react-flow__node[data-id="shape"]');
    const before = await shapeNode.getAttribute("style");
    const box = (await shapeNode.boundingBox())!;
    await viewerPage.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await viewerPage.mouse.down();
    await viewerPage.mouse.move(box.x + box.width / 2 + 160, box.y + box.height / 2 + 100, { steps: 8 });
    await viewerPage.mouse.up();
    expect(await shapeNode.getAttribute("style")).toBe(before);
    // No delete, undo or paste from the keyboard.
    await shapeNode.click();
    await viewerPage.keyboard.press("Control+C");
    for (const key of ["Delete", "Backspace", "Control+V", "Control+D", "Control+Z", "Control+Shift+Z"]) await viewerPage.keyboard.press(key);
    expect(await nodeIds(viewerPage)).toEqual(["call", "hook", "shape"]);
    await viewerPage.waitForTimeout(1500);
    expect(await (await viewerPage.request.get(`${baseUrl}/api/flows/${flowId}/export`)).text()).toBe(draftBefore);
    expect(await axeViolations(viewerPage)).toEqual([]);
    await viewerContext.close();
    await context.close();
  });
});
