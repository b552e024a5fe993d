import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { createProjectFromForm, setupBrowser, signedUpPage } from "./support/accounts";

const baseUrl = inject("baseUrl");
const PASSWORD = "marble falcon prairie 36 ink";
const browser = setupBrowser();

const signedInPage = (ip: string, email: string): Promise<Page> =>
  signedUpPage(browser(), baseUrl, { name: "Pat Projects", email, password: PASSWORD }, { extraHTTPHeaders: { "X-Forwarded-For": ip } });

describe("projects in Chromium", () => {
  it("start from an empty state, create, rename and delete a project; others get 404", async () => {
    const page = await signedInPage("198.51.100.90", `owner-${Date.now()}@example.com`);
    // With no project yet, Projects opens the onboarding.
    await page.getByRole("link", { name: "Projects" }).click();
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.getByRole("heading", { name: "Welcome to Vaultflow" }).waitFor();
    // The onboarding offers a first flow next; this test goes on from the project home.
    const projectUrl = await createProjectFromForm(page, "Invoices");
    await expect(page.getByTestId("project-name").textContent()).resolves.toBe("Invoices");
    await expect(page.getByTestId("project-role").textContent()).resolves.toBe("Owner");

    // Another signed-in user sees nothing of it.
    const outsider = await signedInPage("198.51.100.91", `outsider-${Date.now()}@example.com`);
    const response = await outsider.goto(projectUrl);
    expect(response?.status()).toBe(404);
    expect(await outsider.content()).not.toContain("Invoices");
    expect((await outsider.goto(`${projectUrl}/settings`))?.status()).toBe(404);
    expect((await outsider.goto(`${baseUrl}/projects/not-a-uuid`))?.status()).toBe(404);

    await page.getByRole("link", { name: "Settings", exact: true }).click();
    await page.getByLabel("Project name", { exact: true }).fill("Invoices and refunds");
    await page.getByRole("button", { name: "Rename" }).click();
    await page.getByText("Renamed.").waitFor();
    await page.getByLabel("Project name to confirm").fill("Invoices and refunds");
    await page.getByRole("button", { name: "Delete project" }).click();
    // The last project gone, the onboarding is back.
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.getByRole("heading", { name: "Welcome to Vaultflow" }).waitFor();
    expect((await page.goto(projectUrl))?.status()).toBe(404);
  });
});
