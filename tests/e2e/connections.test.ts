// Connections in Chromium, on the app's own server (the shared one blocks loopback;
// this one allows 127.0.0.1 through OUTBOUND_ALLOW, as a self-hoster would for an
// internal API): an editor adds an API-key connection, sees only its masked hint,
// renames it without retyping the key, and the key still works with Test; a viewer
// sees name, type and status only; a phone-width screen does not scroll sideways.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { queryAppDatabase, type AppServer } from "../support/app-server";
import { createProjectThroughUi, setupBrowser, signedUpPage } from "./support/accounts";
import { setupCleanups, startOwnServer } from "./support/own-server";

const PASSWORD = "lantern orchard copper 47 tide";
const browser = setupBrowser();
const cleanups = setupCleanups();
let app: AppServer;
const seenKeys: (string | undefined)[] = [];

beforeAll(async () => {
  app = await startOwnServer(cleanups, "vaultflow-e2e-connections-", { OUTBOUND_ALLOW: "127.0.0.1/32", TRUST_PROXY: "true" });
});

const query = (sql: string, values: unknown[] = []) => queryAppDatabase(app.dataDir, sql, values);

/** A loopback API that accepts one key in X-API-Key. */
async function startApi(key: string): Promise<string> {
  const server = http.createServer((request, response) => {
    const sent = request.headers["x-api-key"];
    seenKeys.push(typeof sent === "string" ? sent : undefined);
    response.statusCode = sent === key ? 200 : 401;
    response.end(JSON.stringify({ you: sent }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.add(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
async function signUp(name: string, email: string, width = 1024): Promise<Page> {
  const page = await signedUpPage(browser(), app.url, { name, email, password: PASSWORD }, { viewport: { width, height: 800 } });
  cleanups.add(() => page.context().close());
  return page;
}

async function addMember(projectId: string, email: string, role: "EDITOR" | "VIEWER") {
  await query(`INSERT INTO memberships (id, "projectId", "userId", role) SELECT gen_random_uuid(), $1, id, $2 FROM users WHERE email = $3`, [
    projectId,
    role,
    email,
  ]);
}

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe("connections in Chromium", () => {
  it("an editor adds an API key, sees only its hint, edits without retyping it and tests it; a viewer sees name, type and status", async () => {
    const stamp = Date.now();
    const apiKey = `live_${randomBytes(16).toString("hex")}`;
    const last4 = apiKey.slice(-4);
    const apiUrl = await startApi(apiKey);

    const owner = await signUp("Olive Owner", `owner-${stamp}@example.com`);
    // The onboarding offers a first flow next; this test goes on from the project home.
    const projectUrl = await createProjectThroughUi(owner, app.url, "Integrations");
    const projectId = projectUrl.split("/").at(-1)!;

    const editorEmail = `editor-${stamp}@example.com`;
    const viewerEmail = `viewer-${stamp}@example.com`;
    const editor = await signUp("Eddie Editor", editorEmail, 390);
    const viewer = await signUp("Vera Viewer", viewerEmail, 390);
    await addMember(projectId, editorEmail, "EDITOR");
    await addMember(projectId, viewerEmail, "VIEWER");

    // The editor, on a phone-sized screen, finds Connections from the project page.
    await editor.goto(projectUrl);
    // At phone width the project's sections sit behind the Menu button.
    await editor.getByTestId("project-menu").locator("summary").click();
    await editor.getByRole("link", { name: "Connections", exact: true }).click();
    await editor.waitForURL(`${projectUrl}/connections`);
    await editor.getByText("A connection is how a flow signs in to another system", { exact: false }).waitFor();
    await editor.getByRole("link", { name: "Add connection" }).click();
    await editor.waitForURL(`${projectUrl}/connections/new`);

    // An inline error first, then the real connection.
    await editor.getByLabel("Name", { exact: true }).fill("Billing API");
    await editor.getByRole("button", { name: "Add connection" }).click();
    await editor.getByText("Enter the API key.").waitFor();
    await expect(editor.getByLabel("Header name").inputValue()).resolves.toBe("X-API-Key");
    await editor.getByLabel("API key", { exact: true }).fill(apiKey);
    await editor.getByLabel("Test URL (optional)").fill(`${apiUrl}/me`);
    expect(await horizontalOverflow(editor)).toBeLessThanOrEqual(0);
    await editor.getByRole("button", { name: "Add connection" }).click();
    await editor.waitForURL(`${projectUrl}/connections`);
    const row = editor.getByTestId("connection-row").filter({ hasText: "Billing API" });
    await expect(row.getByTestId("connection-hint").textContent()).resolves.toBe(`•••• ${last4}`);
    await expect(row.getByTestId("connection-status").textContent()).resolves.toBe("Not tested");
    await expect(row.getByTestId("connection-type").textContent()).resolves.toBe("API key");
    expect(await editor.content()).not.toContain(apiKey);
    expect(await horizontalOverflow(editor)).toBeLessThanOrEqual(0);

    // Edit the name only: the key field stays empty and the saved key is kept.
    await row.getByRole("link", { name: "Billing API" }).click();
    await editor.waitForURL(/\/connections\/[0-9a-f-]{36}$/);
    const connectionUrl = editor.url();
    const keyInput = editor.getByLabel("API key", { exact: true });
    await expect(keyInput.inputValue()).resolves.toBe("");
    await expect(keyInput.getAttribute("placeholder")).resolves.toBe("Leave empty to keep the saved value");
    await expect(editor.getByTestId("form-secret-hint").textContent()).resolves.toBe(`•••• ${last4}`);
    await editor.getByLabel("Name", { exact: true }).fill("Billing API v2");
    await editor.getByRole("button", { name: "Save changes" }).click();
    await editor.getByRole("status").filter({ hasText: "Saved." }).waitFor();

    await editor.getByRole("button", { name: "Test connection" }).click();
    await expect(editor.getByTestId("connection-test-result").textContent()).resolves.toBe("Connected: the service answered 200.");
    expect(seenKeys).toEqual([apiKey]);
    expect(await horizontalOverflow(editor)).toBeLessThanOrEqual(0);

    // Neither the rendered page nor its HTML as served carries the key.
    expect(await editor.content()).not.toContain(apiKey);
    const served = await editor.context().request.get(connectionUrl);
    expect(served.status()).toBe(200);
    const html = await served.text();
    expect(html).toContain("Billing API v2");
    expect(html).not.toContain(apiKey);

    const audit = await query(
      `SELECT action, outcome, details::text AS details FROM audit_events WHERE "projectId" = $1 AND action LIKE 'connection.%' ORDER BY id`,
      [projectId],
    );
    expect(audit.map((a) => `${a.action}:${a.outcome}`)).toEqual(["connection.created:success", "connection.updated:success", "connection.tested:success"]);
    expect(JSON.stringify(audit)).not.toContain(apiKey);

    // The viewer sees name, type and status, and nothing to change or open.
    await viewer.goto(`${projectUrl}/connections`);
    const viewerRow = viewer.getByTestId("connection-row").filter({ hasText: "Billing API v2" });
    await expect(viewerRow.getByTestId("connection-status").textContent()).resolves.toBe("Connected");
    await expect(viewerRow.getByTestId("connection-type").textContent()).resolves.toBe("API key");
    await expect(viewerRow.getByTestId("connection-hint").count()).resolves.toBe(0);
    await expect(viewerRow.getByRole("link").count()).resolves.toBe(0);
    await expect(viewer.getByRole("link", { name: "Add connection" }).count()).resolves.toBe(0);
    await expect(
      viewer
        .getByRole("button")
        .filter({ hasText: /Delete|Test|Save/ })
        .count(),
    ).resolves.toBe(0);
    const viewerHtml = await viewer.content();
    expect(viewerHtml).not.toContain(`•••• ${last4}`);
    // The test address (the project bar's ".../members" link also contains "/me").
    expect(viewerHtml).not.toContain(`${apiUrl}/me`);
    expect(viewerHtml).not.toContain(new URL(apiUrl).host);
    expect(await horizontalOverflow(viewer)).toBeLessThanOrEqual(0);
    expect((await viewer.goto(connectionUrl))?.status()).toBe(404);
    expect((await viewer.goto(`${projectUrl}/connections/new`))?.status()).toBe(404);

    // Delete, with a confirmation step.
    await editor.getByRole("button", { name: "Delete connection" }).click();
    await editor.getByRole("button", { name: "Yes, delete it" }).click();
    await editor.waitForURL(`${projectUrl}/connections`);
    await editor.getByTestId("connections-empty").waitFor();
    expect(await query("SELECT id FROM connections")).toEqual([]);
  });
});
