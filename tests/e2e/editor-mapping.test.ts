// Data mapping in the editor, in Chromium: a trigger's sample payload, a step test whose
// output becomes sample data, the reference picker driven by the keyboard into the HTTP
// step's URL at the caret (the picker below the field, inside the inspector), chips that
// flag a reference to a later step, axe with the picker open, a failed test reached through
// the "Go to step test" shortcut, and the webhook's answer described on both pages.
import { randomUUID } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import { COALESCE_WINDOW_MS } from "@/lib/editor/history";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { axeViolations, inspector, selectStep, waitSaved } from "./support/editor-page";
import { createFlowOverHttp, createProjectOverHttp, saveDraftOverHttp, signInOverHttp } from "./support/http-flows";

const baseUrl = inject("baseUrl");
const PASSWORD = "harbor violet compass 42 kettle";
const browser = setupBrowser();

describe("data mapping in the editor", () => {
  it("sample payload, step test, keyboard picker into the URL, flagged chips", async () => {
    const stamp = randomUUID().slice(0, 8);
    const email = `mapping-${stamp}@example.com`;
    const context = await browser().newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signUpThroughUi(page, baseUrl, { name: "Mara Mapper", email, password: PASSWORD });
    const client = await signInOverHttp(baseUrl, "198.51.100.171", email, PASSWORD);
    const projectId = await createProjectOverHttp(client, `Mapping ${stamp}`);
    const flowId = await createFlowOverHttp(client, projectId, "Mapped");
    const node = (id: string, type: string, name: string, config: Record<string, unknown>, x: number) => ({ id, type, name, config, ui: { x, y: 0 } });
    const operations = [
      { op: "remove_node", nodeId: "trigger" },
      { op: "add_node", node: node("webhook", "trigger.webhook", "Incoming", { respondMode: "respond_step", responseTimeoutMs: 10_000 }, 0) },
      { op: "add_node", node: node("transform", "step.transform", "Shape", { expression: '{ "n": trigger.body.count * 2, "label": "x" }' }, 250) },
      {
        op: "add_node",
        node: node(
          "http",
          "step.http",
          "Call",
          { method: "GET", url: "", query: [], headers: [], body: { kind: "none" }, connectionId: null, timeoutMs: 30_000, maxResponseBytes: 10_485_760 },
          500,
        ),
      },
      { op: "add_node", node: node("reply", "step.respond", "Reply", { status: 201, headers: [], body: '{"n": {{steps.transform.output.n}}}' }, 750) },
      { op: "connect", edge: { id: "e1", source: "webhook", target: "transform" } },
      { op: "connect", edge: { id: "e2", source: "transform", target: "http" } },
      { op: "connect", edge: { id: "e3", source: "transform", target: "reply" } },
    ];
    await saveDraftOverHttp(client, projectId, flowId, operations);

    await page.goto(`${baseUrl}/projects/${projectId}/flows/${flowId}/edit`);
    await page.getByTestId("canvas-node").first().waitFor();

    // The webhook trigger: its address panel, and a sample payload kept for mapping.
    await selectStep(page, "webhook");
    const webhookSection = inspector(page).getByTestId("inspector-webhook");
    await webhookSection.getByRole("button", { name: "Make the webhook address" }).click();
    const address = (await webhookSection.getByTestId("shown-once").textContent())!;
    expect(address).toMatch(/\/api\/webhooks\/[A-Za-z0-9_-]{20,}$/);
    // The hint follows without a page refresh (which would remount the editor and lose the address shown once).
    await webhookSection.getByText(`ending in …${address.slice(-4)}`).waitFor();
    expect(await webhookSection.getByTestId("shown-once").textContent()).toBe(address);
    expect(await inspector(page).getByLabel("Selected step").inputValue()).toBe("webhook");
    // The trigger waits for a Respond step: no promise of an immediate 202.
    const answerText = (await webhookSection.getByTestId("webhook-answer").textContent())!;
    expect(answerText).toContain("A call waits up to 10 seconds for the Respond step's answer");
    expect(answerText).toContain("202 with the run id and the flow goes on running");
    expect(answerText).not.toContain("at once");
    await inspector(page)
      .getByLabel("Test payload (JSON)")
      .fill(JSON.stringify({ method: "POST", headers: {}, query: {}, body: { count: 21 } }));
    await inspector(page).getByRole("button", { name: "Use as sample" }).click();
    await inspector(page).getByTestId("step-test-status").filter({ hasText: "Sample saved." }).waitFor();
    expect(await inspector(page).getByTestId("step-sample-source").textContent()).toMatch(/^From the test at /);

    // Test the transform: its output becomes its sample.
    await selectStep(page, "transform");
    await inspector(page).getByRole("button", { name: "Test step" }).click();
    await inspector(page)
      .getByTestId("step-test-status")
      .filter({ hasText: /Succeeded in \d+ ms\./ })
      .waitFor();
    expect(JSON.parse((await inspector(page).getByTestId("step-sample-output").textContent())!)).toEqual({ n: 42, label: "x" });

    // A Respond step's test: the sample is what a run outputs ({ status }); the answer is shown apart, under "Would answer".
    await selectStep(page, "reply");
    await inspector(page).getByRole("button", { name: "Test step" }).click();
    await inspector(page)
      .getByTestId("step-test-status")
      .filter({ hasText: /Succeeded in \d+ ms\./ })
      .waitFor();
    const answer = inspector(page).getByTestId("step-test-preview");
    await answer.getByRole("heading", { name: "Would answer" }).waitFor();
    expect(JSON.parse((await answer.getByTestId("step-test-preview-output").textContent())!)).toMatchObject({ status: 201, body: '{"n": 42}' });
    expect(JSON.parse((await inspector(page).getByTestId("step-sample-output").textContent())!)).toEqual({ status: 201 });

    // The HTTP step's URL: type, move the caret, insert through the picker with the keyboard.
    await selectStep(page, "http");
    const url = inspector(page).getByLabel("URL");
    await url.fill("https://example.com/items/?page=1");
    await url.evaluate((input: HTMLInputElement) => input.setSelectionRange(26, 26));
    const insertButton = inspector(page).getByTestId("insert-reference-url");
    await insertButton.click();
    const picker = page.getByTestId("reference-picker");
    const search = picker.getByRole("combobox", { name: "Search fields" });
    await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await picker.getByRole("option").count()).toBeGreaterThan(3);
    // Below the URL (never over it), and no wider than the inspector.
    const [urlBox, pickerBox, inspectorBox] = await Promise.all([url.boundingBox(), picker.boundingBox(), inspector(page).boundingBox()]);
    expect(pickerBox!.y).toBeGreaterThanOrEqual(urlBox!.y + urlBox!.height);
    expect(pickerBox!.x).toBeGreaterThanOrEqual(inspectorBox!.x);
    expect(pickerBox!.x + pickerBox!.width).toBeLessThanOrEqual(inspectorBox!.x + inspectorBox!.width + 0.5);
    expect(await picker.getByRole("option").first().locator("span").first().getAttribute("title")).toBeNull();
    expect(await picker.locator('[data-reference="{{trigger.body.count}}"] span').first().getAttribute("title")).toBe("body.count");
    expect(await axeViolations(page)).toEqual([]);
    // Escape closes and gives focus back to the button.
    await page.keyboard.press("Escape");
    await expect.poll(() => picker.count()).toBe(0);
    await expect.poll(() => insertButton.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    await search.fill("output.n");
    const options = await picker.getByRole("option").evaluateAll((els) => els.map((el) => el.getAttribute("data-reference")));
    expect(options).toEqual(["{{steps.transform.output.n}}"]);
    await page.keyboard.press("Enter");
    await expect.poll(() => url.inputValue()).toBe("https://example.com/items/{{steps.transform.output.n}}?page=1");
    await expect.poll(() => url.evaluate((el: HTMLInputElement) => [el === document.activeElement, el.selectionStart])).toEqual([true, 54]);
    await expect
      .poll(() =>
        inspector(page)
          .getByTestId("reference-chip")
          .evaluateAll((els) => els.map((el) => el.getAttribute("data-status"))),
      )
      .toEqual(["ok"]);
    // Arrow keys move through several matches (the active one named by aria-activedescendant), stopping at the ends.
    // Waiting out the undo window first makes this insert an undo step of its own.
    await page.waitForTimeout(COALESCE_WINDOW_MS + 300);
    await insertButton.click();
    await search.fill("body");
    const bodyOptions = picker.getByRole("option");
    expect(await bodyOptions.evaluateAll((els) => els.map((el) => el.getAttribute("data-reference")))).toEqual(["{{trigger.body}}", "{{trigger.body.count}}"]);
    const optionIds = await bodyOptions.evaluateAll((els) => els.map((el) => el.id));
    const active = () => search.getAttribute("aria-activedescendant");
    expect(await active()).toBe(optionIds[0]);
    await page.keyboard.press("ArrowDown");
    expect(await active()).toBe(optionIds[1]);
    expect(await bodyOptions.nth(1).getAttribute("aria-selected")).toBe("true");
    await page.keyboard.press("ArrowDown");
    expect(await active()).toBe(optionIds[1]);
    await page.keyboard.press("ArrowUp");
    expect(await active()).toBe(optionIds[0]);
    await page.keyboard.press("ArrowDown");
    expect(await active()).toBe(optionIds[1]);
    // The list's state is announced: collapsed when nothing matches.
    expect(await search.getAttribute("aria-expanded")).toBe("true");
    await search.fill("body zzz");
    expect(await search.getAttribute("aria-expanded")).toBe("false");
    await search.fill("body");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    const withBoth = "https://example.com/items/{{steps.transform.output.n}}{{trigger.body.count}}?page=1";
    await expect.poll(() => url.inputValue()).toBe(withBoth);
    await expect.poll(() => url.evaluate((el: HTMLInputElement) => [el === document.activeElement, el.selectionStart])).toEqual([true, 76]);

    // The remembered caret belongs to the text it was in: after an Undo (the field not focused) a reference goes at the end.
    await url.evaluate((input: HTMLInputElement) => input.setSelectionRange(8, 8));
    await page.getByRole("button", { name: "Undo" }).click();
    const undone = "https://example.com/items/{{steps.transform.output.n}}?page=1";
    await expect.poll(() => url.inputValue()).toBe(undone);
    await insertButton.click();
    await search.fill("output.n");
    await page.keyboard.press("Enter");
    await expect.poll(() => url.inputValue()).toBe(`${undone}{{steps.transform.output.n}}`);
    await expect.poll(() => url.evaluate((el: HTMLInputElement) => el.selectionStart)).toBe(undone.length + "{{steps.transform.output.n}}".length);

    // An unclosed {{ is flagged: it would be sent as text, so the run check refuses it too.
    await url.fill("https://example.com/{{trigger.body");
    await expect
      .poll(() =>
        inspector(page)
          .getByTestId("reference-chip")
          .evaluateAll((els) => els.map((el) => el.getAttribute("data-status"))),
      )
      .toEqual(["unclosed"]);
    expect(await inspector(page).getByTestId("reference-chip").textContent()).toContain("Not closed");

    // A reference to a step that is not before this one is flagged, with the reason in words.
    await url.fill("https://example.com/{{steps.http.output.x}}/{{steps.nope.output}}");
    const chips = inspector(page).getByTestId("reference-chip");
    await expect.poll(() => chips.evaluateAll((els) => els.map((el) => el.getAttribute("data-status")))).toEqual(["not_upstream", "unknown_step"]);
    expect(await chips.nth(0).textContent()).toContain("A step cannot read its own output.");
    expect(await chips.nth(1).textContent()).toContain('There is no step "nope" in this flow.');
    await waitSaved(page);

    // A failed test: reached from the top of the form, the error a sentence, and no "test the step" hint against it.
    await url.fill("http://169.254.169.254/latest");
    await waitSaved(page);
    await inspector(page).getByRole("button", { name: "Go to step test" }).click();
    const testButton = inspector(page).getByRole("button", { name: "Test step" });
    await expect.poll(() => testButton.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await testButton.evaluate((el) => el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
    await page.keyboard.press("Enter");
    const failure = inspector(page).getByTestId("step-test-error");
    await failure.waitFor();
    const failureText = (await failure.textContent())!.trim();
    expect(failureText).toMatch(/^⚠ Failed( after \d+ ms)?: .*blocked.*[^.]\.$/);
    expect(await inspector(page).getByTestId("step-no-sample").textContent()).toBe(
      "The last test failed, so there is no sample yet. Fix the problem above and test again.",
    );

    // A transform expression gets JSONata paths, not {{...}}.
    await selectStep(page, "transform");
    await inspector(page).getByTestId("insert-reference-expression").click();
    await search.fill("count");
    expect(await picker.getByRole("option").evaluateAll((els) => els.map((el) => el.getAttribute("data-reference")))).toEqual(["trigger.body.count"]);
    await page.keyboard.press("Enter");
    // Never focused, so at the end of the expression.
    await expect
      .poll(() => inspector(page).getByLabel("Expression (JSONata)").inputValue())
      .toBe('{ "n": trigger.body.count * 2, "label": "x" }trigger.body.count');
    await waitSaved(page);

    // The flow page: the same answer from the draft's trigger, and "Open editor" a button beside the title.
    await page.goto(`${baseUrl}/projects/${projectId}/flows/${flowId}`);
    expect(await page.getByTestId("webhook-answer").textContent()).toContain("A call waits up to 10 seconds for the Respond step's answer");
    const openEditor = page.getByRole("link", { name: "Open editor" });
    const [titleBox, openBox] = await Promise.all([page.getByTestId("flow-name").boundingBox(), openEditor.boundingBox()]);
    expect(openBox!.y).toBeLessThan(titleBox!.y + titleBox!.height);
    expect(openBox!.y + openBox!.height).toBeGreaterThan(titleBox!.y);
    expect(await openEditor.evaluate((el) => getComputedStyle(el).textDecorationLine)).toBe("none");
    await openEditor.click();
    await page.getByTestId("canvas-node").first().waitFor();
    await context.close();
  });
});
