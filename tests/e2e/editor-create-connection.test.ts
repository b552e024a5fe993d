// "Create a connection" from the HTTP step's picker, in Chromium: a modal dialog with the
// connections page's form (focus in, Escape out, focus back), an API-key connection made
// inline and chosen as one undoable edit, still chosen after a reload, the key nowhere in
// the page; a viewer gets no button.
import { randomBytes, randomUUID } from "node:crypto";
import type { Locator, Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { axeViolations, inspector, selectStep, waitSaved } from "./support/editor-page";
import { acceptInvitationOverHttp, createFlowOverHttp, createProjectOverHttp, inviteOverHttp, saveDraftOverHttp, signInOverHttp } from "./support/http-flows";

const baseUrl = inject("baseUrl");
const PASSWORD = "juniper anchor marble 58 drift";
const browser = setupBrowser();

const picker = (page: Page) => inspector(page).getByLabel(/^Connection/);
const chosenText = (select: Locator) => select.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent ?? "");
const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);
const isOpen = (dialog: Locator) => dialog.evaluate((el: HTMLDialogElement) => el.open);

async function newPage(name: string, email: string): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signUpThroughUi(page, baseUrl, { name, email, password: PASSWORD });
  return page;
}

describe("create a connection from the editor", () => {
  it("an owner makes an API-key connection in the dialog and the HTTP step uses it; a viewer gets no button", async () => {
    const stamp = randomUUID().slice(0, 8);
    const apiKey = `sk_inline_${randomBytes(16).toString("hex")}`;
    const email = `inline-conn-${stamp}@example.com`;
    const page = await newPage("Ines Inline", email);
    const client = await signInOverHttp(baseUrl, "198.51.100.181", email, PASSWORD);
    const projectId = await createProjectOverHttp(client, `Inline ${stamp}`);
    const flowId = await createFlowOverHttp(client, projectId, "Calls an API");
    const http = {
      method: "GET",
      url: "https://api.example.com/me",
      query: [],
      headers: [],
      body: { kind: "none" },
      connectionId: null,
      timeoutMs: 30_000,
      maxResponseBytes: 10_485_760,
    };
    const operations = [
      { op: "add_node", node: { id: "http", type: "step.http", name: "Call", config: http, ui: { x: 250, y: 0 } } },
      { op: "connect", edge: { id: "e1", source: "trigger", target: "http" } },
    ];
    await saveDraftOverHttp(client, projectId, flowId, operations);
    const editorUrl = `${baseUrl}/projects/${projectId}/flows/${flowId}/edit`;

    await page.goto(editorUrl);
    await page.getByTestId("canvas-node").first().waitFor();
    await selectStep(page, "http");
    expect(await picker(page).inputValue()).toBe("");
    const openButton = inspector(page).getByRole("button", { name: "Create a connection" });
    const dialog = page.getByRole("dialog", { name: "Create a connection" });

    // A modal: focus moves into it, Escape closes it and focus returns to the button.
    await openButton.click();
    await dialog.waitFor();
    const nameInput = dialog.getByLabel("Name", { exact: true });
    await expect.poll(() => isFocused(nameInput)).toBe(true);
    // The inline form offers the types that need no provider sign-in; those link to the connections page.
    const typeOptions = await dialog.getByLabel("Type").evaluate((el: HTMLSelectElement) => [...el.options].map((o) => o.value));
    expect(typeOptions).toEqual(["API_KEY", "BEARER", "BASIC", "OAUTH2_CLIENT_CREDENTIALS"]);
    expect(await dialog.getByRole("link", { name: "connections page (opens in a new tab)" }).getAttribute("href")).toBe(
      `/projects/${projectId}/connections/new`,
    );
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await expect.poll(() => isOpen(page.getByTestId("create-connection-dialog"))).toBe(false);
    await expect.poll(() => isFocused(openButton)).toBe(true);

    // Open again (the keyboard this time): an inline error, then the real connection.
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await nameInput.fill("Billing API");
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await dialog.getByText("Enter the API key.").waitFor();
    expect(await dialog.getByLabel("Header name").inputValue()).toBe("X-API-Key");
    await dialog.getByLabel("API key", { exact: true }).fill(apiKey);
    await dialog.getByRole("button", { name: "Add connection" }).click();
    await expect.poll(() => isOpen(page.getByTestId("create-connection-dialog"))).toBe(false);
    await expect.poll(() => isFocused(openButton)).toBe(true);
    expect(page.url()).toBe(editorUrl);

    // Listed and chosen in the step, without a reload.
    await expect.poll(() => chosenText(picker(page))).toBe("Billing API (API key)");
    const connectionId = await picker(page).inputValue();
    expect(connectionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.content()).not.toContain(apiKey);

    // Choosing it was one edit: Undo clears the picker, Redo chooses it again.
    await page.getByRole("button", { name: "Undo" }).click();
    await expect.poll(() => picker(page).inputValue()).toBe("");
    await page.getByRole("button", { name: "Redo" }).click();
    await expect.poll(() => picker(page).inputValue()).toBe(connectionId);
    await waitSaved(page);

    // The saved draft uses it (the export names it, with no secret).
    const exported = await client.json(`/api/flows/${flowId}/export`);
    expect(exported.status).toBe(200);
    const file = exported.body as { document: { nodes: { id: string; config: Record<string, unknown> }[] }; connections: unknown[] };
    expect(file.document.nodes.find((n) => n.id === "http")?.config.connectionId).toBe(connectionId);
    expect(file.connections).toEqual([{ id: connectionId, name: "Billing API", type: "API_KEY" }]);
    expect(JSON.stringify(exported.body)).not.toContain(apiKey);

    // After a reload the step still uses it, and neither the page nor its served HTML holds the key.
    await page.reload();
    await page.getByTestId("canvas-node").first().waitFor();
    await selectStep(page, "http");
    expect(await picker(page).inputValue()).toBe(connectionId);
    expect(await chosenText(picker(page))).toBe("Billing API (API key)");
    expect(await page.content()).not.toContain(apiKey);
    const served = await page.context().request.get(editorUrl);
    expect(served.status()).toBe(200);
    const html = await served.text();
    expect(html).toContain("Billing API");
    expect(html).not.toContain(apiKey);

    // A viewer sees the choice but has no way to make a connection from here.
    const viewerEmail = `inline-viewer-${stamp}@example.com`;
    const viewerPage = await newPage("Vito Viewer", viewerEmail);
    const token = await inviteOverHttp(client, projectId, viewerEmail, "VIEWER");
    const viewer = await signInOverHttp(baseUrl, "198.51.100.182", viewerEmail, PASSWORD);
    await acceptInvitationOverHttp(viewer, token);
    await viewerPage.goto(editorUrl);
    await viewerPage.getByTestId("read-only-notice").waitFor();
    await selectStep(viewerPage, "http");
    expect(await chosenText(picker(viewerPage))).toBe("Billing API (API key)");
    expect(await inspector(viewerPage).getByRole("button", { name: "Create a connection" }).count()).toBe(0);
    expect(await viewerPage.getByTestId("create-connection-dialog").count()).toBe(0);
    expect(await viewerPage.content()).not.toContain(apiKey);

    await page.context().close();
    await viewerPage.context().close();
  });
});
