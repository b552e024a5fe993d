// Flow templates in Chromium: the create form offers Start blank and the templates as one
// radio group that the keyboard moves through, a search with an empty state, and a
// layout that fits a phone. Picking a template and creating the flow opens the editor
// with a notice listing the steps whose connection is still to choose; a step's button
// selects that step in the inspector.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { axeViolations, inspector, waitSaved } from "./support/editor-page";
import { createProjectOverHttp, signInOverHttp } from "./support/http-flows";

const baseUrl = inject("baseUrl");
const PASSWORD = "meadow copper signal 31 harbor";
const browser = setupBrowser();

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe("flow templates in Chromium", () => {
  it(
    "pick a template with the keyboard or a click, land in the editor, and select the steps that need a connection from the notice",
    { timeout: 180_000 },
    async () => {
      const stamp = randomUUID().slice(0, 8);
      const email = `templates-${stamp}@example.com`;
      const context = await browser().newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await signUpThroughUi(page, baseUrl, { name: "Tess Templates", email, password: PASSWORD });
      const owner = await signInOverHttp(baseUrl, "198.51.100.191", email, PASSWORD);
      const projectId = await createProjectOverHttp(owner, `Templates ${stamp}`);

      await page.goto(`${baseUrl}/projects/${projectId}/flows`);
      const gallery = page.getByTestId("template-gallery");
      await gallery.waitFor();
      expect(await gallery.getByTestId("template-card").count()).toBeGreaterThanOrEqual(9);
      const blank = page.getByRole("radio", { name: "Start blank" });
      expect(await blank.isChecked()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);

      // One radio group: an arrow key moves the choice to the first template, and its title becomes the name.
      await blank.focus();
      await page.keyboard.press("ArrowDown");
      const first = page.getByRole("radio", { name: "GitHub issue → Slack message" });
      expect(await first.isChecked()).toBe(true);
      expect(await page.getByLabel("Flow name").inputValue()).toBe("GitHub issue → Slack message");
      await page.getByTestId("template-chosen").filter({ hasText: "Starts from the template GitHub issue → Slack message." }).waitFor();

      // Search narrows the cards; a search that matches nothing says so and offers all again.
      await page.getByLabel("Search templates").fill("health endpoint");
      await expect
        .poll(() => gallery.getByTestId("template-card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-template-id"))))
        .toEqual(["blank", "health-check-alert"]);
      await page.getByLabel("Search templates").fill("zeppelin");
      await page.getByTestId("templates-empty").getByText("No template matches “zeppelin”.").waitFor();
      await page.getByRole("button", { name: "Show all templates" }).click();
      expect(await page.getByTestId("templates-empty").count()).toBe(0);

      // A phone-width screen: the cards stack, nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await page.setViewportSize({ width: 1280, height: 900 });

      // Pick by a click; the template's name replaces the one the last template filled in.
      await page.getByRole("radio", { name: "Daily report from an API → Slack", exact: true }).click();
      expect(await page.getByLabel("Flow name").inputValue()).toBe("Daily report from an API → Slack");
      await page.getByRole("button", { name: "Create flow and open the editor" }).click();
      await page.waitForURL(new RegExp(`/projects/${projectId}/flows/[0-9a-f-]{36}/edit\\?template=daily-report-slack$`));

      // The editor holds the template's steps; the notice lists the connection steps.
      await expect
        .poll(() => page.getByTestId("canvas-node").evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-node-id")).sort()))
        .toEqual(["fetch", "post", "schedule", "summary"]);
      const notice = page.getByTestId("template-notice");
      await notice.getByText("Created from the template “Daily report from an API → Slack”.").waitFor();
      expect(await notice.getByTestId("template-connection-step").allTextContents()).toEqual([
        "Read yesterday's figures (an HTTP connection holding the API's key, if it needs one)",
        "Post to Slack (a Slack connection)",
      ]);
      // The Slack step's missing connection is one of the draft's problems too; the optional one is not.
      await expect.poll(() => page.getByTestId("problem").allTextContents()).toEqual([expect.stringContaining("Choose a Slack connection of this project.")]);
      expect(await inspector(page).getByLabel("Selected step").inputValue()).toBe("");
      await notice.getByRole("button", { name: /^Read yesterday's figures/ }).click();
      await expect.poll(() => inspector(page).getByLabel("Selected step").inputValue()).toBe("fetch");
      await notice.getByRole("button", { name: /^Post to Slack/ }).click();
      await expect.poll(() => inspector(page).getByLabel("Selected step").inputValue()).toBe("post");
      // The inspector's heading has the focus, so the keyboard goes on into the step's settings.
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("inspector-heading");
      await waitSaved(page);

      // Dismiss drops the notice (and the address parameter) without reloading the editor.
      await notice.getByRole("button", { name: "Dismiss" }).click();
      expect(await page.getByTestId("template-notice").count()).toBe(0);
      expect(new URL(page.url()).search).toBe("");
      await context.close();
    },
  );
});
