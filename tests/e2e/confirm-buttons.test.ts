// Steps that cannot be undone ask twice, in Chromium: a new user's onboarding makes a
// project and a blank first flow; "Delete flow" opens a question that "Keep it" closes
// again and whose confirm button deletes the flow and leaves for the flow list; an API
// key's "Revoke" asks the same way and its confirm button revokes the key.
import { describe, expect, inject, it } from "vitest";
import { setupBrowser, submitSignUpForm } from "./support/accounts";

const baseUrl = inject("baseUrl");
const PASSWORD = "harbor violet compass 62 dune";
const browser = setupBrowser();

describe("confirm steps in Chromium", () => {
  it("delete flow and revoke API key ask once more, dismiss puts the first button back, confirm does the step", async () => {
    const stamp = Date.now();
    const context = await browser().newContext();
    try {
      const page = await context.newPage();
      await submitSignUpForm(page, baseUrl, { name: "Casey Confirm", email: `confirm-${stamp}@example.test`, password: PASSWORD });
      await page.waitForURL(`${baseUrl}/welcome`);

      // Onboarding: the project, then a blank first flow, which opens the editor.
      await page.getByLabel("Project name").fill(`Confirm ${stamp}`);
      await page.getByRole("button", { name: "Create project" }).click();
      await page.getByLabel("Flow name", { exact: true }).fill("Doomed flow");
      await page.getByRole("radio", { name: /^Blank/ }).check();
      await page.getByRole("button", { name: "Create flow and open the editor" }).click();
      await page.waitForURL(/\/projects\/[0-9a-f-]{36}\/flows\/[0-9a-f-]{36}\/edit$/);
      const [, projectId, flowId] = /\/projects\/([0-9a-f-]{36})\/flows\/([0-9a-f-]{36})\/edit$/.exec(page.url()) ?? [];

      // Delete flow: the question, dismissed, then asked again and confirmed.
      await page.goto(`${baseUrl}/projects/${projectId}/flows/${flowId}?tab=settings`);
      await page.getByRole("button", { name: "Delete flow" }).click();
      await page.getByRole("button", { name: "Keep it" }).click();
      expect(await page.getByRole("button", { name: 'Confirm: delete "Doomed flow" and its runs' }).count()).toBe(0);
      await page.getByRole("button", { name: "Delete flow" }).click();
      await page.getByRole("button", { name: 'Confirm: delete "Doomed flow" and its runs' }).click();
      await page.waitForURL(`${baseUrl}/projects/${projectId}/flows`);
      expect((await page.goto(`${baseUrl}/projects/${projectId}/flows/${flowId}`))?.status()).toBe(404);

      // Revoke an API key: the same two steps.
      await page.goto(`${baseUrl}/projects/${projectId}/api-keys`);
      const form = page.getByRole("form", { name: "Create an API key" });
      await form.getByLabel("Name", { exact: true }).fill("CI key");
      await form.getByRole("button", { name: "Create key" }).click();
      const row = page.getByTestId("api-key-row").filter({ hasText: "CI key" });
      await expect(row.getByTestId("api-key-status").textContent()).resolves.toBe("Active");
      await row.getByRole("button", { name: "Revoke CI key" }).click();
      await row.getByRole("button", { name: "Cancel" }).click();
      await row.getByRole("button", { name: "Revoke CI key" }).click();
      await row.getByRole("button", { name: "Confirm: revoke “CI key” now" }).click();
      await row.getByTestId("api-key-status").filter({ hasText: "Revoked" }).waitFor();
      expect(await row.getByRole("button", { name: "Revoke CI key" }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
