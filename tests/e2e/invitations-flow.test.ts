// Invitations as people meet them, in headless Chromium with a real SMTP server on
// loopback: the owner's role menu starts from the default for each invitation, a
// re-invite with another role asks first, and the invited person opens the link signed
// out, creates an account with the address filled in, confirms it, and comes back to
// accept. Then the attacker's side: a hostile callbackUrl never leaves the site.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "../support/app-server";
import { findLink, type SmtpSink, type TReceivedMail } from "../support/smtp-sink";
import { createProjectThroughUi, setupBrowser, submitSignInForm, submitSignUpForm } from "./support/accounts";
import { mailEnv, setupCleanups, startMailSink, startOwnServer } from "./support/own-server";

const PASSWORD = "lantern orchard copper 47 tide";
const browser = setupBrowser();
const cleanups = setupCleanups();
let sink: SmtpSink;
let app: AppServer;

beforeAll(async () => {
  sink = await startMailSink(cleanups);
  app = await startOwnServer(cleanups, "vaultflow-e2e-invitations-", mailEnv(sink));
});

const to = (email: string, subject: RegExp) => (mail: TReceivedMail) => mail.recipients.includes(email) && subject.test(mail.subject);

async function newPage(): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 1024, height: 800 } });
  cleanups.add(() => context.close());
  return context.newPage();
}

async function fillSignUp(page: Page, name: string, email: string | null) {
  await page.getByLabel("Name").fill(name);
  if (email !== null) await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
}

describe("invitations in Chromium", () => {
  it("the owner invites twice (menu resets, a role change asks first); the invitee signs up from the link and accepts", async () => {
    const stamp = Date.now();
    const ownerEmail = `olive-${stamp}@example.com`;
    const samEmail = `sam-${stamp}@example.com`;

    const owner = await newPage();
    await submitSignUpForm(owner, app.url, { name: "Olive Owner", email: ownerEmail, password: PASSWORD });
    await owner.waitForURL(`${app.url}/welcome`);
    const projectUrl = await createProjectThroughUi(owner, app.url, "Shared ops");
    await owner.goto(`${projectUrl}/members`);

    // Owners cannot invite themselves.
    await owner.getByLabel("Email address").fill(ownerEmail);
    await owner.getByRole("button", { name: "Send invitation", exact: true }).click();
    await owner.getByText(`${ownerEmail} is already a member of this project.`).waitFor();

    // First invitation: Viewer. Afterwards the form is back to its defaults.
    const role = owner.getByLabel("Role", { exact: true });
    await owner.getByLabel("Email address").fill(samEmail);
    await role.selectOption("VIEWER");
    await owner.getByRole("button", { name: "Send invitation", exact: true }).click();
    await owner.getByText(`Invitation emailed to ${samEmail}.`, { exact: false }).waitFor();
    await expect(role.inputValue()).resolves.toBe("EDITOR");
    await expect(owner.getByLabel("Email address").inputValue()).resolves.toBe("");
    const firstMail = await sink.waitForMail(to(samEmail, /invited/), 15_000);
    const firstToken = findLink(firstMail.text, "/invitations/accept").searchParams.get("token");

    // Second invitation to the same address as Editor: a question, and nothing changed yet.
    await owner.getByLabel("Email address").fill(samEmail);
    await owner.getByRole("button", { name: "Send invitation", exact: true }).click();
    const question = owner.getByRole("alertdialog");
    await expect(question.textContent()).resolves.toContain(`${samEmail} already has a pending invitation as Viewer. Change it to Editor and send it again?`);
    await owner.reload();
    await expect(owner.getByTestId("invitation-row").filter({ hasText: samEmail }).textContent()).resolves.toContain("Viewer");
    await owner.getByLabel("Email address").fill(samEmail);
    await owner.getByRole("button", { name: "Send invitation", exact: true }).click();
    await owner.getByRole("button", { name: "Change role and send again" }).click();
    await owner.getByText(`Invitation emailed to ${samEmail}.`, { exact: false }).waitFor();
    await expect.poll(() => owner.getByTestId("invitation-row").filter({ hasText: samEmail }).textContent()).toContain("Editor");

    // The new mail names the inviter and the new role; the old link is dead.
    const mail = await sink.waitForMail((m) => to(samEmail, /invited/)(m) && !m.text.includes(firstToken!), 15_000);
    expect(mail.text).toContain(`Olive Owner (${ownerEmail}) invited you to join the Vaultflow project "Shared ops" as editor.`);
    const link = findLink(mail.text, "/invitations/accept");

    // Sam opens the link signed out and creates an account from there.
    const sam = await newPage();
    await sam.goto(link.toString());
    await sam.getByRole("main").getByRole("link", { name: "Create an account" }).click();
    await sam.waitForURL(/\/sign-up\?callbackUrl=/);
    await expect(sam.getByLabel("Email").inputValue()).resolves.toBe(samEmail);
    await fillSignUp(sam, "Sam Invitee", null);
    await sam.waitForURL(`${app.url}/invitations/accept?token=${link.searchParams.get("token")}`);
    // Mail is configured: the address must be confirmed first, and the way back is offered.
    await sam.getByText("Verify your email address first").waitFor();
    const verifyMail = await sink.waitForMail(to(samEmail, /Confirm your email/), 15_000);
    const confirm = await sam.context().newPage();
    await confirm.goto(findLink(verifyMail.text, "/verify-email").toString());
    await confirm.getByRole("button", { name: "Confirm my email" }).click();
    await confirm.getByRole("link", { name: "Continue where you left off" }).click();
    await confirm.waitForURL(link.toString());
    await confirm.getByText("You are invited to join").waitFor();
    await confirm.getByRole("button", { name: "Accept invitation" }).click();
    await confirm.waitForURL(projectUrl);
    await expect(confirm.getByTestId("project-role").textContent()).resolves.toBe("Editor");
  });

  it("as the attacker: a hostile callbackUrl on sign-up or sign-in never leaves the site", async () => {
    const stamp = Date.now();
    const hostile = ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example/phish"];
    const email = `mallory-${stamp}@example.com`;
    const page = await newPage();
    await page.goto(`${app.url}/sign-up?callbackUrl=${encodeURIComponent(hostile[0]!)}`);
    // The page's own links do not carry it on either.
    expect(await page.getByRole("link", { name: "Sign in" }).last().getAttribute("href")).not.toContain("evil");
    await fillSignUp(page, "Mallory", email);
    await page.waitForURL((url) => url.pathname === "/welcome" || url.pathname === "/projects");
    expect(new URL(page.url()).origin).toBe(app.url);

    for (const callbackUrl of hostile) {
      // Signed in already: the page sends the visitor on at once.
      await page.goto(`${app.url}/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      expect(new URL(page.url()).origin).toBe(app.url);
    }

    for (const callbackUrl of hostile) {
      const other = await newPage();
      await other.goto(`${app.url}/sign-up?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      expect(await other.getByRole("link", { name: "Sign in" }).last().getAttribute("href")).not.toContain("evil");
      await submitSignInForm(other, app.url, email, PASSWORD, `?callbackUrl=${encodeURIComponent(callbackUrl)}`);
      await other.waitForURL((url) => url.origin === app.url && !url.pathname.startsWith("/sign-in"));
      expect(new URL(other.url()).origin).toBe(app.url);
      expect(other.url()).not.toContain("evil");
    }
  });
});
