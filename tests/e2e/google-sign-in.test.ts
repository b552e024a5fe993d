import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { queryAppDatabase, type AppServer } from "../support/app-server";
import { startOpenIdProvider } from "../support/openid-provider";
import { setupBrowser } from "./support/accounts";
import { setupCleanups, startOwnServer } from "./support/own-server";

const browser = setupBrowser();
const cleanups = setupCleanups();
let provider: Awaited<ReturnType<typeof startOpenIdProvider>>;
let app: AppServer;

beforeAll(async () => {
  provider = await startOpenIdProvider();
  cleanups.add(() => provider.stop());
  app = await startOwnServer(cleanups, "vaultflow-google-", {
    GOOGLE_CLIENT_ID: "vaultflow-test",
    GOOGLE_CLIENT_SECRET: "test-client-secret",
    GOOGLE_ISSUER: provider.issuer,
  });
});

const sql = (text: string, values: unknown[] = []) => queryAppDatabase(app.dataDir, text, values);

async function continueWithGoogle(page: Page) {
  await page.goto(`${app.url}/sign-in`);
  await page.getByRole("button", { name: "Continue with Google" }).click();
}

async function signUpWithPassword(page: Page, email: string, password: string) {
  await page.goto(`${app.url}/sign-up`);
  await page.getByLabel("Name").fill("Sam Squatter");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
  await page.waitForURL(`${app.url}/welcome`);
  await page.goto(`${app.url}/account`);
}

describe("Google sign-in through a local OpenID provider", () => {
  it("creates an account for a verified Google identity and lands on the account page", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    provider.setIdentity({ sub: "g-100", email: "lin@example.com", email_verified: true, name: "Lin Example" });
    await continueWithGoogle(page);
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${app.url}/welcome`);
    await page.goto(`${app.url}/account`);
    await expect(page.getByTestId("account-email").textContent()).resolves.toBe("lin@example.com");
    const [row] = await sql(`SELECT "passwordHash", "emailVerified" FROM users WHERE email = $1`, ["lin@example.com"]);
    expect(row).toMatchObject({ passwordHash: null });
    expect(row!.emailVerified).not.toBeNull();
    await context.close();
  });

  it("refuses an identity with email_verified: false and creates nothing", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    provider.setIdentity({ sub: "g-200", email: "unverified@example.com", email_verified: false, name: "Un Verified" });
    await continueWithGoogle(page);
    await page.waitForURL(/\/sign-in\?error=google-email-unverified/);
    await expect(page.getByTestId("sign-in-error").textContent()).resolves.toMatch(/did not confirm/);
    expect(await sql("SELECT id FROM users WHERE email = $1", ["unverified@example.com"])).toEqual([]);
    await context.close();
  });

  it("takes over an unverified password account and ends the password's sessions", async () => {
    const squatter = await browser().newContext();
    const squatterPage = await squatter.newPage();
    await signUpWithPassword(squatterPage, "owner@example.com", "pebble orchard tundra 63 lamp");

    const ownerContext = await browser().newContext();
    const ownerPage = await ownerContext.newPage();
    provider.setIdentity({ sub: "g-300", email: "owner@example.com", email_verified: true, name: "Real Owner" });
    await continueWithGoogle(ownerPage);
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await ownerPage.waitForURL(`${app.url}/welcome`);
    await ownerPage.goto(`${app.url}/account`);

    // The squatter's session is over and the password is gone.
    await squatterPage.goto(`${app.url}/account`);
    expect(new URL(squatterPage.url()).pathname).toBe("/sign-in");
    const [row] = await sql(`SELECT "passwordHash" FROM users WHERE email = $1`, ["owner@example.com"]);
    expect(row!.passwordHash).toBeNull();
    await squatter.close();
    await ownerContext.close();
  });

  it("does not link a verified password account automatically", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await signUpWithPassword(page, "careful@example.com", "harbor velvet cinder 27 moss");
    await sql(`UPDATE users SET "emailVerified" = now() WHERE email = $1`, ["careful@example.com"]);
    // Someone else, in a browser of their own (no cookie of the password session can
    // come back from a request still in flight in the first one).
    await context.close();
    const other = await browser().newContext();
    const otherPage = await other.newPage();

    provider.setIdentity({ sub: "g-400", email: "careful@example.com", email_verified: true, name: "Someone Else" });
    await continueWithGoogle(otherPage);
    await otherPage.waitForURL(/\/sign-in\?error=google-account-exists/);
    expect(await sql(`SELECT o.id FROM oauth_accounts o JOIN users u ON u.id = o."userId" WHERE u.email = $1`, ["careful@example.com"])).toEqual([]);
    await other.close();
  });

  it("links Google from the account page of a signed-in user, who can then sign in with it", async () => {
    const context = await browser().newContext();
    const page = await context.newPage();
    await signUpWithPassword(page, "linker@example.com", "quiver saddle mango 19 glade");
    provider.setIdentity({ sub: "g-500", email: "linker.personal@example.org", email_verified: true, name: "Linker" });

    // Unverified addresses cannot link (the account could be a squatter's).
    await page.getByLabel("Confirm your password").fill("quiver saddle mango 19 glade");
    await page.getByRole("button", { name: "Link Google account" }).click();
    await page.waitForURL(/\/account\?error=google-verify-email-first/);

    await sql(`UPDATE users SET "emailVerified" = now() WHERE email = $1`, ["linker@example.com"]);
    await page.goto(`${app.url}/account`);
    // A wrong password stops the link before Google is involved.
    await page.getByLabel("Confirm your password").fill("not my password at all");
    await page.getByRole("button", { name: "Link Google account" }).click();
    await page.getByText("The password is not correct.").waitFor();
    await page.getByLabel("Confirm your password").fill("quiver saddle mango 19 glade");
    await page.getByRole("button", { name: "Link Google account" }).click();
    // The flow starts and ends on /account: wait for its result, then for quiet.
    await page.getByTestId("google-linked").waitFor();
    await page.waitForLoadState("networkidle");
    await expect(page.getByTestId("google-linked").textContent()).resolves.toContain("linker.personal@example.org");

    await context.clearCookies();
    await continueWithGoogle(page);
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${app.url}/welcome`);
    await page.goto(`${app.url}/account`);
    await expect(page.getByTestId("account-email").textContent()).resolves.toBe("linker@example.com");
    await context.close();
  });
});
