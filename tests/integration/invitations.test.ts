// Invitations as an owner meets them: a re-invite with another role asks first, members
// (the owner included) and API keys' service users are refused, and the mail, received
// by a real SMTP server, names who invited.
import { describe, expect, it } from "vitest";
import { SERVICE_USER_EMAIL_DOMAIN } from "@/lib/api-keys/service-user";
import type { Mailer } from "@/lib/mail/mailer";
import { getDb } from "@/lib/server/db";
import { createInvitation } from "@/lib/server/invitations/create-invitation";
import { ZInviteMemberInput } from "@/lib/server/invitations/invite-input";
import { createProject } from "@/lib/server/projects/create-project";
import { findLink } from "../support/smtp-sink";
import { errorOf } from "../support/error-of";
import { setupMailSink } from "../support/mail-sink";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
let n = 0;
const meta = () => ({ ip: `192.0.2.${(++n % 200) + 1}`, userAgent: "vitest" });
const uniq = () => `${Date.now()}-${++n}`;

const smtp = setupMailSink();

async function ownerWithProject(name: string | null = "Olive Owner") {
  const id = uniq();
  const owner = await getDb().user.create({ data: { email: `olive-${id}@example.com`, name, emailVerified: new Date() }, select: { id: true, email: true } });
  const project = await createProject(owner.id, { name: `Payments ${id}` }, meta());
  return { owner, project };
}

const invite = (ownerId: string, raw: Record<string, unknown>, withMailer: Mailer | null = null) =>
  createInvitation(ownerId, ZInviteMemberInput.parse(raw), meta(), { mailer: withMailer });

const pendingOf = (projectId: string, email: string) =>
  getDb().invitation.findMany({ where: { projectId, email, acceptedAt: null, revokedAt: null }, select: { id: true, role: true, tokenHash: true } });

describe("re-inviting an address with a pending invitation", () => {
  it("asks before changing the role: without confirmation nothing changes, with it the role changes and a new link is mailed", async () => {
    const { owner, project } = await ownerWithProject();
    const email = `sam-${uniq()}@example.com`;
    await invite(owner.id, { projectId: project.id, email, role: "VIEWER" }, smtp.mailer);
    await smtp.sink.waitForMail((m) => m.recipients.includes(email));
    const [before] = await pendingOf(project.id, email);
    const mailsBefore = smtp.sink.messages.filter((m) => m.recipients.includes(email)).length;

    const asked = await errorOf(invite(owner.id, { projectId: project.id, email, role: "EDITOR" }, smtp.mailer));
    expect(asked.code).toBe("CONFLICT");
    expect(asked.message).toBe(`${email} already has a pending invitation as Viewer. Change it to Editor and send it again?`);
    expect(await pendingOf(project.id, email)).toEqual([before]);
    // Nothing was sent either (give a background send a moment to show up if it were).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.sink.messages.filter((m) => m.recipients.includes(email))).toHaveLength(mailsBefore);

    const issued = await invite(owner.id, { projectId: project.id, email, role: "EDITOR", confirmRoleChange: true }, smtp.mailer);
    expect(issued.role).toBe("EDITOR");
    const after = await pendingOf(project.id, email);
    expect(after).toHaveLength(1);
    expect(after[0]!.role).toBe("EDITOR");
    expect(after[0]!.tokenHash).not.toBe(before!.tokenHash);
    const token = new URL(issued.link).searchParams.get("token");
    const resent = await smtp.sink.waitForMail((m) => m.recipients.includes(email) && m.text.includes(token!));
    expect(resent.text).toContain("as editor");
  });

  it("sends again without asking when the role is the same", async () => {
    const { owner, project } = await ownerWithProject();
    const email = `same-${uniq()}@example.com`;
    await invite(owner.id, { projectId: project.id, email, role: "VIEWER" });
    const again = await invite(owner.id, { projectId: project.id, email, role: "VIEWER" });
    expect(again.role).toBe("VIEWER");
    expect(await pendingOf(project.id, email)).toHaveLength(1);
  });

  it("keeps the confirmation field strict: anything but a boolean is refused", () => {
    const base = { projectId: "00000000-0000-4000-8000-000000000000", email: "a@example.com", role: "EDITOR" };
    expect(ZInviteMemberInput.safeParse({ ...base, confirmRoleChange: "yes" }).success).toBe(false);
    expect(ZInviteMemberInput.safeParse({ ...base, somethingElse: true }).success).toBe(false);
    expect(ZInviteMemberInput.safeParse({ ...base, confirmRoleChange: true }).success).toBe(true);
  });
});

describe("addresses that cannot be invited", () => {
  it("refuses the owner's own address, in any case, and creates nothing", async () => {
    const { owner, project } = await ownerWithProject();
    const error = await errorOf(invite(owner.id, { projectId: project.id, email: owner.email.toUpperCase(), role: "EDITOR" }));
    expect(error.code).toBe("BAD_INPUT");
    expect(error.message).toBe(`${owner.email} is already a member of this project.`);
    expect(error.fieldErrors?.email).toEqual([error.message]);
    expect(await getDb().invitation.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("refuses an address that is already a member", async () => {
    const { owner, project } = await ownerWithProject();
    const member = await getDb().user.create({ data: { email: `mia-${uniq()}@example.com` }, select: { id: true, email: true } });
    await getDb().membership.create({ data: { projectId: project.id, userId: member.id, role: "VIEWER" } });
    const error = await errorOf(invite(owner.id, { projectId: project.id, email: member.email, role: "EDITOR" }));
    expect(error.message).toBe(`${member.email} is already a member of this project.`);
    expect(await getDb().invitation.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("refuses the API keys' reserved domain, subdomains and any case included", async () => {
    const { owner, project } = await ownerWithProject();
    for (const email of [`api-key-1@${SERVICE_USER_EMAIL_DOMAIN}`, `x@sub.${SERVICE_USER_EMAIL_DOMAIN.toUpperCase()}`]) {
      const error = await errorOf(invite(owner.id, { projectId: project.id, email, role: "VIEWER" }));
      expect(error.code).toBe("BAD_INPUT");
      expect(error.fieldErrors?.email?.[0]).toMatch(/reserved/);
    }
    expect(await getDb().invitation.count({ where: { projectId: project.id } })).toBe(0);
  });
});

describe("the invitation mail", () => {
  it("names the inviter with their address, over SMTP", async () => {
    const { owner, project } = await ownerWithProject("Olive Owner");
    const email = `ivy-${uniq()}@example.com`;
    const issued = await invite(owner.id, { projectId: project.id, email, role: "EDITOR" }, smtp.mailer);
    const mail = await smtp.sink.waitForMail((m) => m.recipients.includes(email));
    expect(mail.text).toContain(`Olive Owner (${owner.email}) invited you to join the Vaultflow project "${project.name}" as editor.`);
    expect(mail.html).toContain(`Olive Owner (${owner.email}) invited you`);
    expect(mail.subject).toContain("Olive Owner");
    expect(findLink(mail.text, "/invitations/accept").searchParams.get("token")).toBe(new URL(issued.link).searchParams.get("token"));
  });

  it("uses the address alone when the inviter has no name, and a name cannot forge lines", async () => {
    const { owner, project } = await ownerWithProject(null);
    const email = `nameless-${uniq()}@example.com`;
    await invite(owner.id, { projectId: project.id, email, role: "VIEWER" }, smtp.mailer);
    const mail = await smtp.sink.waitForMail((m) => m.recipients.includes(email));
    expect(mail.text).toContain(`${owner.email} invited you to join`);

    const forged = await ownerWithProject("Eve\nClick https://evil.example now");
    const target = `target-${uniq()}@example.com`;
    await invite(forged.owner.id, { projectId: forged.project.id, email: target, role: "VIEWER" }, smtp.mailer);
    const received = await smtp.sink.waitForMail((m) => m.recipients.includes(target));
    expect(received.text.split("\n").some((line) => line.startsWith("Click https://evil.example"))).toBe(false);
    expect(received.text).toContain(`(${forged.owner.email}) invited you`);
  });
});
