import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { ZProjectAuditFilters } from "@/lib/projects/audit-schemas";
import { logFiltersFromSearchParams } from "@/lib/projects/log-filter-schemas";
import { listProjectAuditEvents } from "@/lib/server/audit/list-project-audit-events";
import { recordAuditEvent } from "@/lib/server/audit/record-audit-event";
import { getDb } from "@/lib/server/db";
import { createFlow } from "@/lib/server/flows/create-flow";
import { deleteFlow } from "@/lib/server/flows/delete-flow";
import { renameFlow } from "@/lib/server/flows/rename-flow";
import { changeMemberRole } from "@/lib/server/members/change-member-role";
import { createProject } from "@/lib/server/projects/create-project";
import { renameProject } from "@/lib/server/projects/rename-project";
import { errorOf } from "../support/error-of";
import { createTeamProject } from "../support/project-team";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.77", userAgent: "vitest-audit" };
let n = 0;
const newUser = (name?: string) =>
  getDb().user.create({
    data: { email: `audit-${++n}@example.com`, name: name ?? null },
    select: { id: true, email: true, name: true },
  });

describe("project audit log", () => {
  it("is readable by owners only; everyone else reads 'not found'", async () => {
    const owner = await newUser("Olive Owner");
    const editor = await newUser();
    const viewer = await newUser();
    const outsider = await newUser();
    const { project } = await createTeamProject({ owner, editor, viewer, outsider }, "Payroll", meta);

    const page = await listProjectAuditEvents(owner.id, project.id);
    expect(page.nextCursor).toBeNull();
    expect(page.events).toEqual([
      {
        id: expect.stringMatching(/^[1-9]\d*$/),
        at: expect.any(Date),
        action: "project.created",
        outcome: "success",
        userId: owner.id,
        actor: { id: owner.id, email: owner.email, name: "Olive Owner" },
        subject: null,
        ip: "192.0.2.77",
        userAgent: "vitest-audit",
        details: { name: "Payroll" },
        by: { kind: "person", name: "Olive Owner", email: owner.email },
        refs: {},
      },
    ]);

    for (const user of [editor, viewer, outsider]) {
      const error = await errorOf(listProjectAuditEvents(user.id, project.id));
      expect(error).toBeInstanceOf(AppError);
      expect([error.code, error.message]).toEqual(["NOT_FOUND", "Project not found."]);
    }
    const missing = await errorOf(listProjectAuditEvents(owner.id, "00000000-0000-4000-8000-000000000000"));
    expect(missing.code).toBe("NOT_FOUND");
  });

  it("never shows another project's events, nor account events", async () => {
    const owner = await newUser();
    const mine = await createProject(owner.id, { name: "Mine" }, meta);
    const other = await createProject(owner.id, { name: "Other" }, meta);
    await renameProject(owner.id, { projectId: other.id, name: "Other renamed" }, meta);
    await recordAuditEvent({ action: "auth.sign_in", userId: owner.id, meta });

    const { events } = await listProjectAuditEvents(owner.id, mine.id);
    expect(events.map((event) => [event.action, event.details])).toEqual([["project.created", { name: "Mine" }]]);
    const otherEvents = await listProjectAuditEvents(owner.id, other.id);
    expect(otherEvents.events.map((event) => event.action)).toEqual(["project.renamed", "project.created"]);
  });

  it("filters by action, actor email and date range", async () => {
    const owner = await newUser();
    const coOwner = await newUser();
    const project = await createProject(owner.id, { name: "Filters" }, meta);
    await getDb().membership.create({ data: { projectId: project.id, userId: coOwner.id, role: "OWNER" } });
    await renameProject(owner.id, { projectId: project.id, name: "Filters 2" }, meta);
    await renameProject(coOwner.id, { projectId: project.id, name: "Filters 3" }, meta);
    // Place the events on known days: created 1 March, renames 2 and 3 March (UTC).
    const ids = (await getDb().auditEvent.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } })).map((event) => event.id);
    expect(ids).toHaveLength(3);
    const days = ["2025-03-01T10:00:00.000Z", "2025-03-02T23:59:59.500Z", "2025-03-03T00:00:00.000Z"];
    for (const [index, id] of ids.entries()) {
      await getDb().auditEvent.update({ where: { id }, data: { at: new Date(days[index]!) } });
    }
    const actions = async (filters: Parameters<typeof listProjectAuditEvents>[2]) =>
      (await listProjectAuditEvents(owner.id, project.id, filters)).events.map((event) => [event.action, event.actor?.email]);

    expect(await actions({ action: "project.renamed" })).toEqual([
      ["project.renamed", coOwner.email],
      ["project.renamed", owner.email],
    ]);
    expect(await actions({ actorEmail: ` ${coOwner.email.toUpperCase()} ` })).toEqual([["project.renamed", coOwner.email]]);
    expect(await actions({ actorEmail: owner.email, action: "project.created" })).toEqual([["project.created", owner.email]]);
    expect(await actions({ actorEmail: "nobody@example.com" })).toEqual([]);
    // A bare day as `to` covers that whole day; `from` starts at its midnight.
    expect(await actions({ from: "2025-03-02", to: "2025-03-02" })).toEqual([["project.renamed", owner.email]]);
    expect(await actions({ from: "2025-03-02" })).toEqual([
      ["project.renamed", coOwner.email],
      ["project.renamed", owner.email],
    ]);
    expect(await actions({ to: "2025-03-01" })).toEqual([["project.created", owner.email]]);
    expect(await actions({ from: "2025-03-03T00:00:00Z", to: "2025-03-03T00:00:00Z" })).toEqual([["project.renamed", coOwner.email]]);

    const bad = await errorOf(listProjectAuditEvents(owner.id, project.id, { action: "auth.sign_in" }));
    expect(bad.code).toBe("BAD_INPUT");
    expect(bad.fieldErrors?.action).toBeDefined();
    const reversed = await errorOf(listProjectAuditEvents(owner.id, project.id, { from: "2025-03-03", to: "2025-03-01" }));
    expect(reversed.fieldErrors?.to).toBeDefined();
    // Authorization comes before input: a non-owner learns nothing from bad filters either.
    const outsider = await newUser();
    expect((await errorOf(listProjectAuditEvents(outsider.id, project.id, { action: "nope" as "project.created" }))).code).toBe("NOT_FOUND");
  });

  it("names the flows and members its events point at, and what was deleted by the name it had", async () => {
    const owner = await newUser("Olive Owner");
    const sam = await newUser("Sam Smith");
    const project = await createProject(owner.id, { name: "Names" }, meta);
    const membership = await getDb().membership.create({ data: { projectId: project.id, userId: sam.id, role: "VIEWER" }, select: { id: true } });
    const kept = await createFlow(owner.id, { projectId: project.id, name: "Orders", description: "" }, meta);
    await renameFlow(owner.id, { flowId: kept.id, name: "Order sync", description: "" }, meta);
    const gone = await createFlow(owner.id, { projectId: project.id, name: "Scratch", description: "" }, meta);
    await deleteFlow(owner.id, { flowId: gone.id }, meta);
    // An event of another kind naming the deleted flow stores no name of its own.
    await recordAuditEvent({ action: "flow.activated", userId: owner.id, projectId: project.id, meta, details: { flowId: gone.id } });
    await changeMemberRole(owner.id, { membershipId: membership.id, role: "EDITOR" }, meta);

    const { events } = await listProjectAuditEvents(owner.id, project.id);
    expect(events.map((event) => [event.action, event.by, event.refs])).toEqual([
      [
        "project.role_changed",
        { kind: "person", name: "Olive Owner", email: owner.email },
        { member: { id: sam.id, name: "Sam Smith", email: sam.email, exists: true } },
      ],
      ["flow.activated", expect.anything(), { flow: { id: gone.id, name: null, exists: false } }],
      ["flow.deleted", expect.anything(), { flow: { id: gone.id, name: "Scratch", exists: false } }],
      ["flow.created", expect.anything(), { flow: { id: gone.id, name: "Scratch", exists: false } }],
      // The flow still exists: its current name, whatever the event stored.
      ["flow.renamed", expect.anything(), { flow: { id: kept.id, name: "Order sync", exists: true } }],
      ["flow.created", expect.anything(), { flow: { id: kept.id, name: "Order sync", exists: true } }],
      ["project.created", expect.anything(), {}],
    ]);

    // A member deleted since reads as a deleted user, not by id; an event with no user is Vaultflow's.
    await getDb().user.delete({ where: { id: sam.id } });
    await recordAuditEvent({ action: "billing.payment_failed", outcome: "failure", projectId: project.id, details: { attempt: 1, graceEndsAt: null } });
    const after = await listProjectAuditEvents(owner.id, project.id, { limit: 3 });
    expect(after.events.map((event) => [event.action, event.by, event.refs])).toEqual([
      ["billing.payment_failed", { kind: "system" }, {}],
      ["project.role_changed", expect.anything(), { member: { id: sam.id, name: null, email: null, exists: false } }],
      ["flow.activated", expect.anything(), expect.anything()],
    ]);
  });

  it("never resolves an id that belongs to another project, and never shows that project's events", async () => {
    const owner = await newUser();
    const stranger = await newUser("Sly Stranger");
    const mine = await createProject(owner.id, { name: "Mine" }, meta);
    const theirs = await createProject(stranger.id, { name: "Theirs" }, meta);
    const secretFlow = await createFlow(stranger.id, { projectId: theirs.id, name: "Their secret flow", description: "" }, meta);
    // An event of this project naming the other project's flow (ids are not secret, names are).
    await recordAuditEvent({ action: "run.cancelled", userId: owner.id, projectId: mine.id, meta, details: { flowId: secretFlow.id, runId: secretFlow.id } });

    const { events } = await listProjectAuditEvents(owner.id, mine.id);
    expect(events.map((event) => [event.action, event.refs])).toEqual([
      ["run.cancelled", { flow: { id: secretFlow.id, name: null, exists: false }, run: { id: secretFlow.id, name: null, exists: false } }],
      ["project.created", {}],
    ]);
    expect(JSON.stringify(events)).not.toContain("Their secret flow");
    expect(JSON.stringify(events)).not.toContain(stranger.email);
    // The stranger's own log is theirs alone, and to the owner it does not exist.
    expect((await errorOf(listProjectAuditEvents(owner.id, theirs.id))).code).toBe("NOT_FOUND");
    const theirEvents = await listProjectAuditEvents(stranger.id, theirs.id);
    expect(theirEvents.events.map((event) => event.action)).toEqual(["flow.created", "project.created"]);
  });

  it("pages with a keyset cursor: 50, 50, 20, newest first, no duplicates", async () => {
    const owner = await newUser();
    const project = await createProject(owner.id, { name: "Busy" }, meta);
    await getDb().auditEvent.deleteMany({ where: { projectId: project.id } });
    for (let i = 0; i < 120; i++) {
      await recordAuditEvent({ action: "project.renamed", userId: owner.id, projectId: project.id, meta, details: { seq: i } });
    }

    const pages: Awaited<ReturnType<typeof listProjectAuditEvents>>[] = [];
    let cursor: string | undefined;
    do {
      const page = await listProjectAuditEvents(owner.id, project.id, { cursor });
      pages.push(page);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && pages.length < 10);

    expect(pages.map((page) => page.events.length)).toEqual([50, 50, 20]);
    expect(pages.at(-1)?.nextCursor).toBeNull();
    const seqs = pages.flatMap((page) => page.events.map((event) => (event.details as { seq: number }).seq));
    expect(seqs).toEqual(Array.from({ length: 120 }, (_, i) => 119 - i));
    const ids = pages.flatMap((page) => page.events.map((event) => BigInt(event.id)));
    expect(new Set(ids).size).toBe(120);
    expect(ids.every((id, i) => i === 0 || id < ids[i - 1]!)).toBe(true);
    expect(pages[0]!.nextCursor).toBe(pages[0]!.events[49]!.id);

    const small = await listProjectAuditEvents(owner.id, project.id, { limit: 7 });
    expect(small.events).toHaveLength(7);
    expect((await errorOf(listProjectAuditEvents(owner.id, project.id, { limit: 101 }))).code).toBe("BAD_INPUT");
    for (const cursor of ["0", "-5", "12abc", "1.5", "99999999999999999999"]) {
      expect((await errorOf(listProjectAuditEvents(owner.id, project.id, { cursor }))).code).toBe("BAD_INPUT");
    }
  });

  it("shows a deleted actor as null while keeping the stored user id", async () => {
    const owner = await newUser();
    const leaver = await newUser("Lee Leaver");
    const project = await createProject(owner.id, { name: "Turnover" }, meta);
    await getDb().membership.create({ data: { projectId: project.id, userId: leaver.id, role: "OWNER" } });
    await renameProject(leaver.id, { projectId: project.id, name: "Turnover 2" }, meta);
    await getDb().user.delete({ where: { id: leaver.id } });

    const { events } = await listProjectAuditEvents(owner.id, project.id);
    expect(events.map((event) => [event.action, event.userId, event.actor])).toEqual([
      ["project.renamed", leaver.id, null],
      ["project.created", owner.id, { id: owner.id, email: owner.email, name: null }],
    ]);
  });

  it("reads query strings strictly: empty fields are no filter, unknown ones an error", () => {
    const parse = (params: Record<string, string | string[]>) => ZProjectAuditFilters.safeParse(logFiltersFromSearchParams(params));
    const empty = parse({ action: "", actorEmail: "", from: "", to: "" });
    expect(empty.success && empty.data).toEqual({ limit: 50 });
    expect(parse({ role: "OWNER" }).success).toBe(false);
    expect(parse({ action: ["project.created", "project.renamed"] }).success).toBe(false);
    expect(parse({ from: "yesterday" }).success).toBe(false);
    expect(parse({ from: "2025-02-30" }).success).toBe(false);
    expect(parse({ actorEmail: "not an email" }).success).toBe(false);
    const full = parse({ action: "project.deleted", from: "2025-01-01", to: "2025-01-31", cursor: "42" });
    expect(full.success && full.data).toEqual({
      action: "project.deleted",
      from: new Date("2025-01-01T00:00:00.000Z"),
      to: new Date("2025-01-31T23:59:59.999Z"),
      cursor: "42",
      limit: 50,
    });
  });
});
