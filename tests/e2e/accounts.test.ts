import type { BrowserContext, Cookie, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { setupBrowser, submitSignInForm, submitSignUpForm } from "./support/accounts";

const baseUrl = inject("baseUrl");
const browser = setupBrowser();

const PASSWORD = "velvet compass thunder ripple 58";

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser().newContext({ viewport: { width: 1024, height: 800 } });
  return { context, page: await context.newPage() };
}

async function signUp(page: Page, email: string, password = PASSWORD) {
  await submitSignUpForm(page, baseUrl, { name: "Grace Hopper", email, password });
}

const signIn = (page: Page, email: string, password = PASSWORD) => submitSignInForm(page, baseUrl, email, password);

function sessionCookie(cookies: Cookie[]): Cookie {
  const found = cookies.find((c) => c.name.endsWith("next-auth.session-token"));
  if (!found) throw new Error(`no session cookie among ${cookies.map((c) => c.name).join(", ")}`);
  return found;
}

/** Calls the API with only the given cookie: a replay from another client. */
async function accountWith(cookie: Cookie): Promise<number> {
  const response = await fetch(`${baseUrl}/api/account`, { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
  return response.status;
}

describe("accounts in Chromium", () => {
  it("refuse a weak password inline, then sign up, land on the account page, sign out and in again", async () => {
    const { context, page } = await newPage();
    const email = `grace-${Date.now()}@example.com`;
    await signUp(page, email, "password1234");
    await expect(
      page
        .getByText(/too easy to guess/)
        .first()
        .textContent(),
    ).resolves.toBeTruthy();
    expect(page.url()).toBe(`${baseUrl}/sign-up`);

    await page.getByLabel("Password").fill(PASSWORD);
    await expect(page.getByTestId("password-strength").textContent()).resolves.toMatch(/Strong|Very strong/);
    await page.getByRole("button", { name: "Create account" }).click();
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.goto(`${baseUrl}/account`);
    await expect(page.getByTestId("account-email").textContent()).resolves.toBe(email);
    const cookie = sessionCookie(await context.cookies());
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe("Lax");

    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${baseUrl}/account`);
    await page.waitForURL(/\/sign-in\?callbackUrl=%2Faccount/);

    await signIn(page, email, "not the password at all");
    // (Next.js's route announcer is also role=alert, so the message is found by its text.)
    await page.getByText("Email or password is incorrect.").waitFor();
    await signIn(page, email);
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.goto(`${baseUrl}/account`);
    await context.close();
  });

  it("make a session cookie replayed after sign-out-everywhere get 401 and a redirect to sign-in", async () => {
    const { context, page } = await newPage();
    const email = `replay-${Date.now()}@example.com`;
    await signUp(page, email);
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.goto(`${baseUrl}/account`);
    const stolen = sessionCookie(await context.cookies());
    expect(await accountWith(stolen)).toBe(200);

    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.waitForURL(/\/sign-in/);
    expect(await accountWith(stolen)).toBe(401);

    // The same cookie in a fresh browser is sent to sign-in by the account page.
    const replay = await browser().newContext();
    await replay.addCookies([stolen]);
    const replayPage = await replay.newPage();
    await replayPage.goto(`${baseUrl}/account`);
    expect(new URL(replayPage.url()).pathname).toBe("/sign-in");
    await replay.close();
    await context.close();
  });

  it("end old sessions on a password change", async () => {
    const { context, page } = await newPage();
    const email = `change-${Date.now()}@example.com`;
    await signUp(page, email);
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.goto(`${baseUrl}/account`);
    const before = sessionCookie(await context.cookies());

    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill("saffron glacier piano 81 kite");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.waitForURL(/\/sign-in/);
    expect(await accountWith(before)).toBe(401);

    await signIn(page, email, "saffron glacier piano 81 kite");
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.goto(`${baseUrl}/account`);
    await context.close();
  });

  it("rename the user and delete the account after re-authentication", async () => {
    const { context, page } = await newPage();
    const email = `leaver-${Date.now()}@example.com`;
    await signUp(page, email);
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.goto(`${baseUrl}/account`);
    await page.getByLabel("Name").fill("Grace B. Hopper");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved.").waitFor();
    await page.reload();
    expect(await page.getByLabel("Name").inputValue()).toBe("Grace B. Hopper");

    await page.getByRole("button", { name: "Delete my account…" }).click();
    await page.getByLabel("Your email").fill(email);
    await page.getByLabel("Your password").fill("wrong password entirely");
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.getByText("The password is not correct.").waitFor();
    await page.getByLabel("Your password").fill(PASSWORD);
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.waitForURL(`${baseUrl}/?deleted=1`);

    await signIn(page, email);
    await page.getByText("Email or password is incorrect.").waitFor();
    await context.close();
  });

  it("answer anonymous API calls with 401", async () => {
    const response = await fetch(`${baseUrl}/api/account`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "UNAUTHENTICATED", message: "Sign in to continue." } });
  });
});
