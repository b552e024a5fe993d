// Invitations and members, end to end: the app's own server with a real SMTP server
// on loopback (the shared e2e server has none), and three people in headless Chromium.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { AppServer } from "../support/app-server";
import { findLink, type SmtpSink, type TReceivedMail } from "../support/smtp-sink";
import { createProjectThroughUi, setupBrowser, signedUpPage } from "./support/accounts";
import { mailEnv, setupCleanups, startMailSink, startOwnServer } from "./support/own-server";

const PASSWORD = "lantern orchard copper 47 tide";
const browser = setupBrowser();
const cleanups = setupCleanups();
let sink: SmtpSink;
let app: AppServer;

beforeAll(async () => {
  sink = await startMailSink(cleanups);
  app = await startOwnServer(cleanups, "vaultflow-e2e-members-", mailEnv(sink));
});

const to = (email: string, subject: RegExp) => (mail: TReceivedMail) => mail.recipients.includes(email) && subject.test(mail.subject);

// Signed in with no project yet: the onboarding comes first; this test goes on from the account page.
async function signUp(name: string, email: string, width = 1024): Promise<Page> {
  const page = await signedUpPage(browser(), app.url, { name, email, password: PASSWORD }, { viewport: { width, height: 800 } });
  cleanups.add(() => page.context().close());
  return page;
}

describe("members and invitations in Chromium", () => {
  it("invite by email, accept, refuse a stranger, demote and remove", async () => {
    const stamp = Date.now();
    const ownerEmail = `owner-${stamp}@example.com`;
    const memberEmail = `member-${stamp}@example.com`;

    // The owner works on a phone-sized screen.
    const owner = await signUp("Olive Owner", ownerEmail, 375);
    // The onboarding offers a first flow next; this test goes on from the project home.
    const projectUrl = await createProjectThroughUi(owner, app.url, "Shared ops");
    // At phone width the project's sections sit behind the Menu button.
    await owner.getByTestId("project-menu").locator("summary").click();
    await owner.getByRole("link", { name: "Members", exact: true }).click();
    await owner.waitForURL(`${projectUrl}/members`);
    await owner.getByText("No one else is here yet. Invite a teammate by email.").waitFor();

    // Inline error first, then the real invitation.
    await owner.getByLabel("Email address").fill("not an email");
    await owner.getByRole("button", { name: "Send invitation" }).click();
    await owner.getByText("Enter an email address like name@example.com.").waitFor();
    await owner.getByLabel("Email address").fill(memberEmail.toUpperCase());
    await owner.getByLabel("Role", { exact: true }).selectOption("EDITOR");
    await owner.getByRole("button", { name: "Send invitation" }).click();
    await owner.getByText(`Invitation emailed to ${memberEmail}.`, { exact: false }).waitFor();
    const shownLink = await owner.getByTestId("invitation-link-url").textContent();
    await owner.getByTestId("invitation-row").filter({ hasText: memberEmail }).waitFor();
    expect(await owner.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    const invitationMail = await sink.waitForMail(to(memberEmail, /invited/), 15_000);
    expect(invitationMail.text).toContain("Shared ops");
    const link = findLink(invitationMail.text, "/invitations/accept");
    expect(link.origin).toBe(app.url);
    expect(link.searchParams.get("token")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.toString()).toBe(shownLink);

    // A third person holding the link is refused and learns nothing about the project.
    const stranger = await signUp("Sam Stranger", `stranger-${stamp}@example.com`);
    await stranger.goto(link.toString());
    await expect(stranger.getByTestId("invitation-refused").textContent()).resolves.toContain("This invitation is for another email address.");
    expect(await stranger.content()).not.toContain("Shared ops");
    expect(await stranger.content()).not.toContain(memberEmail);
    await expect(stranger.getByRole("button", { name: "Accept invitation" }).count()).resolves.toBe(0);
    expect((await stranger.goto(projectUrl))?.status()).toBe(404);

    // The invited person signs up with that address and verifies it through the emailed link.
    const member = await signUp("Mia Member", memberEmail);
    const verifyMail = await sink.waitForMail(to(memberEmail, /Confirm your email/), 15_000);
    await member.goto(findLink(verifyMail.text, "/verify-email").toString());
    await member.getByRole("button", { name: "Confirm my email" }).click();
    await member.getByText("Your email address is verified.").waitFor();

    await member.goto(link.toString());
    await member.getByText("You are invited to join").waitFor();
    await member.getByRole("button", { name: "Accept invitation" }).click();
    await member.waitForURL(projectUrl);
    await expect(member.getByTestId("project-name").textContent()).resolves.toBe("Shared ops");
    await expect(member.getByTestId("project-role").textContent()).resolves.toBe("Editor");

    // Used up: the link now opens nothing.
    await member.goto(link.toString());
    await member.getByText("This invitation has expired, was revoked or was already used.").waitFor();

    // The owner demotes the member to viewer.
    await owner.reload();
    const row = owner.getByTestId("member-row").filter({ hasText: memberEmail });
    await expect(row.getByTestId("member-role").textContent()).resolves.toBe("Editor");
    await expect(owner.getByTestId("invitation-row").count()).resolves.toBe(0);
    await row.getByLabel("Role for Mia Member").selectOption("VIEWER");
    await row.getByRole("button", { name: "Change role of Mia Member" }).click();
    await expect.poll(() => row.getByTestId("member-role").textContent()).toBe("Viewer");

    // The viewer's next page load shows no edit or manage controls.
    await member.goto(projectUrl);
    await expect(member.getByTestId("project-role").textContent()).resolves.toBe("Viewer");
    await expect(member.getByRole("link", { name: "Settings", exact: true }).count()).resolves.toBe(0);
    await member.getByRole("link", { name: "Members" }).click();
    await member.waitForURL(`${projectUrl}/members`);
    await member.getByTestId("member-row").first().waitFor();
    await expect(member.getByTestId("member-row").count()).resolves.toBe(2);
    await expect(member.getByRole("button", { name: /^Remove|Change role|Transfer ownership/ }).count()).resolves.toBe(0);
    await expect(member.getByRole("button", { name: "Send invitation" }).count()).resolves.toBe(0);
    await member.getByRole("button", { name: "Leave project" }).waitFor();

    // The last owner cannot leave.
    await owner.getByRole("button", { name: "Leave project" }).click();
    await owner.getByRole("button", { name: "Confirm: leave this project" }).click();
    await owner.getByText("A project always has at least one owner: transfer ownership first.").waitFor();

    // The owner removes the member; the member's very next request is a 404.
    await row.getByRole("button", { name: "Remove Mia Member" }).click();
    await row.getByRole("button", { name: "Confirm removal of Mia Member" }).click();
    await expect.poll(() => owner.getByTestId("member-row").count()).toBe(1);
    expect((await member.goto(projectUrl))?.status()).toBe(404);
    expect((await member.goto(`${projectUrl}/members`))?.status()).toBe(404);
    expect(await member.content()).not.toContain("Shared ops");

    // No token in the server's log.
    expect(app.logs().join("\n")).not.toContain(link.searchParams.get("token")!);
  });
});
