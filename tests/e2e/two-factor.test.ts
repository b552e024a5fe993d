import { readFileSync } from "node:fs";
import { generate } from "otplib";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { setupBrowser, signUpThroughUi, submitSignInForm } from "./support/accounts";

const baseUrl = inject("baseUrl");
const browser = setupBrowser();

const PASSWORD = "quarry meteor saddle walnut 64";

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser().newContext({ viewport: { width: 1024, height: 800 } });
  return { context, page: await context.newPage() };
}

async function signUp(page: Page, email: string) {
  await signUpThroughUi(page, baseUrl, { name: "Katherine Johnson", email, password: PASSWORD });
}

/** Email and password; a 2FA account then shows the code step. */
const signInWithPassword = (page: Page, email: string) => submitSignInForm(page, baseUrl, email, PASSWORD);

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await page.waitForURL(/\/sign-in/);
}

async function hasSession(context: BrowserContext): Promise<boolean> {
  return (await context.cookies()).some((c) => c.name.endsWith("next-auth.session-token"));
}

describe("two-factor authentication in Chromium", () => {
  it("enable with the key shown, then sign in with a TOTP code, and with a recovery code only once", async () => {
    const { context, page } = await newPage();
    const email = `totp-${Date.now()}@example.com`;
    await signUp(page, email);
    await expect(page.getByTestId("two-factor-status").textContent()).resolves.toMatch(/is off/);

    // Turning two-factor on asks for the password again.
    await page.getByLabel("Password to confirm").fill("wrong password for this");
    await page.getByRole("button", { name: "Enable two-factor authentication" }).click();
    await page.getByText("The password is not correct.").waitFor();
    await page.getByLabel("Password to confirm").fill(PASSWORD);
    await page.getByRole("button", { name: "Enable two-factor authentication" }).click();
    const secret = (await page.getByTestId("totp-secret").textContent())!.replace(/\s/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const qr = page.getByRole("img", { name: "QR code for setting up your authenticator app" });
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml;base64,/);
    // The browser really rendered it (the CSP allows data: images).
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

    await page.getByLabel("Authentication code", { exact: true }).fill("000000");
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByText("That code does not match.", { exact: false }).waitFor();

    await page.getByLabel("Authentication code", { exact: true }).fill(await generate({ secret }));
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByTestId("recovery-codes").waitFor();
    const codes = (await page.getByTestId("recovery-codes").locator("li").allTextContents()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[0-9a-z]{5}-[0-9a-z]{5}$/);
    const download = page.getByRole("link", { name: "Download" });
    expect(await download.getAttribute("download")).toBe("vaultflow-recovery-codes.txt");
    const file = decodeURIComponent((await download.getAttribute("href"))!.replace(/^data:text\/plain;charset=utf-8,/, ""));
    for (const code of codes) expect(file).toContain(code);
    await page.getByRole("button", { name: "I saved them" }).click();
    await page.getByText("10 of 10 recovery codes left.").waitFor();
    // Shown once: a reload shows the status, not the codes.
    await page.reload();
    await page.getByText("10 of 10 recovery codes left.").waitFor();
    expect(await page.getByTestId("recovery-codes").count()).toBe(0);
    await signOut(page);

    // The password alone leads to the code step, with no session yet.
    await signInWithPassword(page, email);
    const codeField = page.getByLabel("Authentication code", { exact: true });
    await codeField.waitFor();
    expect(await codeField.getAttribute("inputmode")).toBe("numeric");
    expect(await codeField.getAttribute("autocomplete")).toBe("one-time-code");
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await hasSession(context)).toBe(false);
    // The code used to confirm is spent; the app's next one (inside the ±1 step window) is not.
    await codeField.fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await page.getByRole("button", { name: "Verify" }).click();
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.goto(`${baseUrl}/account`);
    expect(await hasSession(context)).toBe(true);
    await signOut(page);

    await signInWithPassword(page, email);
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel("Recovery code").fill(codes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.goto(`${baseUrl}/account`);
    await page.getByText("9 of 10 recovery codes left.").waitFor();
    await signOut(page);

    // The same recovery code a second time is refused.
    await signInWithPassword(page, email);
    await page.getByRole("button", { name: "Use a recovery code instead" }).click();
    await page.getByLabel("Recovery code").fill(codes[0]!);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByText("That code is not valid. Check it and try again.").waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await hasSession(context)).toBe(false);

    // Another one still works; then turning 2FA off needs a code and ends the session.
    await page.getByLabel("Recovery code").fill(codes[1]!);
    await page.getByRole("button", { name: "Verify" }).click();
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.goto(`${baseUrl}/account`);
    await page.getByRole("button", { name: "Turn off two-factor authentication" }).click();
    await page.getByText("Enter a code from your authenticator app or a recovery code.").waitFor();
    await page.getByLabel("Authentication or recovery code").fill(codes[2]!);
    await page.getByRole("button", { name: "Turn off two-factor authentication" }).click();
    await page.waitForURL(/\/sign-in/);
    await signInWithPassword(page, email);
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${baseUrl}/welcome`);
    await page.goto(`${baseUrl}/account`);
    await expect(page.getByTestId("two-factor-status").textContent()).resolves.toMatch(/is off/);
    await context.close();

    // Neither the secret nor a recovery code reached the server's logs.
    const logs = readFileSync(inject("serverLogFile"), "utf8");
    expect(logs).toContain(`"path":"/account"`);
    for (const value of [secret, ...codes]) expect(logs).not.toContain(value);
  });
});
