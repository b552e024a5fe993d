// Email verification and password reset, end to end: the app's own server with a
// real SMTP server on loopback (the shared e2e server has none), headless Chromium,
// and the operator's reset command run against a stopped server's data folder.
import { spawn } from "node:child_process";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { jsonLogs, projectRoot, startAppServer, type AppServer } from "../support/app-server";
import { findLink, type SmtpSink, type TReceivedMail } from "../support/smtp-sink";
import { setupBrowser, signUpThroughUi } from "./support/accounts";
import { mailEnv, setupCleanups, startMailSink, startOwnServer, tempFolder } from "./support/own-server";

const sharedUrl = inject("baseUrl");
const PASSWORD = "velvet compass thunder ripple 58";
const NEW_PASSWORD = "saffron glacier piano 81 kite";
const RESET_REQUESTED = "If an account exists for that address, we sent a link. It is valid for 1 hour.";
const RESET_LINK_INVALID = "This password reset link has expired or was already used.";

const browser = setupBrowser();
const cleanups = setupCleanups();

async function newPage(width = 1024): Promise<Page> {
  const context = await browser().newContext({ viewport: { width, height: 800 } });
  cleanups.add(() => context.close());
  return context.newPage();
}

// Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
const signUp = (page: Page, baseUrl: string, email: string) => signUpThroughUi(page, baseUrl, { name: "Grace Hopper", email, password: PASSWORD });

async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

const to = (email: string, subject: RegExp) => (mail: TReceivedMail) => mail.recipients.includes(email) && subject.test(mail.subject);

describe("with a mail server", () => {
  let sink: SmtpSink;
  let app: AppServer;

  beforeAll(async () => {
    sink = await startMailSink(cleanups);
    app = await startOwnServer(cleanups, "vaultflow-e2e-mail-", mailEnv(sink));
  });

  it("verifies the address through the emailed link, then resets the password through another", async () => {
    const page = await newPage();
    const email = `mail-${Date.now()}@example.com`;
    await signUp(page, app.url, email);
    await page.getByText("Email not verified.", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Resend verification email" }).waitFor();

    const verifyMail = await sink.waitForMail(to(email, /Confirm your email/), 15_000);
    expect(verifyMail.from).toContain("no-reply@vaultflow.test");
    const verifyLink = findLink(verifyMail.text, "/verify-email");
    expect(verifyLink.origin).toBe(app.url);
    const verifyToken = verifyLink.searchParams.get("token")!;
    expect(verifyToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // A mail scanner fetching the link uses nothing up: opening it shows a button.
    expect((await fetch(verifyLink)).status).toBe(200);
    await page.goto(verifyLink.toString());
    await page.getByRole("button", { name: "Confirm my email" }).click();
    await page.getByText("Your email address is verified.").waitFor();
    await page.goto(`${app.url}/account`);
    await expect(page.getByTestId("email-verification").textContent()).resolves.toMatch(/^Verified on .+\d{4}\.$/);

    // The same link a second time: used.
    await page.goto(verifyLink.toString());
    await page.getByRole("button", { name: "Confirm my email" }).click();
    await page.getByText("This verification link has expired or was already used.").waitFor();

    await page.goto(`${app.url}/account`);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL(/\/sign-in/);

    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await page.waitForURL(`${app.url}/forgot-password`);
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await page.getByText(RESET_REQUESTED).waitFor();

    const resetMail = await sink.waitForMail(to(email, /Reset your/), 15_000);
    const resetLink = findLink(resetMail.text, "/reset-password");
    const resetToken = resetLink.searchParams.get("token")!;
    expect(resetToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await page.goto(resetLink.toString());
    await page.getByText(email, { exact: true }).waitFor();
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await expect(page.getByTestId("password-strength").textContent()).resolves.toMatch(/Strong|Very strong/);
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL(`${app.url}/sign-in?reset=1`);
    await page.getByText("Password changed. Sign in with your new password.").waitFor();

    await signIn(page, app.url, email, PASSWORD);
    await page.getByText("Email or password is incorrect.").waitFor();
    await signIn(page, app.url, email, NEW_PASSWORD);
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${app.url}/welcome`);
    await page.goto(`${app.url}/account`);

    await page.goto(resetLink.toString());
    await page.getByText(RESET_LINK_INVALID).waitFor();
    await page.getByRole("link", { name: "Request a new link" }).waitFor();

    // The log says that mail went out, to which domain and why; never a token or link.
    const sent = jsonLogs(app).filter((line) => line.msg === "mail sent");
    expect(sent.map((line) => [line.purpose, line.domain])).toEqual([
      ["verify_email", "example.com"],
      ["reset_password", "example.com"],
    ]);
    const allLogs = app.logs().join("\n");
    for (const token of [verifyToken, resetToken]) expect(allLogs).not.toContain(token);
  });

  it("gives an unknown address the same answer, on a phone-sized screen", async () => {
    const page = await newPage(375);
    await page.goto(`${app.url}/forgot-password`);
    await page.getByLabel("Email").fill(`nobody-${Date.now()}@example.com`);
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    await page.getByText(RESET_REQUESTED).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });
});

describe("without a mail server", () => {
  it("tells the visitor to ask the administrator, and the account page says verification is off", async () => {
    const page = await newPage(375);
    await page.goto(`${sharedUrl}/forgot-password`);
    await expect(page.getByTestId("reset-by-operator").textContent()).resolves.toMatch(/ask your administrator/i);
    await expect(page.getByLabel("Email").count()).resolves.toBe(0);

    await signUp(page, sharedUrl, `nomail-${Date.now()}@example.com`);
    await expect(page.getByTestId("email-verification").textContent()).resolves.toBe("Email verification is off because this installation has no mail server.");
  });
});

type CommandResult = { code: number | null; stdout: string; stderr: string };

/** `npm run user:reset-link -- <email>` as an operator runs it, on a given data folder. */
function runResetLinkCommand(email: string, dataDir: string): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "user:reset-link", "--", email], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DATA_DIR: dataDir, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the operator's reset command", () => {
  it("prints a one-time link for a stopped installation's account, which then sets a new password", { timeout: 240_000 }, async () => {
    const dataDir = tempFolder(cleanups, "vaultflow-e2e-reset-cmd-");
    const email = `operator-${Date.now()}@example.com`;
    const first = await startAppServer({ dataDir });
    const page = await newPage();
    try {
      await signUp(page, first.url, email);
      // While the server runs, the embedded database is locked: the command says to stop it.
      const locked = await runResetLinkCommand(email, dataDir);
      expect(locked.code).toBe(1);
      expect(locked.stderr).toMatch(/in use by process \d+/);
      expect(locked.stderr).toMatch(/stop Vaultflow/);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const unknown = await runResetLinkCommand(`missing-${Date.now()}@example.com`, dataDir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No account has the email missing-\d+@example\.com\./);

    const result = await runResetLinkCommand(email, dataDir);
    expect(result.code, result.stderr).toBe(0);
    const link = findLink(result.stdout, "/reset-password");
    const token = link.searchParams.get("token")!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.stdout).toContain("(1 hour)");

    const second = await startAppServer({ dataDir });
    cleanups.add(() => second.stop());
    // The printed link uses APP_URL (unset here); the path and token are what matter.
    await page.goto(`${second.url}${link.pathname}${link.search}`);
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL(`${second.url}/sign-in?reset=1`);
    await signIn(page, second.url, email, NEW_PASSWORD);
    // Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
    await page.waitForURL(`${second.url}/welcome`);
    await page.goto(`${second.url}/account`);
    expect(second.logs().join("\n")).not.toContain(token);
  });
});
