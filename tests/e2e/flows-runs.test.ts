// Flows and runs in Chromium: an editor creates a flow, imports it from JSON, publishes
// and runs it, and watches the run page turn from in progress to Succeeded without a
// reload; the timeline shows the branch taken and the one skipped, the step records
// show the data but never the password; a loop in an import is refused by the server
// and leaves the draft as it was; a stranger gets 404 for the run; a phone-width
// screen never scrolls sideways.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { HttpClient } from "./support/http-client";

const baseUrl = inject("baseUrl");
const PASSWORD = "quartz meadow lantern 58 fig";
const SECRET = "correct-horse-battery-staple";
const browser = setupBrowser();

const node = (id: string, type: string, name: string, config: Record<string, unknown>) => ({ id, type, name, config, ui: { x: 0, y: 0 } });
const edge = (source: string, target: string, label?: "true" | "false") => ({ id: `${source}-${target}`, source, target, ...(label ? { label } : {}) });

/**
 * trigger → shape → pause (3 s) → check: doubled > 10 → big (true) / small (false).
 * The short delay keeps the run in progress long enough to watch it finish live.
 */
const branchingFlow = {
  schemaVersion: 1,
  nodes: [
    node("trigger", "trigger.manual", "Start", {}),
    node("shape", "step.transform", "Shape", { expression: '{ "doubled": trigger.n * 2, "password": trigger.password }' }),
    node("pause", "step.delay", "Pause", { mode: "duration", amount: 3, unit: "seconds" }),
    node("check", "step.condition", "Big enough", { mode: "compare", left: "{{steps.shape.output.doubled}}", operator: "greater_than", right: "10" }),
    node("big", "step.transform", "Big", { expression: '"big"' }),
    node("small", "step.transform", "Small", { expression: '"small"' }),
  ],
  edges: [edge("trigger", "shape"), edge("shape", "pause"), edge("pause", "check"), edge("check", "big", "true"), edge("check", "small", "false")],
};

/** trigger → first → second → first: a loop. */
const loopingFlow = {
  schemaVersion: 1,
  nodes: [
    node("trigger", "trigger.manual", "Start", {}),
    node("first", "step.transform", "First", { expression: "1" }),
    node("second", "step.transform", "Second", { expression: "2" }),
  ],
  edges: [edge("trigger", "first"), edge("first", "second"), edge("second", "first")],
};

const flowFile = (document: unknown) => JSON.stringify({ vaultflow: "flow", version: 1, name: "Doubler", description: "", document });

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function signedInPage(email: string): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 1024, height: 900 } });
  const page = await context.newPage();
  await signUpThroughUi(page, baseUrl, { name: "Fran Flows", email, password: PASSWORD });
  return page;
}

const stepIds = (page: Page) => page.getByTestId("flow-step").evaluateAll((items) => items.map((item) => item.getAttribute("data-node-id")));

describe("flows and runs in Chromium", () => {
  it("import, publish, run and watch a run finish live; secrets stay out; loops are refused; strangers get 404", async () => {
    const stamp = Date.now();
    const editor = await signedInPage(`flows-editor-${stamp}@example.com`);

    await editor.goto(`${baseUrl}/projects`);
    await editor.getByLabel("Project name").fill("Automations");
    await editor.getByRole("button", { name: "Create project" }).click();
    // The onboarding offers a first flow next; this test goes on from the project home.
    await editor.getByRole("link", { name: "Skip for now" }).click();
    await editor.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
    const projectUrl = editor.url();

    // From the dashboard to an empty list of flows that says what a flow is.
    await editor.getByRole("link", { name: "Flows", exact: true }).click();
    await editor.waitForURL(`${projectUrl}/flows`);
    await editor.getByTestId("flows-empty").getByText("A flow is a trigger").waitFor();
    await editor.getByLabel("Flow name").fill("Doubler");
    await editor.getByRole("button", { name: "Create flow" }).click();
    await editor.waitForURL(/\/flows\/[0-9a-f-]{36}$/);
    const flowUrl = editor.url();
    expect(await stepIds(editor)).toEqual(["trigger"]);
    expect(await editor.getByRole("button", { name: "Run now" }).isDisabled()).toBe(true);

    // Import the branching flow (in the Settings tab): six steps, no problems (in Overview).
    await editor.getByRole("tab", { name: "Settings" }).click();
    await editor.getByLabel("Flow JSON").fill(flowFile(branchingFlow));
    await editor.getByRole("button", { name: "Import JSON" }).click();
    await editor.getByText("Imported 6 steps.").waitFor();
    await editor.getByRole("tab", { name: "Overview" }).click();
    await editor.getByTestId("flow-no-problems").waitFor();
    await expect.poll(() => stepIds(editor)).toEqual(["trigger", "shape", "pause", "check", "big", "small"]);
    await editor.getByTestId("flow-step").filter({ hasText: "Big enough" }).getByText("If {{steps.shape.output.doubled}} > 10").waitFor();

    // A loop is the server's to refuse; its message shows and the draft stays as it was.
    await editor.getByRole("tab", { name: "Settings" }).click();
    await editor.getByLabel("Flow JSON").fill(flowFile(loopingFlow));
    await editor.getByRole("button", { name: "Import JSON" }).click();
    await editor.getByRole("alert").filter({ hasText: "This connection would make a loop; flows run forward only." }).waitFor();
    await editor.reload();
    expect(await stepIds(editor)).toEqual(["trigger", "shape", "pause", "check", "big", "small"]);
    await editor.getByRole("tab", { name: "Overview" }).click();
    await editor.getByTestId("flow-no-problems").waitFor();

    // Publish, then run with a payload that carries a password.
    await editor.getByLabel("Version note (optional)").fill("First cut");
    await editor.getByRole("button", { name: "Publish" }).click();
    await editor.getByText("Published version 1.").waitFor();
    await editor.getByTestId("flow-version").getByText("Version 1 is live.").waitFor();
    await editor.getByLabel("Payload (JSON)").fill(JSON.stringify({ n: 21, password: SECRET }));
    await editor.getByRole("button", { name: "Run now" }).click();
    await editor.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
    const runUrl = editor.url();
    const runId = runUrl.split("/").at(-1)!;

    // In progress when the page opens (the flow waits 3 s); Succeeded later, same document.
    const status = editor.getByTestId("run-status");
    expect(await status.textContent()).toMatch(/^(Queued|Running|Waiting until .+)$/);
    await editor.getByTestId("run-progress").waitFor();
    await editor.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await status.filter({ hasText: /^Succeeded$/ }).waitFor({ timeout: 20_000 });
    expect(await editor.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    expect(await editor.getByTestId("run-progress").count()).toBe(0);

    // The timeline: the true branch ran, the false branch was skipped.
    const timelineStatus = (id: string) => editor.locator(`[data-testid="timeline-step"][data-node-id="${id}"]`).getAttribute("data-status");
    expect(await Promise.all(["shape", "pause", "check", "big", "small"].map(timelineStatus))).toEqual([
      "succeeded",
      "succeeded",
      "succeeded",
      "succeeded",
      "skipped",
    ]);
    await editor.locator('[data-testid="timeline-step"][data-node-id="small"]').getByText("Skipped").waitFor();
    await editor
      .locator('[data-testid="timeline-step"][data-node-id="check"]')
      .getByText(/Succeeded · true/)
      .waitFor();

    // The step's scrubbed output: the number, and [redacted] where the password was.
    const shape = editor.locator('[data-testid="step-record"][data-node-id="shape"]');
    await shape.locator("summary").click();
    const output = await shape.getByLabel("Output of Shape").textContent();
    expect(output).toContain('"doubled": 42');
    expect(output).toContain('"password": "[redacted]"');
    await editor.getByTestId("run-payload").locator("summary").click();
    expect(await editor.getByLabel("Trigger payload").textContent()).toContain('"password": "[redacted]"');
    expect(await editor.content()).not.toContain(SECRET);
    const api = await editor.request.get(`${baseUrl}/api/runs/${runId}`);
    expect(api.status()).toBe(200);
    const apiText = await api.text();
    expect(apiText).toContain("[redacted]");
    expect(apiText).not.toContain(SECRET);
    expect((JSON.parse(apiText) as { status: string }).status).toBe("SUCCEEDED");

    // A fresh load of the finished run shows the same, and the list has it.
    await editor.reload();
    expect(await editor.getByTestId("run-status").textContent()).toBe("Succeeded");
    expect(await editor.content()).not.toContain(SECRET);
    await editor.goto(`${projectUrl}/runs`);
    const row = editor.getByTestId("run-row").filter({ hasText: "Doubler" });
    await expect(row.getByTestId("run-status").textContent()).resolves.toBe("Succeeded");
    expect(await editor.content()).not.toContain(SECRET);

    // Phone width: no sideways scrolling on the run, the runs list or the flow.
    await editor.setViewportSize({ width: 390, height: 844 });
    for (const url of [runUrl, `${projectUrl}/runs`, flowUrl]) {
      await editor.goto(url);
      expect(await horizontalOverflow(editor), url).toBeLessThanOrEqual(0);
    }

    // Someone signed in but not a member: 404 from the API and the page, nothing shown.
    const outsiderEmail = `flows-outsider-${stamp}@example.com`;
    const outsiderPage = await signedInPage(outsiderEmail);
    const outsider = new HttpClient(baseUrl, "198.51.100.140");
    await outsider.signIn(outsiderEmail, PASSWORD);
    const foreign = await outsider.json(`/api/runs/${runId}`);
    expect(foreign.status).toBe(404);
    expect(JSON.stringify(foreign.body)).not.toContain("Doubler");
    const foreignPage = await outsider.fetch(new URL(runUrl).pathname);
    expect(foreignPage.status).toBe(404);
    expect(await foreignPage.text()).not.toContain("Doubler");
    expect((await outsiderPage.goto(runUrl))?.status()).toBe(404);
    expect((await outsider.json(`/api/projects/${projectUrl.split("/").at(-1)}/runs`)).status).toBe(404);
    expect((await new HttpClient(baseUrl, "198.51.100.141").json(`/api/runs/${runId}`)).status).toBe(401);

    // The server log never saw the password either.
    expect(readFileSync(inject("serverLogFile"), "utf8")).not.toContain(SECRET);
  });
});
