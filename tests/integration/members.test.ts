import { describe, expect, it } from "vitest";
import type { Mailer, TMailMessage } from "@/lib/mail/mailer";
import { ZChangeMemberRoleInput, ZCreateInvitationInput, ZMembershipIdInput } from "@/lib/projects/member-schemas";
import { getDb } from "@/lib/server/db";
import { acceptInvitation } from "@/lib/server/invitations/accept-invitation";
import { createInvitation } from "@/lib/server/invitations/create-invitation";
import { getInvitationForAccept } from "@/lib/server/invitations/get-invitation-for-accept";
import { hashInvitationToken } from "@/lib/server/invitations/invitation-token";
import { listInvitations } from "@/lib/server/invitations/list-invitations";
import { resendInvitation } from "@/lib/server/invitations/resend-invitation";
import { revokeInvitation } from "@/lib/server/invitations/revoke-invitation";
import { changeMemberRole } from "@/lib/server/members/change-member-role";
import { leaveProject } from "@/lib/server/members/leave-project";
import { listMembers } from "@/lib/server/members/list-members";
import { removeMember } from "@/lib/server/members/remove-member";
import { transferOwnership } from "@/lib/server/members/transfer-ownership";
import { createProject } from "@/lib/server/projects/create-project";
import { getProject } from "@/lib/server/projects/get-project";
import { errorOf } from "../support/error-of";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.77", userAgent: "vitest" };
let n = 0;
const newUser = (email = `person-${++n}-${Date.now()}@example.com`, verified = true) =>
  getDb().user.create({ data: { email, emailVerified: verified ? new Date() : null }, select: { id: true, email: true } });

/** A fake that implements the Mailer interface and keeps what it is given. */
function recordingMailer(): Mailer & { sent: TMailMessage[] } {
  const sent: TMailMessage[] = [];
  return { sent, send: async (message) => void sent.push(message), close: () => {} };
}

const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;
const membership = (projectId: string, userId: string) =>
  getDb().membership.findUnique({ where: { projectId_userId: { projectId, userId } }, select: { id: true, role: true } });

async function projectWithOwner(name = "Team") {
  const owner = await newUser();
  const project = await createProject(owner.id, { name }, meta);
  return { owner, project };
}

async function addMember(projectId: string, role: "EDITOR" | "VIEWER" | "OWNER") {
  const user = await newUser();
  const m = await getDb().membership.create({ data: { projectId, userId: user.id, role }, select: { id: true } });
  return { ...user, membershipId: m.id };
}

describe("invitations", () => {
  it("store only the token's hash, mail the link, and let the invited user join with the role", async () => {
    const { owner, project } = await projectWithOwner("Payments");
    const invitee = await newUser(`Invitee-${Date.now()}@Example.com`.toLowerCase());
    const mailer = recordingMailer();
    const issued = await createInvitation(
      owner.id,
      ZCreateInvitationInput.parse({ projectId: project.id, email: `  ${invitee.email.toUpperCase()} `, role: "EDITOR" }),
      meta,
      { mailer },
    );
    const token = tokenOf(issued.link);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new URL(issued.link).pathname).toBe("/invitations/accept");
    expect(issued.isEmailed).toBe(true);
    const row = await getDb().invitation.findUniqueOrThrow({ where: { id: issued.invitationId } });
    expect(row.tokenHash).toBe(hashInvitationToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.email).toBe(invitee.email);
    const days = (row.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);

    await expect.poll(() => mailer.sent.length).toBe(1);
    expect(mailer.sent[0]!.to).toBe(invitee.email);
    expect(mailer.sent[0]!.text).toContain(issued.link);

    expect(await getInvitationForAccept(invitee.id, token)).toEqual({
      status: "ready",
      projectName: "Payments",
      role: "EDITOR",
      isEmailMatch: true,
      needsVerifiedEmail: false,
    });
    expect(await listMembers(owner.id, project.id)).toMatchObject({ pendingInvitationCount: 1 });
    const accepted = await acceptInvitation(invitee.id, token, meta);
    expect(accepted).toEqual({ projectId: project.id, isAlreadyMember: false });
    expect((await membership(project.id, invitee.id))?.role).toBe("EDITOR");
    expect((await getProject(invitee.id, project.id)).role).toBe("EDITOR");
    expect(await listInvitations(owner.id, project.id)).toEqual([]);

    // Used: the same link again is refused.
    expect((await errorOf(acceptInvitation(invitee.id, token, meta))).code).toBe("NOT_FOUND");
    expect(await getInvitationForAccept(invitee.id, token)).toEqual({ status: "invalid" });
  });

  it("refuse anyone whose email differs, without revealing anything, and change nothing", async () => {
    const { owner, project } = await projectWithOwner("Secret name");
    const invitee = await newUser();
    const other = await newUser();
    const issued = await createInvitation(owner.id, { projectId: project.id, email: invitee.email, role: "VIEWER" }, meta, { mailer: null });
    expect(issued.isEmailed).toBe(false);
    const token = tokenOf(issued.link);

    expect(await getInvitationForAccept(other.id, token)).toEqual({ status: "wrong_email" });
    const refused = await errorOf(acceptInvitation(other.id, token, meta));
    expect(refused.message).toBe("This invitation is for another email address.");
    expect(refused.message).not.toContain(invitee.email);
    expect(await membership(project.id, other.id)).toBeNull();
    const row = await getDb().invitation.findUniqueOrThrow({ where: { id: issued.invitationId } });
    expect(row.acceptedAt).toBeNull();

    // Unverified address where verification is required: refused, invitation intact.
    const unverified = await newUser(`unverified-${Date.now()}@example.com`, false);
    const second = await createInvitation(owner.id, { projectId: project.id, email: unverified.email, role: "VIEWER" }, meta, { mailer: null });
    const t2 = tokenOf(second.link);
    expect((await getInvitationForAccept(unverified.id, t2, { requireVerifiedEmail: true })).status).toBe("ready");
    expect(await getInvitationForAccept(unverified.id, t2, { requireVerifiedEmail: true })).toMatchObject({ needsVerifiedEmail: true });
    expect((await errorOf(acceptInvitation(unverified.id, t2, meta, { requireVerifiedEmail: true }))).code).toBe("BAD_INPUT");
    expect(await membership(project.id, unverified.id)).toBeNull();

    // The right user still can.
    await acceptInvitation(invitee.id, token, meta);
    expect((await membership(project.id, invitee.id))?.role).toBe("VIEWER");
  });

  it("refuse expired and revoked invitations; resend kills the old token", async () => {
    const { owner, project } = await projectWithOwner();
    const invitee = await newUser();
    const expired = await createInvitation(owner.id, { projectId: project.id, email: invitee.email, role: "EDITOR" }, meta, { mailer: null });
    await getDb().invitation.update({ where: { id: expired.invitationId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await errorOf(acceptInvitation(invitee.id, tokenOf(expired.link), meta))).code).toBe("NOT_FOUND");
    expect((await listInvitations(owner.id, project.id))[0]).toMatchObject({ id: expired.invitationId, isExpired: true });

    const resent = await resendInvitation(owner.id, { invitationId: expired.invitationId }, meta, { mailer: null });
    expect(resent.invitationId).toBe(expired.invitationId);
    expect(tokenOf(resent.link)).not.toBe(tokenOf(expired.link));
    const again = await resendInvitation(owner.id, { invitationId: expired.invitationId }, meta, { mailer: null });
    // The token from the first resend is dead now.
    expect((await errorOf(acceptInvitation(invitee.id, tokenOf(resent.link), meta))).code).toBe("NOT_FOUND");
    expect(await membership(project.id, invitee.id)).toBeNull();

    await revokeInvitation(owner.id, { invitationId: again.invitationId }, meta);
    expect((await errorOf(acceptInvitation(invitee.id, tokenOf(again.link), meta))).code).toBe("NOT_FOUND");
    expect(await membership(project.id, invitee.id)).toBeNull();
    expect((await errorOf(revokeInvitation(owner.id, { invitationId: again.invitationId }, meta))).code).toBe("NOT_FOUND");
    expect((await errorOf(resendInvitation(owner.id, { invitationId: again.invitationId }, meta, { mailer: null }))).code).toBe("NOT_FOUND");
  });

  it("mark an existing member's invitation accepted without changing their role", async () => {
    const { owner, project } = await projectWithOwner();
    // Invited first, then joined another way (a member cannot be invited: see invitations.test.ts).
    const viewerEmail = `person-${++n}-${Date.now()}@example.com`;
    const issued = await createInvitation(owner.id, { projectId: project.id, email: viewerEmail, role: "EDITOR" }, meta, { mailer: null });
    const viewer = await newUser(viewerEmail);
    await getDb().membership.create({ data: { projectId: project.id, userId: viewer.id, role: "VIEWER" } });
    expect(await acceptInvitation(viewer.id, tokenOf(issued.link), meta)).toEqual({ projectId: project.id, isAlreadyMember: true });
    expect((await membership(project.id, viewer.id))?.role).toBe("VIEWER");
    expect((await getDb().invitation.findUniqueOrThrow({ where: { id: issued.invitationId } })).acceptedAt).not.toBeNull();
  });

  it("give an unknown and an existing address the same answer", async () => {
    const { owner, project } = await projectWithOwner();
    const existing = await newUser();
    const mailer = recordingMailer();
    const a = await createInvitation(owner.id, { projectId: project.id, email: existing.email, role: "VIEWER" }, meta, { mailer });
    const b = await createInvitation(owner.id, { projectId: project.id, email: `nobody-${Date.now()}@example.com`, role: "VIEWER" }, meta, { mailer });
    const shape = (x: typeof a) => ({ keys: Object.keys(x).sort(), role: x.role, isEmailed: x.isEmailed, path: new URL(x.link).pathname });
    expect(shape(a)).toEqual(shape(b));
    await expect.poll(() => mailer.sent.length).toBe(2);
    expect(mailer.sent[0]!.subject).toBe(mailer.sent[1]!.subject);
  });

  it("let only owners invite, resend, revoke or list invitations (others: not found, nothing changes)", async () => {
    const { owner, project } = await projectWithOwner();
    const editor = await addMember(project.id, "EDITOR");
    const viewer = await addMember(project.id, "VIEWER");
    const outsider = await newUser();
    const pending = await createInvitation(owner.id, { projectId: project.id, email: "pending@example.com", role: "VIEWER" }, meta, { mailer: null });
    const before = await getDb().invitation.count({ where: { projectId: project.id } });
    for (const actor of [editor, viewer, outsider]) {
      const invite = await errorOf(createInvitation(actor.id, { projectId: project.id, email: "x@example.com", role: "EDITOR" }, meta, { mailer: null }));
      expect([invite.code, invite.message]).toEqual(["NOT_FOUND", "Project not found."]);
      expect((await errorOf(resendInvitation(actor.id, { invitationId: pending.invitationId }, meta, { mailer: null }))).code).toBe("NOT_FOUND");
      expect((await errorOf(revokeInvitation(actor.id, { invitationId: pending.invitationId }, meta))).code).toBe("NOT_FOUND");
      expect((await errorOf(listInvitations(actor.id, project.id))).code).toBe("NOT_FOUND");
    }
    expect(await getDb().invitation.count({ where: { projectId: project.id } })).toBe(before);
    const row = await getDb().invitation.findUniqueOrThrow({ where: { id: pending.invitationId } });
    expect([row.revokedAt, row.tokenHash]).toEqual([null, hashInvitationToken(tokenOf(pending.link))]);
    // Members see the list and the count; outsiders do not.
    expect((await listMembers(viewer.id, project.id)).members).toHaveLength(3);
    expect((await listMembers(viewer.id, project.id)).pendingInvitationCount).toBe(1);
    expect((await errorOf(listMembers(outsider.id, project.id))).code).toBe("NOT_FOUND");
  });

  it("refuse a role of Owner and smuggled fields in inputs", () => {
    const projectId = "00000000-0000-4000-8000-000000000000";
    expect(ZCreateInvitationInput.safeParse({ projectId, email: "a@example.com", role: "OWNER" }).success).toBe(false);
    expect(ZCreateInvitationInput.safeParse({ projectId, email: "not-an-email", role: "EDITOR" }).success).toBe(false);
    expect(ZChangeMemberRoleInput.safeParse({ membershipId: projectId, role: "OWNER" }).success).toBe(false);
    expect(ZMembershipIdInput.safeParse({ membershipId: projectId, projectId }).success).toBe(false);
  });

  it("limit invitations per inviter", async () => {
    const { owner, project } = await projectWithOwner();
    for (let i = 0; i < 30; i++) {
      await createInvitation(owner.id, { projectId: project.id, email: `bulk-${i}@example.com`, role: "VIEWER" }, meta, { mailer: null });
    }
    const limited = await errorOf(
      createInvitation(owner.id, { projectId: project.id, email: "one-too-many@example.com", role: "VIEWER" }, meta, { mailer: null }),
    );
    expect(limited.code).toBe("RATE_LIMITED");
    expect(await getDb().invitation.count({ where: { projectId: project.id } })).toBe(30);
  });

  it("limit invitations per project, whoever sends them", async () => {
    const { owner, project } = await projectWithOwner();
    // A second owner (legacy data or a future co-owner) has a budget of their own, not the project's.
    const coOwner = await addMember(project.id, "OWNER");
    const invite = (userId: string, i: number) =>
      createInvitation(userId, { projectId: project.id, email: `p-${i}@example.com`, role: "VIEWER" }, meta, { mailer: null });
    for (let i = 0; i < 30; i++) await invite(owner.id, i);
    for (let i = 30; i < 50; i++) await invite(coOwner.id, i);
    expect((await errorOf(invite(coOwner.id, 50))).code).toBe("RATE_LIMITED");
    expect(await getDb().invitation.count({ where: { projectId: project.id } })).toBe(50);
  });
});

describe("members", () => {
  it("let owners change roles and remove members; others cannot (not found, unchanged)", async () => {
    const { owner, project } = await projectWithOwner();
    const editor = await addMember(project.id, "EDITOR");
    const viewer = await addMember(project.id, "VIEWER");
    const outsider = await newUser();
    const ownerMembership = (await membership(project.id, owner.id))!;
    for (const actor of [editor, viewer, outsider]) {
      for (const target of [viewer.membershipId, ownerMembership.id]) {
        expect((await errorOf(changeMemberRole(actor.id, { membershipId: target, role: "EDITOR" }, meta))).code).toBe("NOT_FOUND");
        expect((await errorOf(removeMember(actor.id, { membershipId: target }, meta))).code).toBe("NOT_FOUND");
        expect((await errorOf(transferOwnership(actor.id, { membershipId: target }, meta))).code).toBe("NOT_FOUND");
      }
    }
    expect((await membership(project.id, viewer.id))?.role).toBe("VIEWER");
    expect((await membership(project.id, owner.id))?.role).toBe("OWNER");
    expect(await getDb().membership.count({ where: { projectId: project.id } })).toBe(3);

    await changeMemberRole(owner.id, { membershipId: editor.membershipId, role: "VIEWER" }, meta);
    expect((await getProject(editor.id, project.id)).role).toBe("VIEWER");

    // Removal: the member's very next read is "not found".
    expect((await getProject(viewer.id, project.id)).role).toBe("VIEWER");
    await removeMember(owner.id, { membershipId: viewer.membershipId }, meta);
    expect((await errorOf(getProject(viewer.id, project.id))).code).toBe("NOT_FOUND");
    expect((await errorOf(listMembers(viewer.id, project.id))).code).toBe("NOT_FOUND");

    const trail = await getDb().auditEvent.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(trail.map((e) => [e.action, e.userId, e.ip])).toEqual([
      ["project.created", owner.id, meta.ip],
      ["project.role_changed", owner.id, meta.ip],
      ["project.member_removed", owner.id, meta.ip],
    ]);
  });

  it("keep at least one owner: the last owner cannot leave, be demoted or removed", async () => {
    const { owner, project } = await projectWithOwner();
    const editor = await addMember(project.id, "EDITOR");
    const ownerMembership = (await membership(project.id, owner.id))!;
    const message = "A project always has at least one owner: transfer ownership first.";
    // One at a time: started together, a rejection would wait unobserved.
    for (const attempt of [
      () => leaveProject(owner.id, { projectId: project.id }, meta),
      () => changeMemberRole(owner.id, { membershipId: ownerMembership.id, role: "EDITOR" }, meta),
      () => removeMember(owner.id, { membershipId: ownerMembership.id }, meta),
    ]) {
      const error = await errorOf(attempt());
      expect([error.code, error.message]).toEqual(["CONFLICT", message]);
    }
    expect((await membership(project.id, owner.id))?.role).toBe("OWNER");

    // Anyone else can leave.
    await leaveProject(editor.id, { projectId: project.id }, meta);
    expect(await membership(project.id, editor.id)).toBeNull();
    expect((await errorOf(leaveProject(editor.id, { projectId: project.id }, meta))).code).toBe("NOT_FOUND");
    expect(await getDb().auditEvent.count({ where: { projectId: project.id, action: "project.member_left", userId: editor.id } })).toBe(1);
  });

  it("transfer ownership: the member becomes owner and the old owner an editor", async () => {
    const { owner, project } = await projectWithOwner();
    const editor = await addMember(project.id, "EDITOR");
    const ownerMembership = (await membership(project.id, owner.id))!;
    expect((await errorOf(transferOwnership(owner.id, { membershipId: ownerMembership.id }, meta))).code).toBe("BAD_INPUT");
    await transferOwnership(owner.id, { membershipId: editor.membershipId }, meta);
    expect((await membership(project.id, editor.id))?.role).toBe("OWNER");
    expect((await membership(project.id, owner.id))?.role).toBe("EDITOR");
    // The old owner lost the manage permission at once.
    expect((await errorOf(removeMember(owner.id, { membershipId: editor.membershipId }, meta))).code).toBe("NOT_FOUND");
    // And now the old owner may leave.
    await leaveProject(owner.id, { projectId: project.id }, meta);
    expect(await membership(project.id, owner.id)).toBeNull();
  });

  it("write an audit event with project, actor and IP for each invitation event", async () => {
    const { owner, project } = await projectWithOwner();
    const invitee = await newUser();
    const a = await createInvitation(owner.id, { projectId: project.id, email: invitee.email, role: "EDITOR" }, meta, { mailer: null });
    const b = await resendInvitation(owner.id, { invitationId: a.invitationId }, meta, { mailer: null });
    await acceptInvitation(invitee.id, tokenOf(b.link), meta);
    const c = await createInvitation(owner.id, { projectId: project.id, email: "later@example.com", role: "VIEWER" }, meta, { mailer: null });
    await revokeInvitation(owner.id, { invitationId: c.invitationId }, meta);
    const invitee2 = await getDb().membership.findUniqueOrThrow({ where: { projectId_userId: { projectId: project.id, userId: invitee.id } } });
    await transferOwnership(owner.id, { membershipId: invitee2.id }, meta);
    const trail = await getDb().auditEvent.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(trail.map((e) => [e.action, e.userId])).toEqual([
      ["project.created", owner.id],
      ["project.invitation_sent", owner.id],
      ["project.invitation_resent", owner.id],
      ["project.invitation_accepted", invitee.id],
      ["project.invitation_sent", owner.id],
      ["project.invitation_revoked", owner.id],
      ["project.ownership_transferred", owner.id],
    ]);
    expect(trail.every((e) => e.ip === meta.ip)).toBe(true);
    const tokens = [a.link, b.link, c.link].map(tokenOf);
    expect(tokens.some((t) => JSON.stringify(trail.map((e) => e.details)).includes(t))).toBe(false);
  });
});
