// An OAuth connection's whole life in Chromium, against a real OAuth 2 server on
// loopback (oauth2-mock-server): connect, see "Connected"; force the access token's
// expiry and watch a refresh happen before use; revoke the refresh token and see
// "Needs reconnect" and the owners' mail; reconnect.
import type { OAuth2Server } from "oauth2-mock-server";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { queryAppDatabase, type AppServer } from "../support/app-server";
import { startOAuth2Server } from "../support/openid-provider";
import type { SmtpSink } from "../support/smtp-sink";
import { createProjectThroughUi, setupBrowser, signUpThroughUi } from "./support/accounts";
import { setupCleanups, startMailSink, startOwnServer } from "./support/own-server";

const browser = setupBrowser();
const cleanups = setupCleanups();
const CLIENT_SECRET = "ui-client-secret-4f1d2a9b8c7e6f50";
let app: AppServer;
let oauth: OAuth2Server;
let sink: SmtpSink;
const grants: string[] = [];
let refuseNextRefresh = false;

beforeAll(async () => {
  oauth = await startOAuth2Server();
  cleanups.add(() => oauth.stop());
  oauth.service.on("beforeResponse", (response, request) => {
    const grant = String((request as { body?: { grant_type?: string } }).body?.grant_type ?? "");
    if (!grant) return;
    grants.push(grant);
    if (grant === "refresh_token" && refuseNextRefresh) {
      refuseNextRefresh = false;
      response.statusCode = 400;
      response.body = { error: "invalid_grant", error_description: "Token has been revoked" };
    }
  });
  sink = await startMailSink(cleanups);
  app = await startOwnServer(cleanups, "vaultflow-e2e-oauth-ui-", { OUTBOUND_ALLOW: "127.0.0.1/32", TRUST_PROXY: "true", SMTP_URL: sink.url });
});

/** The embedded database, through the socket the app serves it on. */
async function sql(text: string, values: unknown[] = []): Promise<void> {
  await queryAppDatabase(app.dataDir, text, values);
}

async function testConnection(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Test connection" }).click();
  const result = page
    .getByRole("status")
    .or(page.getByRole("alert"))
    .filter({ hasText: /answered|reconnect|Connected|refused/i });
  await result.first().waitFor();
  return (await result.first().textContent()) ?? "";
}

describe("OAuth connection in Chromium", () => {
  it("connects, refreshes before use, asks to reconnect when revoked, and reconnects", async () => {
    const context = await browser().newContext({ extraHTTPHeaders: { "X-Forwarded-For": "198.51.100.120" } });
    const page = await context.newPage();
    const email = `oauth-ui-${Date.now()}@example.com`;
    await signUpThroughUi(page, app.url, { name: "Olive Auth", email, password: "velvet compass thunder ripple 58" });
    // The onboarding offers a first flow next; this test goes on from the project home.
    const projectUrl = await createProjectThroughUi(page, app.url, "Integrations");

    await page.goto(`${projectUrl}/connections/new`);
    await page.getByLabel("Name", { exact: true }).fill("Mock provider");
    await page.getByLabel("Type").selectOption("OAUTH2_CODE");
    await page.getByLabel("Provider").selectOption("generic");
    await page.getByLabel("Client ID").fill("vaultflow-ui");
    await page.getByLabel("Authorization URL").fill(`${oauth.issuer.url}/authorize`);
    await page.getByLabel("Token URL").fill(`${oauth.issuer.url}/token`);
    await page.getByLabel("Scopes").fill("openid profile");
    await page.getByLabel("Client secret").fill(CLIENT_SECRET);
    await page.getByLabel("Test URL (optional)").fill(`${oauth.issuer.url}/userinfo`);
    await page.getByRole("button", { name: "Add connection" }).click();
    await page.waitForURL(/\/connections\/[0-9a-f-]{36}$/);
    const connectionId = page.url().split("/").pop()!;
    await page.getByText("Not connected yet").first().waitFor();

    // Connect (a button posting a server action, never a link): the browser goes to the
    // provider and comes back through the fixed callback.
    await page.getByRole("button", { name: "Connect", exact: true }).click();
    await page.waitForURL(/connected=1/);
    await page.getByText("Connected", { exact: true }).first().waitFor();
    expect(grants).toEqual(["authorization_code"]);
    expect(await page.content()).not.toContain(CLIENT_SECRET);

    // The access token is about to expire: using the connection renews it first.
    await sql(`UPDATE connections SET "accessTokenExpiresAt" = now() + interval '1 minute' WHERE id = $1`, [connectionId]);
    expect(await testConnection(page)).toMatch(/200/);
    expect(grants).toEqual(["authorization_code", "refresh_token"]);

    // The provider revokes the refresh token: the connection asks to be reconnected.
    refuseNextRefresh = true;
    await sql(`UPDATE connections SET "accessTokenExpiresAt" = now() - interval '1 minute' WHERE id = $1`, [connectionId]);
    expect(await testConnection(page)).toMatch(/reconnect/i);
    await page.reload();
    await page.getByText("Needs reconnect").first().waitFor();
    const mail = await sink.waitForMail((m) => m.recipients.includes(email) && /reconnected/.test(m.subject));
    expect(mail.subject).toBe("A Vaultflow connection needs to be reconnected");
    expect(mail.raw).not.toContain(CLIENT_SECRET);

    // Reconnect signs in again and the connection works.
    await page.getByRole("button", { name: "Reconnect", exact: true }).click();
    await page.waitForURL(/connected=1/);
    await page.getByText("Connected", { exact: true }).first().waitFor();
    expect(grants.filter((g) => g === "authorization_code")).toHaveLength(2);
    expect(await testConnection(page)).toMatch(/200/);
    await context.close();
  });
});
