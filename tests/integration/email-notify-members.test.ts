// "Email project members" against a real PostgreSQL and a real SMTP server on loopback
// standing in for the instance's mail server: exactly the project's members of the
// chosen audience are written to (people with a confirmed address, no API key users,
// nobody from another project), a hostile flow cannot add an address (not by an extra
// field, not by mapping, not by a line break in the subject), the project's hourly
// budget holds, and an instance without mail says so.
import { describe, expect, it } from "vitest";
import { chosenMembersText, NOTIFY_MEMBERS_PER_HOUR } from "@/lib/apps/email/email-app";
import type { Mailer } from "@/lib/mail/mailer";
import { listMemberChoices } from "@/lib/server/apps/email/list-member-choices";
import { createNotifyMembersExecutor } from "@/lib/server/apps/email/notify-members-executor";
import { getDb } from "@/lib/server/db";
import { setupMailSink } from "../support/mail-sink";
import { setupTestDatabase } from "../support/setup-test-database";
import { failureOf, stepContext } from "../support/step-context";

setupTestDatabase();
const smtp = setupMailSink();

let n = 0;
async function user(label: string, verified = true, kind: "PERSON" | "API_KEY" = "PERSON") {
  return getDb().user.create({
    data: { email: `${label}-${++n}-${Date.now()}@members.test`, emailVerified: verified ? new Date() : null, kind },
    select: { id: true, email: true },
  });
}

/** A project with an owner, an editor, a viewer, an editor without a confirmed address and an API key user; and an outsider in another project. */
async function seedProject() {
  const db = getDb();
  const owner = await user("owner");
  const editor = await user("editor");
  const viewer = await user("viewer");
  const unconfirmed = await user("unconfirmed", false);
  const apiKey = await user("apikey", true, "API_KEY");
  const outsider = await user("outsider");
  const project = await db.project.create({
    data: {
      name: `Team ${n}`,
      memberships: {
        create: [
          { userId: owner.id, role: "OWNER" },
          { userId: editor.id, role: "EDITOR" },
          { userId: viewer.id, role: "VIEWER" },
          { userId: unconfirmed.id, role: "EDITOR" },
          { userId: apiKey.id, role: "EDITOR" },
        ],
      },
    },
    select: { id: true },
  });
  await db.project.create({ data: { name: `Other ${n}`, memberships: { create: [{ userId: outsider.id, role: "OWNER" }] } } });
  return { projectId: project.id, owner, editor, viewer, unconfirmed, apiKey, outsider };
}

const NOTIFY_STEP = { id: "notify", type: "app.email.notify_members", name: "Notify" };
const context = (projectId: string, config: Record<string, unknown>, rendered: Record<string, unknown> = {}) =>
  stepContext(NOTIFY_STEP, projectId, config, rendered);

const notify = (options: Parameters<typeof createNotifyMembersExecutor>[0] = {}) => createNotifyMembersExecutor({ mailer: () => smtp.mailer, ...options });
const received = (subject: string) =>
  smtp.sink.messages
    .filter((m) => m.subject.endsWith(subject))
    .flatMap((m) => m.recipients)
    .sort();

describe("Email project members", () => {
  it("all members: every person of the project with a confirmed address, one message each, nobody else", async () => {
    const seeded = await seedProject();
    const output = await notify()(
      context(seeded.projectId, { audience: "all", members: "", subject: "Deploy {{n}}", text: "Done." }, { subject: "Deploy 41", text: "Done <b>now</b>." }),
    );
    expect(output).toEqual({ audience: "all", sent: 3, skippedUnverified: 1 });
    expect(received("Deploy 41")).toEqual([seeded.owner.email, seeded.editor.email, seeded.viewer.email].sort());
    const mail = smtp.sink.messages.find((m) => m.recipients[0] === seeded.viewer.email)!;
    // One recipient per message: nobody sees another member's address.
    expect(mail.recipients).toEqual([seeded.viewer.email]);
    expect(mail.subject).toMatch(/^\[Team \d+\] Deploy 41$/);
    expect(mail.text).toContain("Done <b>now</b>.");
    expect(mail.text).toMatch(/The project's editors wrote this message, not Vaultflow\./);
    // Markup in the flow's text is shown, not rendered.
    expect(mail.html).toContain("Done &#60;b&#62;now&#60;/b&#62;.");
  });

  it("owners and editors only; chosen members only if they are members", async () => {
    const seeded = await seedProject();
    await notify()(context(seeded.projectId, { audience: "owners_editors", members: "", subject: "Editors only", text: "Hi" }));
    expect(received("Editors only")).toEqual([seeded.owner.email, seeded.editor.email].sort());
    // The outsider's address picks nobody: it is not a member of this project.
    const output = await notify()(
      context(seeded.projectId, { audience: "chosen", members: `${seeded.viewer.email}, ${seeded.outsider.email}`, subject: "Chosen", text: "Hi" }),
    );
    expect(output).toMatchObject({ sent: 1 });
    expect(received("Chosen")).toEqual([seeded.viewer.email]);
  });

  it("chosen by the picker's member ids: resolved from the memberships when the step runs, so a removed member and another project's person receive nothing", async () => {
    const seeded = await seedProject();
    const config = {
      audience: "chosen",
      members: chosenMembersText([seeded.editor.id, seeded.viewer.id, seeded.outsider.id]),
      subject: "Picked 1",
      text: "Hi",
    };
    expect(await notify()(context(seeded.projectId, config))).toEqual({ audience: "chosen", sent: 2, skippedUnverified: 0 });
    expect(received("Picked 1")).toEqual([seeded.editor.email, seeded.viewer.email].sort());
    // The viewer leaves the project: the same stored step no longer reaches them.
    await getDb().membership.deleteMany({ where: { projectId: seeded.projectId, userId: seeded.viewer.id } });
    await notify()(context(seeded.projectId, { ...config, subject: "Picked 2" }));
    expect(received("Picked 2")).toEqual([seeded.editor.email]);
    // A member who changed address is still the same member (ids), and an old list of addresses still works.
    await getDb().user.update({ where: { id: seeded.editor.id }, data: { email: `renamed-${seeded.editor.email}` } });
    await notify()(context(seeded.projectId, { ...config, members: `${config.members}, ${seeded.owner.email}`, subject: "Picked 3" }));
    expect(received("Picked 3")).toEqual([`renamed-${seeded.editor.email}`, seeded.owner.email].sort());
    // Only the outsider left: nobody, said plainly.
    const nobody = await failureOf(notify()(context(seeded.projectId, { ...config, members: chosenMembersText([seeded.outsider.id]), subject: "Picked 4" })));
    expect(nobody.options).toMatchObject({ retryable: false, code: "NO_RECIPIENT" });
    expect(received("Picked 4")).toEqual([]);
  });

  it("the member picker lists the project's people for its editors and owners only; viewers, outsiders and other projects read as not found", async () => {
    const seeded = await seedProject();
    const listed = await listMemberChoices(seeded.editor.id, { projectId: seeded.projectId });
    expect(listed.isComplete).toBe(true);
    // People only (no API key user), with whether their address is confirmed.
    expect(listed.members.map((m) => [m.email, m.role, m.isConfirmed]).sort()).toEqual(
      [
        [seeded.owner.email, "OWNER", true],
        [seeded.editor.email, "EDITOR", true],
        [seeded.viewer.email, "VIEWER", true],
        [seeded.unconfirmed.email, "EDITOR", false],
      ].sort(),
    );
    expect((await listMemberChoices(seeded.owner.id, { projectId: seeded.projectId })).members).toHaveLength(4);
    for (const who of [seeded.viewer.id, seeded.outsider.id]) {
      await expect(listMemberChoices(who, { projectId: seeded.projectId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expect(listMemberChoices(seeded.editor.id, { projectId: crypto.randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(listMemberChoices(seeded.editor.id, { projectId: "not-a-project", extra: 1 } as never)).rejects.toMatchObject({ code: "BAD_INPUT" });
  });

  it("a hostile flow cannot add an outside address: no address field, no mapped audience, no header line", async () => {
    const seeded = await seedProject();
    const before = smtp.sink.messages.length;
    // An extra field is refused by the strict schema.
    const extra = await failureOf(notify()(context(seeded.projectId, { audience: "all", members: "", subject: "x", text: "y", to: "attacker@evil.test" })));
    expect(extra.options.code).toBe("CONFIG");
    // A reference in the members list is refused; a mapped audience or list is ignored (the stored step decides).
    const referenced = await failureOf(notify()(context(seeded.projectId, { audience: "chosen", members: "{{trigger.email}}", subject: "x", text: "y" })));
    expect(referenced.options.code).toBe("CONFIG");
    await notify()(
      context(
        seeded.projectId,
        { audience: "owners_editors", members: "", subject: "Mapped", text: "y" },
        { audience: "chosen", members: "attacker@evil.test", to: "attacker@evil.test" },
      ),
    );
    expect(received("Mapped")).toEqual([seeded.owner.email, seeded.editor.email].sort());
    // A line break in the mapped subject would start a header of its own.
    const injected = await failureOf(
      notify()(context(seeded.projectId, { audience: "all", members: "", subject: "{{s}}", text: "y" }, { subject: "Hi\r\nBcc: attacker@evil.test" })),
    );
    expect(injected.options).toMatchObject({ retryable: false, code: "HEADER_INJECTION" });
    expect(smtp.sink.messages.slice(before).flatMap((m) => m.recipients)).not.toContain("attacker@evil.test");
    expect(smtp.sink.messages.slice(before).some((m) => /evil\.test/.test(m.raw))).toBe(false);
  });

  it("holds the project's hourly budget: a notification that would go over is refused whole", async () => {
    const seeded = await seedProject();
    const limited = notify({ notifyPerHour: 4 });
    await limited(context(seeded.projectId, { audience: "all", members: "", subject: "Budget 1", text: "y" }));
    const over = await failureOf(limited(context(seeded.projectId, { audience: "all", members: "", subject: "Budget 2", text: "y" })));
    expect(over.options).toMatchObject({ retryable: false, code: "RATE_LIMITED" });
    expect(over.message).toMatch(
      /^This project has used its member email budget \(4 messages an hour, one per member reached\); 3 more would go over\. Try again in \d+ minutes\.$/,
    );
    expect(received("Budget 2")).toEqual([]);
    // The refused notification took nothing: one member still fits.
    await limited(context(seeded.projectId, { audience: "chosen", members: seeded.owner.email, subject: "Budget 3", text: "y" }));
    expect(received("Budget 3")).toEqual([seeded.owner.email]);
    expect(NOTIFY_MEMBERS_PER_HOUR).toBe(100);
  });

  it("says so when the instance has no mail server, and sends nothing", async () => {
    const seeded = await seedProject();
    const failure = await failureOf(notify({ mailer: () => null })(context(seeded.projectId, { audience: "all", members: "", subject: "x", text: "y" })));
    expect(failure.options).toMatchObject({ retryable: false, code: "MAIL_NOT_CONFIGURED" });
    expect(failure.message).toMatch(/^This Vaultflow has no mail server configured \(SMTP_URL\)/);
  });

  it("retries a mail server failure only before the first member was written to", async () => {
    const seeded = await seedProject();
    let calls = 0;
    const flaky: Mailer = {
      send: async (message) => {
        calls += 1;
        if (calls === 2) throw Object.assign(new Error("Connection closed"), { code: "ECONNECTION" });
        await smtp.mailer.send(message);
      },
      close: () => {},
    };
    const partial = await failureOf(
      notify({ mailer: () => flaky })(context(seeded.projectId, { audience: "all", members: "", subject: "Partial", text: "y" })),
    );
    expect(partial.options).toMatchObject({ retryable: false, code: "MAIL_FAILED" });
    expect(partial.message).toBe("Vaultflow's mail server stopped accepting messages after 1 of 3 members; the others were not emailed.");
    const down: Mailer = { send: async () => Promise.reject(new Error("down")), close: () => {} };
    const first = await failureOf(notify({ mailer: () => down })(context(seeded.projectId, { audience: "all", members: "", subject: "Down", text: "y" })));
    expect(first.options).toMatchObject({ retryable: true, code: "MAIL_FAILED" });
  });
});
