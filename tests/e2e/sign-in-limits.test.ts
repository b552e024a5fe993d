import { describe, expect, inject, it } from "vitest";
import { setupBrowser, signUpThroughUi, submitSignInForm } from "./support/accounts";

const baseUrl = inject("baseUrl");
const PASSWORD = "walnut ember harbor 73 spruce";
// The shared server trusts X-Forwarded-For: this file's attempts come from their own address.
const CLIENT_IP = "198.51.100.77";
const browser = setupBrowser();

/** next-auth's credentials sign-in over plain HTTP, as a script or a bot would do it. */
async function attemptSignIn(email: string, password: string): Promise<Response> {
  const headers = { "X-Forwarded-For": CLIENT_IP };
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
}

describe("brute-force limits over HTTP", () => {
  it("answer the 11th failed sign-in for one email from one address with 429 and Retry-After", async () => {
    const context = await browser().newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.78" } });
    const page = await context.newPage();
    const email = `target-${Date.now()}@example.com`;
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await signUpThroughUi(page, baseUrl, { name: "Terry Target", email, password: PASSWORD });
    await context.close();

    for (let i = 1; i <= 10; i++) {
      const response = await attemptSignIn(email, `wrong password number ${i}`);
      expect(response.status).toBe(401);
      const { url } = (await response.json()) as { url: string };
      expect(new URL(url).searchParams.get("error")).toBe("Email or password is incorrect.");
    }
    const eleventh = await attemptSignIn(email, PASSWORD);
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers.get("retry-after"))).toBeGreaterThan(0);
    const { url } = (await eleventh.json()) as { url: string };
    expect(new URL(url).searchParams.get("error")).toMatch(/^Too many attempts\. Try again in \d+ (seconds|minutes)\.$/);

    // The owner, from their usual address, still signs in.
    const owner = await browser().newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.78" } });
    const ownerPage = await owner.newPage();
    await submitSignInForm(ownerPage, baseUrl, email, PASSWORD);
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await ownerPage.waitForURL(`${baseUrl}/welcome`);
    await ownerPage.goto(`${baseUrl}/account`);
    await owner.close();
  });
});
