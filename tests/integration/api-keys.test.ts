// Project API keys against a real PostgreSQL: made and shown once (only a digest
// kept), listed without secrets, refused at once when revoked or expired, scoped,
// rate limited per key, managed by owners and editors only, and kept out of every
// people-facing list.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiKeyInvalidError, ApiRateLimitedError, ApiScopeMissingError, INVALID_API_KEY_MESSAGE } from "@/lib/api-keys/errors";
import { formatApiKey, isWellFormedApiKey } from "@/lib/api-keys/key-format";
import type { TApiScope } from "@/lib/api-keys/scopes";
import { getDb } from "@/lib/server/db";
import { hashApiKey } from "@/lib/server/api-keys/api-key-token";
import { authenticateApiKey } from "@/lib/server/api-keys/authenticate-api-key";
import { createApiKey } from "@/lib/server/api-keys/create-api-key";
import { listApiKeys } from "@/lib/server/api-keys/list-api-keys";
import { revokeApiKey } from "@/lib/server/api-keys/revoke-api-key";
import { changeMemberRole } from "@/lib/server/members/change-member-role";
import { listMembers } from "@/lib/server/members/list-members";
import { removeMember } from "@/lib/server/members/remove-member";
import { transferOwnership } from "@/lib/server/members/transfer-ownership";
import { createProject } from "@/lib/server/projects/create-project";
import { deleteProject } from "@/lib/server/projects/delete-project";
import { listProjects } from "@/lib/server/projects/list-projects";
import { pruneExpiredRecords } from "@/lib/server/maintenance/prune-expired-records";
import { listProjectAuditEvents } from "@/lib/server/audit/list-project-audit-events";
import { errorOf } from "../support/error-of";
import { setupTestDatabase } from "../support/setup-test-database";

// A small per-key limit, set before lib/env.ts first reads the environment (it caches).
vi.hoisted(() => {
  process.env.API_RATE_PER_KEY = "8";
});

setupTestDatabase();
const meta = { ip: "192.0.2.61", userAgent: "vitest" };
let n = 0;

const newUser = (name = "Person") =>
  getDb().user.create({
    data: { email: `api-key-person-${++n}-${Date.now()}@example.com`, name, emailVerified: new Date() },
    select: { id: true, email: true },
  });

async function projectWithOwner() {
  const owner = await newUser("Olive Owner");
  const project = await createProject(owner.id, { name: `Keys ${n}` }, meta);
  return { owner, project };
}

async function addMember(projectId: string, role: "EDITOR" | "VIEWER") {
  const user = await newUser(role === "EDITOR" ? "Ed Editor" : "Vi Viewer");
  await getDb().membership.create({ data: { projectId, userId: user.id, role } });
  return user;
}

const bearer = (key: string, extra: Record<string, string> = {}) =>
  new Request("http://vaultflow.test/api/v1/flows", { headers: { authorization: `Bearer ${key}`, ...extra } });

async function madeKey(scopes: TApiScope[] = ["flows:read", "runs:read"]) {
  const { owner, project } = await projectWithOwner();
  const created = await createApiKey(owner.id, project.id, { name: "CI deploy", scopes }, meta);
  return { owner, project, created };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("creating a key", () => {
  it("returns the key once, stores only its SHA-256, and makes a service user in this project only", async () => {
    const { owner, project, created } = await madeKey(["flows:read", "flows:run"]);
    expect(created.key).toMatch(/^vf_[0-9A-Za-z]{49}$/);
    expect(isWellFormedApiKey(created.key)).toBe(true);
    expect(created.prefix).toBe(created.key.slice(0, 9));
    expect(created.scopes).toEqual(["flows:read", "flows:run"]);

    const row = await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(hashApiKey(created.key));
    expect(row.createdById).toBe(owner.id);
    const serviceUser = await getDb().user.findUniqueOrThrow({ where: { id: row.userId }, include: { memberships: true } });
    expect(serviceUser.kind).toBe("API_KEY");
    expect(serviceUser.passwordHash).toBeNull();
    expect(serviceUser.email).toBe(`api-key-${created.id}@keys.vaultflow.invalid`);
    // A write scope makes it an editor; of this project and no other.
    expect(serviceUser.memberships.map((m) => [m.projectId, m.role])).toEqual([[project.id, "EDITOR"]]);

    // No part of the key (any 12 characters after the display prefix) in any text of the rows it wrote.
    const rows = await Promise.all([
      getDb().apiKey.findMany({ where: { projectId: project.id } }),
      getDb().user.findMany({ where: { id: { in: [owner.id, row.userId] } } }),
      getDb().auditEvent.findMany({ where: { projectId: project.id } }),
      getDb().membership.findMany({ where: { projectId: project.id } }),
    ]);
    const stored = JSON.stringify(rows, (_k, value: unknown) => (typeof value === "bigint" ? String(value) : value));
    const secret = created.key.slice(3);
    for (let i = 6; i + 12 <= secret.length; i += 1) expect(stored).not.toContain(secret.slice(i, i + 12));
    expect(stored).not.toContain(created.key);

    const audit = rows[2].find((event) => event.action === "api_key.created");
    expect(audit).toMatchObject({ userId: owner.id, ip: meta.ip, details: { keyId: created.id, name: "CI deploy", scopes: ["flows:read", "flows:run"] } });
  });

  it("makes a read-only key a viewer, and computes expiry from days or a date", async () => {
    const { owner, project } = await projectWithOwner();
    const inDays = await createApiKey(owner.id, project.id, { name: "Reader", scopes: ["runs:read"], expiresInDays: 30 }, meta);
    const days = (inDays.expiresAt!.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    const row = await getDb().apiKey.findUniqueOrThrow({ where: { id: inDays.id }, select: { user: { select: { memberships: { select: { role: true } } } } } });
    expect(row.user.memberships).toEqual([{ role: "VIEWER" }]);

    const at = new Date(Date.now() + 10 * 86_400_000);
    const dated = await createApiKey(owner.id, project.id, { name: "Dated", scopes: ["flows:read"], expiresAt: at }, meta);
    expect(dated.expiresAt?.getTime()).toBe(at.getTime());
  });

  it("refuses bad input: no scope, an unknown or repeated scope, a past date, more than a year, extra fields", async () => {
    const { owner, project } = await projectWithOwner();
    const bad = [
      { name: "x", scopes: [] },
      { name: "x", scopes: ["flows:delete"] },
      { name: "x", scopes: ["flows:read", "flows:read"] },
      { name: "", scopes: ["flows:read"] },
      { name: "x".repeat(101), scopes: ["flows:read"] },
      { name: "x", scopes: ["flows:read"], expiresAt: new Date(Date.now() - 1000) },
      { name: "x", scopes: ["flows:read"], expiresAt: new Date(Date.now() + 400 * 86_400_000) },
      { name: "x", scopes: ["flows:read"], expiresInDays: 7 },
      { name: "x", scopes: ["flows:read"], projectId: project.id },
    ];
    for (const input of bad) expect((await errorOf(createApiKey(owner.id, project.id, input as never, meta))).code).toBe("BAD_INPUT");
    expect(await getDb().apiKey.count({ where: { projectId: project.id } })).toBe(0);
  });

  it("is for owners and editors of the project: a viewer or an outsider gets not found and nothing is written", async () => {
    const { project } = await projectWithOwner();
    const editor = await addMember(project.id, "EDITOR");
    const viewer = await addMember(project.id, "VIEWER");
    const outsider = (await projectWithOwner()).owner;
    expect((await createApiKey(editor.id, project.id, { name: "By editor", scopes: ["flows:read"] }, meta)).key).toMatch(/^vf_/);
    for (const user of [viewer, outsider]) {
      const error = await errorOf(createApiKey(user.id, project.id, { name: "Nope", scopes: ["flows:read"] }, meta));
      expect(error.code).toBe("NOT_FOUND");
    }
    expect(await getDb().apiKey.count({ where: { projectId: project.id } })).toBe(1);
    expect(await getDb().user.count({ where: { kind: "API_KEY", memberships: { some: { projectId: project.id } } } })).toBe(1);
  });

  it("cannot be done by a key's own service user (keys do not make keys)", async () => {
    const { project, created } = await madeKey(["flows:run"]);
    const { userId } = await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id }, select: { userId: true } });
    expect((await errorOf(createApiKey(userId, project.id, { name: "Child", scopes: ["flows:read"] }, meta))).code).toBe("NOT_FOUND");
  });
});

describe("listing keys", () => {
  it("shows name, prefix, scopes, maker, dates and status, never the hash or the key", async () => {
    const { owner, project, created } = await madeKey();
    const second = await createApiKey(owner.id, project.id, { name: "Nightly export", scopes: ["runs:read"] }, meta);
    await revokeApiKey(owner.id, { keyId: second.id }, meta);
    const keys = await listApiKeys(owner.id, project.id);
    expect(keys.map((key) => [key.name, key.status])).toEqual([
      ["Nightly export", "revoked"],
      ["CI deploy", "active"],
    ]);
    expect(keys[1]).toMatchObject({
      id: created.id,
      prefix: created.prefix,
      scopes: ["flows:read", "runs:read"],
      createdBy: { name: "Olive Owner", email: owner.email },
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    const text = JSON.stringify(keys);
    const { tokenHash } = await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id }, select: { tokenHash: true } });
    expect(text).not.toContain(tokenHash);
    expect(text).not.toContain(created.key);
    expect(Object.keys(keys[0]!)).not.toContain("tokenHash");
    expect(Object.keys(keys[0]!)).not.toContain("userId");
  });

  it("is not for viewers or other projects' owners", async () => {
    const { project } = await madeKey();
    const viewer = await addMember(project.id, "VIEWER");
    const outsider = (await projectWithOwner()).owner;
    for (const user of [viewer, outsider]) expect((await errorOf(listApiKeys(user.id, project.id))).code).toBe("NOT_FOUND");
  });

  it("keeps a key working and listed after its maker leaves the project (the key belongs to the project)", async () => {
    const { owner, project } = await projectWithOwner();
    const editor = await addMember(project.id, "EDITOR");
    const made = await createApiKey(editor.id, project.id, { name: "Editor's key", scopes: ["flows:read"] }, meta);
    const membership = await getDb().membership.findUniqueOrThrow({ where: { projectId_userId: { projectId: project.id, userId: editor.id } } });
    await removeMember(owner.id, { membershipId: membership.id }, meta);
    await expect(authenticateApiKey(bearer(made.key), "flows:read")).resolves.toMatchObject({ keyId: made.id });
    const [listed] = await listApiKeys(owner.id, project.id);
    expect(listed).toMatchObject({ id: made.id, status: "active", createdBy: { email: editor.email } });
  });
});

describe("authenticating a request", () => {
  it("accepts the key with its scope and names its key, project and service user", async () => {
    const { project, created } = await madeKey();
    const row = await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id } });
    const actor = await authenticateApiKey(bearer(created.key), "runs:read");
    expect(actor).toEqual({ keyId: created.id, projectId: project.id, userId: row.userId, scopes: ["flows:read", "runs:read"] });
    // The scheme is case-insensitive (RFC 7235).
    const lower = new Request("http://vaultflow.test/x", { headers: { authorization: `bearer ${created.key}` } });
    await expect(authenticateApiKey(lower, "flows:read")).resolves.toMatchObject({ keyId: created.id });
  });

  it("refuses a revoked key at once, and its service user loses its membership", async () => {
    const { owner, project, created } = await madeKey();
    await authenticateApiKey(bearer(created.key), "flows:read");
    await revokeApiKey(owner.id, { keyId: created.id }, meta);
    const error = await errorOf(authenticateApiKey(bearer(created.key), "flows:read"));
    expect(error).toBeInstanceOf(ApiKeyInvalidError);
    expect([error.code, error.message, (error as ApiKeyInvalidError).status]).toEqual(["UNAUTHENTICATED", INVALID_API_KEY_MESSAGE, 401]);
    const row = await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.revokedAt).not.toBeNull();
    expect(await getDb().membership.count({ where: { userId: row.userId } })).toBe(0);
    const audit = await getDb().auditEvent.findMany({ where: { projectId: project.id, action: "api_key.revoked" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: owner.id, details: { keyId: created.id, name: "CI deploy" } });
    // Revoking again changes nothing and records nothing.
    await revokeApiKey(owner.id, { keyId: created.id }, meta);
    expect(await getDb().auditEvent.count({ where: { projectId: project.id, action: "api_key.revoked" } })).toBe(1);
  });

  it("refuses a key from the moment it expires", async () => {
    const { created } = await madeKey();
    await getDb().apiKey.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() + 60_000) } });
    await expect(authenticateApiKey(bearer(created.key), "flows:read")).resolves.toMatchObject({ keyId: created.id });
    await getDb().apiKey.update({ where: { id: created.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const error = await errorOf(authenticateApiKey(bearer(created.key), "flows:read"));
    expect([error.code, error.message]).toEqual(["UNAUTHENTICATED", INVALID_API_KEY_MESSAGE]);
  });

  it("answers a key without the scope with 403 naming the scope", async () => {
    const { created } = await madeKey(["runs:read"]);
    const error = await errorOf(authenticateApiKey(bearer(created.key), "flows:run"));
    expect(error).toBeInstanceOf(ApiScopeMissingError);
    expect((error as ApiScopeMissingError).status).toBe(403);
    expect(error.message).toContain('"flows:run"');
  });

  it("refuses missing, malformed, unknown and misplaced keys alike, with one message", async () => {
    const { created } = await madeKey();
    const wellFormedUnknown = formatApiKey(new Uint8Array(32).fill(7));
    // The right characters with one changed: its checksum no longer matches.
    const typo = created.key.slice(0, 20) + (created.key[20] === "A" ? "B" : "A") + created.key.slice(21);
    const requests = [
      new Request("http://vaultflow.test/api/v1/flows"),
      new Request(`http://vaultflow.test/api/v1/flows?api_key=${created.key}&access_token=${created.key}`),
      new Request("http://vaultflow.test/api/v1/flows", { headers: { "x-api-key": created.key } }),
      new Request("http://vaultflow.test/api/v1/flows", { headers: { authorization: created.key } }),
      new Request("http://vaultflow.test/api/v1/flows", { headers: { authorization: `Basic ${btoa(`${created.key}:`)}` } }),
      new Request("http://vaultflow.test/api/v1/flows", { headers: { authorization: `Bearer ${created.key} extra` } }),
      bearer(wellFormedUnknown),
      bearer(typo),
      bearer(`${created.key}x`),
      bearer("vf_short"),
    ];
    for (const request of requests) {
      const error = await errorOf(authenticateApiKey(request, "flows:read"));
      expect(error).toBeInstanceOf(ApiKeyInvalidError);
      expect(error.message).toBe(INVALID_API_KEY_MESSAGE);
    }
    expect(isWellFormedApiKey(wellFormedUnknown)).toBe(true);
    expect(isWellFormedApiKey(typo)).toBe(false);
  });

  it("writes lastUsedAt at most once a minute", async () => {
    const { created } = await madeKey();
    const lastUsed = async () => (await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id }, select: { lastUsedAt: true } })).lastUsedAt;
    await authenticateApiKey(bearer(created.key), "flows:read");
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await authenticateApiKey(bearer(created.key), "flows:read");
    await authenticateApiKey(bearer(created.key), "runs:read");
    expect((await lastUsed())?.getTime()).toBe(first!.getTime());
    // A minute later (moved back in the row, not by waiting) the next use is written.
    const earlier = new Date(first!.getTime() - 61_000);
    await getDb().apiKey.update({ where: { id: created.id }, data: { lastUsedAt: earlier } });
    await authenticateApiKey(bearer(created.key), "flows:read");
    expect((await lastUsed())!.getTime()).toBeGreaterThan(first!.getTime() - 1);
  });

  it("answers 429 with the wait once a key spends API_RATE_PER_KEY requests in a minute, other keys unaffected", async () => {
    const { owner, project, created } = await madeKey();
    const other = await createApiKey(owner.id, project.id, { name: "Other", scopes: ["flows:read"] }, meta);
    for (let i = 0; i < 8; i += 1) await authenticateApiKey(bearer(created.key), "flows:read");
    const error = await errorOf(authenticateApiKey(bearer(created.key), "flows:read"));
    expect(error).toBeInstanceOf(ApiRateLimitedError);
    expect((error as ApiRateLimitedError).status).toBe(429);
    const wait = (error as ApiRateLimitedError).retryAfterSeconds;
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    await expect(authenticateApiKey(bearer(other.key), "flows:read")).resolves.toMatchObject({ keyId: other.id });
  });
});

describe("revoking a key", () => {
  it("is refused for viewers and other projects' owners, as not found, leaving the key working", async () => {
    const { project, created } = await madeKey();
    const viewer = await addMember(project.id, "VIEWER");
    const outsider = (await projectWithOwner()).owner;
    for (const user of [viewer, outsider]) expect((await errorOf(revokeApiKey(user.id, { keyId: created.id }, meta))).code).toBe("NOT_FOUND");
    await expect(authenticateApiKey(bearer(created.key), "flows:read")).resolves.toMatchObject({ keyId: created.id });
    expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id } })).revokedAt).toBeNull();
  });

  it("is allowed to an editor who did not make the key", async () => {
    const { project, created } = await madeKey();
    const editor = await addMember(project.id, "EDITOR");
    await revokeApiKey(editor.id, { keyId: created.id }, meta);
    expect((await errorOf(authenticateApiKey(bearer(created.key), "flows:read"))).code).toBe("UNAUTHENTICATED");
  });
});

describe("service users stay out of people's places", () => {
  it("are not in the members list, and member management cannot act on them", async () => {
    const { owner, project, created } = await madeKey(["flows:run"]);
    const { members } = await listMembers(owner.id, project.id);
    expect(members.map((m) => m.email)).toEqual([owner.email]);
    const membership = await getDb().membership.findFirstOrThrow({ where: { projectId: project.id, user: { kind: "API_KEY" } } });
    // One at a time: each attempt starts only after the previous one was refused.
    for (const attempt of [
      () => changeMemberRole(owner.id, { membershipId: membership.id, role: "VIEWER" }, meta),
      () => removeMember(owner.id, { membershipId: membership.id }, meta),
      () => transferOwnership(owner.id, { membershipId: membership.id }, meta),
    ]) {
      expect((await errorOf(attempt())).code).toBe("NOT_FOUND");
    }
    const after = await getDb().membership.findUniqueOrThrow({ where: { id: membership.id } });
    expect(after.role).toBe("EDITOR");
    await expect(authenticateApiKey(bearer(created.key), "flows:run")).resolves.toMatchObject({ keyId: created.id });
  });

  it("appear in the audit log as the key by name, not by their synthetic address", async () => {
    const { owner, project, created } = await madeKey(["flows:run"]);
    const { userId } = await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id }, select: { userId: true } });
    await getDb().auditEvent.create({ data: { action: "run.started", userId, projectId: project.id, details: { via: "api" } } });
    const { events } = await listProjectAuditEvents(owner.id, project.id);
    const byKey = events.find((event) => event.action === "run.started");
    expect(byKey?.actor).toEqual({ id: userId, email: 'API key "CI deploy"', name: null, apiKeyId: created.id });
    expect(JSON.stringify(events)).not.toContain("keys.vaultflow.invalid");
    const byOwner = events.find((event) => event.action === "api_key.created");
    expect(byOwner?.actor).toEqual({ id: owner.id, email: owner.email, name: "Olive Owner" });
  });
});

describe("service users in people's views", () => {
  it("are not counted as members in the project list", async () => {
    const { owner, project } = await madeKey();
    await createApiKey(owner.id, project.id, { name: "Second", scopes: ["runs:write"] }, meta);
    await addMember(project.id, "VIEWER");
    const listed = (await listProjects(owner.id)).find((p) => p.id === project.id);
    // The owner and the viewer: two people, two keys not counted.
    expect(listed?.memberCount).toBe(2);
  });

  it("go with their project when it is deleted", async () => {
    const { owner, project, created } = await madeKey();
    const serviceUserId = (await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id }, select: { userId: true } })).userId;
    await deleteProject(owner.id, { projectId: project.id, confirmName: project.name }, meta);
    expect(await getDb().user.findUnique({ where: { id: serviceUserId } })).toBeNull();
    expect(await getDb().user.findUnique({ where: { id: owner.id } })).not.toBeNull();
  });
});

describe("idempotency keys of API-started runs", () => {
  it("are pruned past their 24-hour window, recent ones kept", async () => {
    const { created } = await madeKey(["flows:run"]);
    const now = new Date();
    const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 60 * 60 * 1000);
    const runId = "00000000-0000-4000-8000-000000000002";
    await getDb().apiRunRequest.createMany({
      data: [
        { apiKeyId: created.id, idempotencyKey: "old-1", runId, createdAt: hoursAgo(25) },
        { apiKeyId: created.id, idempotencyKey: "old-2", runId, createdAt: hoursAgo(24 * 30) },
        { apiKeyId: created.id, idempotencyKey: "recent", runId, createdAt: hoursAgo(23) },
      ],
    });
    const pruned = await pruneExpiredRecords(365, now);
    expect(pruned.apiRunRequests).toBeGreaterThanOrEqual(2);
    const left = await getDb().apiRunRequest.findMany({ where: { apiKeyId: created.id }, select: { idempotencyKey: true } });
    expect(left.map((row) => row.idempotencyKey)).toEqual(["recent"]);
  });
});
