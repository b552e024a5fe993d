// Shared steps of the end-to-end tests: the browser's lifecycle for one file, and
// signing up through the real form.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser } from "./browser";

/** One headless Chromium for the calling test file; call the getter inside tests. */
export function setupBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("the browser is not started yet (use it inside a test or hook)");
    return browser;
  };
}

export type TSignUp = { name: string; email: string; password: string };

/** Fills and submits the sign-up form; the caller decides what to expect next. */
export async function submitSignUpForm(page: Page, baseUrl: string, user: TSignUp): Promise<void> {
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel("Name").fill(user.name);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();
}

/** Signs up (a new user lands on the onboarding), then opens the account page: the user is signed in afterwards. */
export async function signUpThroughUi(page: Page, baseUrl: string, user: TSignUp): Promise<void> {
  await submitSignUpForm(page, baseUrl, user);
  await page.waitForURL(`${baseUrl}/welcome`);
  await page.goto(`${baseUrl}/account`);
}
