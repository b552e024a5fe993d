// Shared steps of the end-to-end tests: the browser's lifecycle for one file, signing
// up and in through the real forms, and creating a project through the real form.
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
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

/** A page of a new browser context (`options`: its viewport, its client address), signed up and on the account page. */
export async function signedUpPage(browser: Browser, baseUrl: string, user: TSignUp, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await signUpThroughUi(page, baseUrl, user);
  return page;
}

/** Fills and submits the sign-in form (`query` such as "?callbackUrl=…"); the caller decides what to expect next. */
export async function submitSignInForm(page: Page, baseUrl: string, email: string, password: string, query = ""): Promise<void> {
  await page.goto(`${baseUrl}/sign-in${query}`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in and waits until the page has left the sign-in form. */
export async function signInThroughUi(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await submitSignInForm(page, baseUrl, email, password);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/**
 * Creates a project with the form the page shows (the onboarding's or the Projects
 * page's), skips the first flow the onboarding offers next, and returns the project
 * home's URL.
 */
export async function createProjectFromForm(page: Page, name: string): Promise<string> {
  await page.getByLabel("Project name").fill(name);
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("link", { name: "Skip for now" }).click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  return page.url();
}

/** Opens Projects and creates a project there; returns the project home's URL. */
export async function createProjectThroughUi(page: Page, baseUrl: string, name: string): Promise<string> {
  await page.goto(`${baseUrl}/projects`);
  return createProjectFromForm(page, name);
}
