// The connections vault's data layer against a real PostgreSQL and real loopback HTTP
// servers: per-type creation, write-only secrets, role and project isolation, strict
// inputs, compare-and-swap edits, "Test connection" through the SSRF guard, and a dump
// of every table that must not contain a secret in any common encoding.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import { createConnection } from "@/lib/server/connections/create-connection";
import { openConnectionSecret, sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { deleteConnection } from "@/lib/server/connections/delete-connection";
import { getConnection } from "@/lib/server/connections/get-connection";
import { listConnections } from "@/lib/server/connections/list-connections";
import { resolveConnection } from "@/lib/server/connections/resolve-connection";
import { testConnection } from "@/lib/server/connections/test-connection";
import { updateConnection } from "@/lib/server/connections/update-connection";
import { getDb } from "@/lib/server/db";
import { createProject } from "@/lib/server/projects/create-project";
import { errorOf } from "../support/error-of";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.80", userAgent: "vitest" };
const allowLoopback = { allow: parseOutboundAllowList("127.0.0.1/32") };
const noAllowList = { allow: parseOutboundAllowList("") };
let n = 0;

const newUser = () => getDb().user.create({ data: { email: `conn-${++n}-${Date.now()}@example.com`, emailVerified: new Date() }, select: { id: true } });

async function projectWithOwner(name = "Vault") {
  const owner = await newUser();
  const project = await createProject(owner.id, { name }, meta);
  return { owner, project };
}

async function addMember(projectId: string, role: "EDITOR" | "VIEWER") {
  const user = await newUser();
  await getDb().membership.create({ data: { projectId, userId: user.id, role } });
  return user;
}

/** A distinctive secret: long enough for a hint, with characters that URL- and base64-encode visibly. */
const secretValue = (label: string) => `${label}/S3cr+t=${Math.random().toString(36).slice(2, 10)}&x y~${Date.now()}`;

const rowOf = (id: string) => getDb().connection.findUniqueOrThrow({ where: { id } });
const auditsOf = (projectId: string, action: string) =>
  getDb().auditEvent.findMany({ where: { projectId, action }, orderBy: { id: "asc" }, select: { outcome: true, details: true, userId: true } });

type Seen = { url: string; headers: http.IncomingHttpHeaders };
const servers: http.Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A loopback API that answers 200 only when `accepts` says the credential is right, echoing the request (as some APIs do). */
async function startApi(accepts: (seen: Seen) => boolean): Promise<{ url: (path: string) => string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = http.createServer((request, response) => {
    const entry = { url: request.url ?? "", headers: request.headers };
    seen.push(entry);
    response.statusCode = accepts(entry) ? 200 : 401;
    response.setHeader("content-type", "application/json");
    response.end(JSON.stringify({ echoed: entry }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: (path) => `http://127.0.0.1:${port}${path}`, seen };
}

describe("creating connections", () => {
  it("stores each type with settings, a sealed secret, a hint and the right status, and audits without secrets", async () => {
    const { owner, project } = await projectWithOwner();
    const apiKey = secretValue("api");
    const created = await createConnection(
      owner.id,
      {
        projectId: project.id,
        name: " Payments API ",
        type: "API_KEY",
        settings: { placement: "header", fieldName: "X-API-Key", testUrl: "" },
        secret: { apiKey },
      },
      meta,
    );
    expect(created).toMatchObject({ name: "Payments API", type: "API_KEY", status: "CONNECTED", secretHint: apiKey.slice(-4), provider: null, version: 1 });
    // No URL yet, so no origin: the key is sent nowhere until allowed origins are set.
    expect(created.settings).toEqual({ placement: "header", fieldName: "X-API-Key", allowedOrigins: [] });
    expect(JSON.stringify(created)).not.toContain(apiKey);
    const row = await rowOf(created.id);
    expect(row.projectId).toBe(project.id);
    expect(row.secretSealed).not.toContain(apiKey);
    expect(openConnectionSecret(row.secretSealed, project.id, created.id)).toEqual({ apiKey });

    const short = await createConnection(owner.id, { projectId: project.id, name: "Short", type: "BEARER", settings: {}, secret: { token: "abc123" } }, meta);
    expect(short.secretHint).toBeNull();

    const basic = await createConnection(
      owner.id,
      {
        projectId: project.id,
        name: "Basic",
        type: "BASIC",
        settings: { username: "ada", testUrl: "https://example.com/me" },
        secret: { password: secretValue("pw") },
      },
      meta,
    );
    expect(basic.settings).toEqual({ username: "ada", testUrl: "https://example.com/me", allowedOrigins: ["https://example.com"] });

    const github = await createConnection(
      owner.id,
      {
        projectId: project.id,
        name: "GitHub",
        type: "OAUTH2_CODE",
        settings: { provider: "github", clientId: "Iv1.abc" },
        secret: { clientSecret: secretValue("gh") },
      },
      meta,
    );
    expect(github).toMatchObject({ status: "PENDING", provider: "github" });
    expect(github.settings).toEqual({
      provider: "github",
      clientId: "Iv1.abc",
      authorizationUrl: "https://github.com/login/oauth/authorize",
      tokenUrl: "https://github.com/login/oauth/access_token",
      scopes: ["read:user", "repo"],
      // The preset's API, test and token addresses; never the authorization page (only the browser goes there).
      allowedOrigins: ["https://github.com", "https://api.github.com"],
    });

    const cc = await createConnection(
      owner.id,
      {
        projectId: project.id,
        name: "Machine",
        type: "OAUTH2_CLIENT_CREDENTIALS",
        settings: { clientId: "m2m", tokenUrl: "https://auth.example.com/token", scopes: "read write" },
        secret: { clientSecret: secretValue("cc") },
      },
      meta,
    );
    expect(cc).toMatchObject({ status: "CONNECTED", provider: null });
    expect(cc.settings.scopes).toEqual(["read", "write"]);
    expect(cc.settings.allowedOrigins).toEqual(["https://auth.example.com"]);

    const audits = await auditsOf(project.id, "connection.created");
    expect(audits.map((a) => a.details)).toEqual([
      { connectionId: created.id, name: "Payments API", type: "API_KEY" },
      { connectionId: short.id, name: "Short", type: "BEARER" },
      { connectionId: basic.id, name: "Basic", type: "BASIC" },
      { connectionId: github.id, name: "GitHub", type: "OAUTH2_CODE" },
      { connectionId: cc.id, name: "Machine", type: "OAUTH2_CLIENT_CREDENTIALS" },
    ]);
  });

  it("refuses bad settings, fixed-endpoint overrides, generic providers without endpoints and duplicate names, creating nothing", async () => {
    const { owner, project } = await projectWithOwner();
    const count = () => getDb().connection.count({ where: { projectId: project.id } });
    const base = { projectId: project.id, name: "One", type: "API_KEY" as const, secret: { apiKey: secretValue("k") } };

    const badHeader = await errorOf(createConnection(owner.id, { ...base, settings: { placement: "header", fieldName: "X-Key\r\nEvil: 1" } }, meta));
    expect(badHeader.code).toBe("BAD_INPUT");
    expect(badHeader.fieldErrors?.fieldName).toEqual(["Use letters, digits and - _ . only."]);

    const override = await errorOf(
      createConnection(
        owner.id,
        {
          ...base,
          type: "OAUTH2_CODE",
          settings: { provider: "github", clientId: "c", tokenUrl: "https://evil.example.com/token" },
          secret: { clientSecret: "s" },
        },
        meta,
      ),
    );
    expect(override.fieldErrors?.tokenUrl?.[0]).toMatch(/GitHub's endpoints are fixed/);

    const generic = await errorOf(
      createConnection(owner.id, { ...base, type: "OAUTH2_CODE", settings: { provider: "generic", clientId: "c" }, secret: { clientSecret: "s" } }, meta),
    );
    expect(Object.keys(generic.fieldErrors ?? {})).toEqual(expect.arrayContaining(["authorizationUrl", "tokenUrl"]));

    const missingKey = await errorOf(createConnection(owner.id, { ...base, settings: { placement: "header", fieldName: "X-Key" }, secret: {} }, meta));
    expect(missingKey.fieldErrors?.apiKey).toBeDefined();

    await createConnection(owner.id, { ...base, settings: { placement: "query", fieldName: "key" } }, meta);
    const duplicate = await errorOf(createConnection(owner.id, { ...base, settings: { placement: "query", fieldName: "key" } }, meta));
    expect(duplicate.code).toBe("BAD_INPUT");
    expect(duplicate.fieldErrors?.name).toEqual(["A connection with this name already exists."]);
    expect(await count()).toBe(1);
  });

  it("refuses OAuth tokens typed into a secret and unknown fields (mass assignment), storing nothing", async () => {
    const { owner, project } = await projectWithOwner();
    const withToken = await errorOf(
      createConnection(
        owner.id,
        {
          projectId: project.id,
          name: "Sneaky",
          type: "OAUTH2_CODE",
          settings: { provider: "google", clientId: "c" },
          secret: { clientSecret: "s", accessToken: "typed-token", refreshToken: "typed-refresh" },
        },
        meta,
      ),
    );
    expect(withToken.code).toBe("BAD_INPUT");
    expect(withToken.message).toMatch(/Unknown fields?: accessToken/);
    const extraTop = await errorOf(
      createConnection(
        owner.id,
        // @ts-expect-error: a status smuggled into the body
        { projectId: project.id, name: "Sneaky", type: "BEARER", settings: {}, secret: { token: "t" }, status: "CONNECTED" },
        meta,
      ),
    );
    expect(extraTop.code).toBe("BAD_INPUT");
    const extraSetting = await errorOf(
      createConnection(owner.id, { projectId: project.id, name: "Sneaky", type: "BEARER", settings: { projectId: project.id }, secret: { token: "t" } }, meta),
    );
    expect(extraSetting.code).toBe("BAD_INPUT");
    expect(await getDb().connection.count({ where: { projectId: project.id } })).toBe(0);
    expect(await auditsOf(project.id, "connection.created")).toEqual([]);
  });
});

describe("who sees and changes what", () => {
  it("gives viewers name, type and status only, and refuses them every detail and change", async () => {
    const { owner, project } = await projectWithOwner();
    const editor = await addMember(project.id, "EDITOR");
    const viewer = await addMember(project.id, "VIEWER");
    const apiKey = secretValue("view");
    const created = await createConnection(
      editor.id,
      {
        projectId: project.id,
        name: "Shared",
        type: "API_KEY",
        settings: { placement: "header", fieldName: "X-Key", testUrl: "https://example.com/" },
        secret: { apiKey },
      },
      meta,
    );

    const forOwner = await listConnections(owner.id, project.id);
    expect(forOwner.canRead).toBe(true);
    expect(forOwner.connections[0]).toMatchObject({ id: created.id, secretHint: apiKey.slice(-4), settings: { fieldName: "X-Key" } });

    const forViewer = await listConnections(viewer.id, project.id);
    expect(forViewer).toEqual({
      canRead: false,
      connections: [{ id: created.id, name: "Shared", type: "API_KEY", status: "CONNECTED", health: { state: "NOT_TESTED", checkedAt: null, detail: null } }],
    });
    expect(JSON.stringify(forViewer)).not.toContain(apiKey.slice(-4));

    expect((await errorOf(getConnection(viewer.id, project.id, created.id))).code).toBe("NOT_FOUND");
    const input = { connectionId: created.id, name: "Renamed", settings: { placement: "header", fieldName: "X-Key" } };
    expect((await errorOf(updateConnection(viewer.id, input, meta))).code).toBe("NOT_FOUND");
    expect((await errorOf(testConnection(viewer.id, { connectionId: created.id }, meta))).code).toBe("NOT_FOUND");
    expect((await errorOf(deleteConnection(viewer.id, { connectionId: created.id }, meta))).code).toBe("NOT_FOUND");
    expect(
      (await errorOf(createConnection(viewer.id, { projectId: project.id, name: "V", type: "BEARER", settings: {}, secret: { token: "t" } }, meta))).code,
    ).toBe("NOT_FOUND");
    expect((await rowOf(created.id)).name).toBe("Shared");

    const stranger = await newUser();
    expect((await errorOf(listConnections(stranger.id, project.id))).code).toBe("NOT_FOUND");
  });

  it("reads another project's connection as not found everywhere, resolve included, and changes nothing", async () => {
    const a = await projectWithOwner("A");
    const b = await projectWithOwner("B");
    const apiKey = secretValue("iso");
    const conn = await createConnection(
      a.owner.id,
      {
        projectId: a.project.id,
        name: "A's key",
        type: "API_KEY",
        settings: { placement: "header", fieldName: "X-Key", testUrl: "https://example.com/" },
        secret: { apiKey },
      },
      meta,
    );
    const before = await rowOf(conn.id);
    const foreign = b.owner.id;
    expect((await errorOf(getConnection(foreign, b.project.id, conn.id))).code).toBe("NOT_FOUND");
    expect((await errorOf(getConnection(foreign, a.project.id, conn.id))).code).toBe("NOT_FOUND");
    // The owner of A, on B's page, does not find A's connection either.
    expect((await errorOf(getConnection(a.owner.id, b.project.id, conn.id))).code).toBe("NOT_FOUND");
    const update = await errorOf(
      updateConnection(foreign, { connectionId: conn.id, name: "Taken", settings: { placement: "header", fieldName: "X-Key" } }, meta),
    );
    expect(update.code).toBe("NOT_FOUND");
    expect(update.message).toBe("Connection not found.");
    expect((await errorOf(testConnection(foreign, { connectionId: conn.id }, meta))).code).toBe("NOT_FOUND");
    expect((await errorOf(deleteConnection(foreign, { connectionId: conn.id }, meta))).code).toBe("NOT_FOUND");
    expect((await errorOf(resolveConnection(b.project.id, conn.id))).code).toBe("NOT_FOUND");
    expect((await errorOf(resolveConnection(b.project.id, "not-a-uuid"))).code).toBe("NOT_FOUND");
    expect(await rowOf(conn.id)).toEqual(before);
    expect(await auditsOf(a.project.id, "connection.tested")).toEqual([]);
    expect((await resolveConnection(a.project.id, conn.id)).secrets).toEqual([apiKey]);
  });
});

describe("editing", () => {
  it("keeps the stored secret when the field is omitted or empty, replaces it when typed, and audits field names only", async () => {
    const { owner, project } = await projectWithOwner();
    const apiKey = secretValue("keep");
    const conn = await createConnection(
      owner.id,
      { projectId: project.id, name: "Keep", type: "API_KEY", settings: { placement: "header", fieldName: "X-Key" }, secret: { apiKey } },
      meta,
    );
    const renamed = await updateConnection(
      owner.id,
      { connectionId: conn.id, name: "Kept", settings: { placement: "query", fieldName: "key" }, secret: { apiKey: "" } },
      meta,
    );
    expect(renamed).toMatchObject({ name: "Kept", version: 2, secretHint: apiKey.slice(-4), settings: { placement: "query", fieldName: "key" } });
    let row = await rowOf(conn.id);
    expect(openConnectionSecret(row.secretSealed, project.id, conn.id)).toEqual({ apiKey });

    await updateConnection(owner.id, { connectionId: conn.id, name: "Kept", settings: { placement: "query", fieldName: "key" } }, meta);
    row = await rowOf(conn.id);
    expect(openConnectionSecret(row.secretSealed, project.id, conn.id)).toEqual({ apiKey });

    const next = secretValue("next");
    const replaced = await updateConnection(
      owner.id,
      { connectionId: conn.id, name: "Kept", settings: { placement: "query", fieldName: "key" }, secret: { apiKey: next } },
      meta,
    );
    expect(replaced.secretHint).toBe(next.slice(-4));
    row = await rowOf(conn.id);
    expect(openConnectionSecret(row.secretSealed, project.id, conn.id)).toEqual({ apiKey: next });

    const audits = await auditsOf(project.id, "connection.updated");
    expect(audits.map((a) => a.details)).toEqual([
      { connectionId: conn.id, changed: ["name", "settings.fieldName", "settings.placement"] },
      { connectionId: conn.id, changed: [] },
      { connectionId: conn.id, changed: ["secret.apiKey"] },
    ]);
    expect(JSON.stringify(audits)).not.toContain(next);
  });

  it("refuses a projectId, a type or a token in the edit (mass assignment) and changes nothing", async () => {
    const { owner, project } = await projectWithOwner();
    const other = await createProject(owner.id, { name: "Other" }, meta);
    const conn = await createConnection(
      owner.id,
      {
        projectId: project.id,
        name: "Fixed",
        type: "OAUTH2_CODE",
        settings: { provider: "slack", clientId: "c" },
        secret: { clientSecret: secretValue("sl") },
      },
      meta,
    );
    const before = await rowOf(conn.id);
    const settings = { provider: "slack", clientId: "c" };
    for (const input of [
      { connectionId: conn.id, name: "Moved", settings, projectId: other.id },
      { connectionId: conn.id, name: "Moved", settings, type: "BEARER" },
      { connectionId: conn.id, name: "Moved", settings, secret: { accessToken: "typed" } },
      { connectionId: conn.id, name: "Moved", settings, secret: { refreshToken: "" } },
      { connectionId: conn.id, name: "Moved", settings: { ...settings, status: "CONNECTED" } },
    ]) {
      const error = await errorOf(updateConnection(owner.id, input as never, meta));
      expect(error.code).toBe("BAD_INPUT");
    }
    expect(await rowOf(conn.id)).toEqual(before);
    expect(await auditsOf(project.id, "connection.updated")).toEqual([]);
  });

  it("refuses a save from a stale version (compare-and-swap) and keeps the newer edit", async () => {
    const { owner, project } = await projectWithOwner();
    const editor = await addMember(project.id, "EDITOR");
    const conn = await createConnection(
      owner.id,
      { projectId: project.id, name: "Race", type: "BEARER", settings: {}, secret: { token: secretValue("t") } },
      meta,
    );
    const loaded = await getConnection(owner.id, project.id, conn.id);
    const loadedByEditor = await getConnection(editor.id, project.id, conn.id);
    await updateConnection(owner.id, { connectionId: conn.id, name: "Owner's", settings: {}, version: loaded.version }, meta);
    const stale = await errorOf(updateConnection(editor.id, { connectionId: conn.id, name: "Editor's", settings: {}, version: loadedByEditor.version }, meta));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.message).toBe("This connection was changed by someone else; reload and try again.");
    expect((await rowOf(conn.id)).name).toBe("Owner's");

    // Another writer (key rotation, a token refresh) bumps the version between the read and the swap.
    const current = await getConnection(owner.id, project.id, conn.id);
    await getDb().connection.update({ where: { id: conn.id }, data: { version: { increment: 1 } } });
    expect((await errorOf(updateConnection(owner.id, { connectionId: conn.id, name: "Late", settings: {}, version: current.version }, meta))).code).toBe(
      "CONFLICT",
    );
    expect((await rowOf(conn.id)).name).toBe("Owner's");
  });

  it("drops OAuth tokens and goes back to pending when the client or endpoints change, and keeps them otherwise", async () => {
    const { owner, project } = await projectWithOwner();
    const clientSecret = secretValue("cs");
    const conn = await createConnection(
      owner.id,
      {
        projectId: project.id,
        name: "Generic",
        type: "OAUTH2_CODE",
        settings: { provider: "generic", clientId: "c1", authorizationUrl: "https://id.example.com/auth", tokenUrl: "https://id.example.com/token" },
        secret: { clientSecret },
      },
      meta,
    );
    // What the OAuth callback stores after a sign-in.
    const tokens = { clientSecret, accessToken: secretValue("at"), refreshToken: secretValue("rt") };
    await getDb().connection.update({
      where: { id: conn.id },
      data: {
        status: "CONNECTED",
        secretSealed: sealConnectionSecret<"OAUTH2_CODE">(tokens, project.id, conn.id),
        accessTokenExpiresAt: new Date(Date.now() + 3600_000),
      },
    });
    const settings = {
      provider: "generic",
      clientId: "c1",
      authorizationUrl: "https://id.example.com/auth",
      tokenUrl: "https://id.example.com/token",
      scopes: "a b",
    };
    const kept = await updateConnection(owner.id, { connectionId: conn.id, name: "Generic 2", settings, secret: { clientSecret: "" } }, meta);
    expect(kept.status).toBe("CONNECTED");
    expect(openConnectionSecret((await rowOf(conn.id)).secretSealed, project.id, conn.id)).toEqual(tokens);

    const moved = await updateConnection(owner.id, { connectionId: conn.id, name: "Generic 2", settings: { ...settings, clientId: "c2" } }, meta);
    expect(moved.status).toBe("PENDING");
    const row = await rowOf(conn.id);
    expect(row.accessTokenExpiresAt).toBeNull();
    expect(openConnectionSecret(row.secretSealed, project.id, conn.id)).toEqual({ clientSecret });
    const pending = await errorOf(resolveConnection(project.id, conn.id));
    expect(pending.code).toBe("CONFLICT");
    expect(pending.message).toBe('The connection "Generic 2" needs to be reconnected.');
  });

  it("deletes with an audit event and reads as not found afterwards", async () => {
    const { owner, project } = await projectWithOwner();
    const conn = await createConnection(owner.id, { projectId: project.id, name: "Gone", type: "BEARER", settings: {}, secret: { token: "t" } }, meta);
    await deleteConnection(owner.id, { connectionId: conn.id }, meta);
    expect(await getDb().connection.findUnique({ where: { id: conn.id } })).toBeNull();
    expect((await auditsOf(project.id, "connection.deleted")).map((a) => a.details)).toEqual([{ connectionId: conn.id, name: "Gone", type: "BEARER" }]);
    expect((await errorOf(deleteConnection(owner.id, { connectionId: conn.id }, meta))).code).toBe("NOT_FOUND");
  });
});

describe("resolveConnection", () => {
  it("applies each credential after the mapping and lists every secret for the scrubber", async () => {
    const { owner, project } = await projectWithOwner();
    const key = secretValue("q");
    const query = await createConnection(
      owner.id,
      {
        projectId: project.id,
        name: "Q",
        type: "API_KEY",
        settings: { placement: "query", fieldName: "api_key", allowedOrigins: "https://api.example.com" },
        secret: { apiKey: key },
      },
      meta,
    );
    const resolved = await resolveConnection(project.id, query.id);
    expect(resolved).toMatchObject({ id: query.id, type: "API_KEY", name: "Q", secrets: [key] });
    const applied = resolved.apply({ url: "https://api.example.com/x?api_key=mapped&q=1", headers: {} });
    expect(new URL(applied.url).searchParams.getAll("api_key")).toEqual([key]);

    const password = secretValue("basic");
    const basic = await createConnection(
      owner.id,
      { projectId: project.id, name: "B", type: "BASIC", settings: { username: "ada", allowedOrigins: ["https://api.example.com/"] }, secret: { password } },
      meta,
    );
    const resolvedBasic = await resolveConnection(project.id, basic.id);
    expect(resolvedBasic.secrets).toEqual([password, `ada:${password}`]);
    expect(resolvedBasic.apply({ url: "https://api.example.com/", headers: { authorization: "mapped" } }).headers).toEqual({
      Authorization: `Basic ${Buffer.from(`ada:${password}`).toString("base64")}`,
    });
  });
});

describe("test connection", () => {
  it("sends each credential to the test URL and reports the status without the body, the query or a secret", async () => {
    const { owner, project } = await projectWithOwner();
    const apiKey = secretValue("hdr");
    const token = secretValue("bearer");
    const password = secretValue("basicpw");
    const queryKey = secretValue("query");
    const api = await startApi(
      (s) =>
        s.headers["x-api-key"] === apiKey ||
        s.headers.authorization === `Bearer ${token}` ||
        s.headers.authorization === `Basic ${Buffer.from(`ada:${password}`).toString("base64")}` ||
        new URL(s.url, "http://x").searchParams.get("key") === queryKey,
    );
    const make = (name: string, type: "API_KEY" | "BEARER" | "BASIC", settings: Record<string, unknown>, secret: Record<string, string>) =>
      createConnection(owner.id, { projectId: project.id, name, type, settings, secret }, meta);
    const header = await make("Header", "API_KEY", { placement: "header", fieldName: "X-API-Key", testUrl: api.url("/me?private=q-secret") }, { apiKey });
    const bearer = await make("Bearer", "BEARER", { testUrl: api.url("/me") }, { token });
    const basic = await make("Basic", "BASIC", { username: "ada", testUrl: api.url("/me") }, { password });
    const query = await make("Query", "API_KEY", { placement: "query", fieldName: "key", testUrl: api.url("/me?key=mapped") }, { apiKey: queryKey });

    for (const [conn, secret] of [
      [header, apiKey],
      [bearer, token],
      [basic, password],
      [query, queryKey],
    ] as const) {
      const result = await testConnection(owner.id, { connectionId: conn.id }, meta, { policy: allowLoopback });
      expect(result).toEqual({ ok: true, status: 200, message: "Connected: the service answered 200." });
      expect(JSON.stringify(result)).not.toContain(secret);
      const row = await rowOf(conn.id);
      expect(row.lastTestOk).toBe(true);
      expect(row.lastTestedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(api.seen).toHaveLength(4);
    expect(api.seen[0]!.url).toBe("/me?private=q-secret");
    expect(api.seen[3]!.url).toBe(`/me?${new URLSearchParams({ key: queryKey })}`);

    // A wrong key: the service answers 401 (and echoes the request, key included); the answer does neither.
    await updateConnection(
      owner.id,
      {
        connectionId: header.id,
        name: "Header",
        settings: { placement: "header", fieldName: "X-API-Key", testUrl: api.url("/me?private=q-secret") },
        secret: { apiKey: "wrong-key-0123456789" },
      },
      meta,
    );
    const refused = await testConnection(owner.id, { connectionId: header.id }, meta, { policy: allowLoopback });
    expect(refused).toEqual({ ok: false, status: 401, message: "The service answered 401 Unauthorized: check the key." });
    expect(api.seen.at(-1)!.headers["x-api-key"]).toBe("wrong-key-0123456789");
    expect((await rowOf(header.id)).lastTestOk).toBe(false);

    const tested = await auditsOf(project.id, "connection.tested");
    expect(tested.map((a) => [a.outcome, a.details])).toEqual([
      ["success", { connectionId: header.id, status: 200 }],
      ["success", { connectionId: bearer.id, status: 200 }],
      ["success", { connectionId: basic.id, status: 200 }],
      ["success", { connectionId: query.id, status: 200 }],
      ["failure", { connectionId: header.id, status: 401 }],
    ]);
  });

  it("is blocked by the SSRF guard without an allow-list, reaches nothing and audits outbound.blocked", async () => {
    const { owner, project } = await projectWithOwner();
    const api = await startApi(() => true);
    const conn = await createConnection(
      owner.id,
      { projectId: project.id, name: "Local", type: "BEARER", settings: { testUrl: api.url("/me?sig=abc") }, secret: { token: secretValue("b") } },
      meta,
    );
    const result = await testConnection(owner.id, { connectionId: conn.id }, meta, { policy: noAllowList });
    expect(result).toEqual({
      ok: false,
      status: null,
      message: "Blocked: 127.0.0.1 resolves to a private address. An administrator can allow it with OUTBOUND_ALLOW.",
    });
    expect(api.seen).toHaveLength(0);
    expect((await auditsOf(project.id, "outbound.blocked")).map((a) => [a.outcome, a.details])).toEqual([
      ["failure", { connectionId: conn.id, reason: "blocked_address", host: "127.0.0.1", range: "loopback" }],
    ]);
    expect((await auditsOf(project.id, "connection.tested")).map((a) => a.outcome)).toEqual(["failure"]);
    expect((await rowOf(conn.id)).lastTestOk).toBe(false);

    // The app's own policy (no OUTBOUND_ALLOW in the test environment) blocks it too.
    expect((await testConnection(owner.id, { connectionId: conn.id }, meta)).message).toMatch(/^Blocked: 127\.0\.0\.1/);
    expect(api.seen).toHaveLength(0);
  });

  it("asks for a test URL when there is none and reports a connection that needs reconnecting", async () => {
    const { owner, project } = await projectWithOwner();
    const conn = await createConnection(owner.id, { projectId: project.id, name: "No URL", type: "BEARER", settings: {}, secret: { token: "t" } }, meta);
    const error = await errorOf(testConnection(owner.id, { connectionId: conn.id }, meta, { policy: allowLoopback }));
    expect(error.code).toBe("BAD_INPUT");
    expect(error.message).toBe("Add a test URL to test this connection.");

    const pending = await createConnection(
      owner.id,
      { projectId: project.id, name: "Slack", type: "OAUTH2_CODE", settings: { provider: "slack", clientId: "c" }, secret: { clientSecret: "s" } },
      meta,
    );
    const result = await testConnection(owner.id, { connectionId: pending.id }, meta, { policy: allowLoopback });
    expect(result).toEqual({ ok: false, status: null, message: 'The connection "Slack" needs to be reconnected.' });
  });
});

describe("secrets at rest", () => {
  it("appear in no table in raw, base64, base64url, hex or URL-encoded form after creating every type", async () => {
    const { owner, project } = await projectWithOwner("Dump");
    const secrets = {
      apiKey: secretValue("dump-api"),
      token: secretValue("dump-bearer"),
      password: secretValue("dump-basic"),
      codeClientSecret: secretValue("dump-code"),
      ccClientSecret: secretValue("dump-cc"),
      accessToken: secretValue("dump-access"),
      refreshToken: secretValue("dump-refresh"),
    };
    const create = (name: string, type: never, settings: Record<string, unknown>, secret: Record<string, string>) =>
      createConnection(owner.id, { projectId: project.id, name, type, settings, secret }, meta);
    await create("k", "API_KEY" as never, { placement: "header", fieldName: "X-Key" }, { apiKey: secrets.apiKey });
    await create("b", "BEARER" as never, {}, { token: secrets.token });
    await create("u", "BASIC" as never, { username: "ada" }, { password: secrets.password });
    const code = await create("o", "OAUTH2_CODE" as never, { provider: "google", clientId: "g" }, { clientSecret: secrets.codeClientSecret });
    await create("c", "OAUTH2_CLIENT_CREDENTIALS" as never, { clientId: "m", tokenUrl: "https://id.example.com/t" }, { clientSecret: secrets.ccClientSecret });
    // Tokens as the OAuth callback stores them, then an edit that keeps them.
    await getDb().connection.update({
      where: { id: code.id },
      data: {
        status: "CONNECTED",
        secretSealed: sealConnectionSecret<"OAUTH2_CODE">(
          { clientSecret: secrets.codeClientSecret, accessToken: secrets.accessToken, refreshToken: secrets.refreshToken },
          project.id,
          code.id,
        ),
      },
    });
    await updateConnection(owner.id, { connectionId: code.id, name: "o2", settings: { provider: "google", clientId: "g" } }, meta);

    const tables = await getDb().$queryRawUnsafe<{ tablename: string }[]>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    expect(tables.map((t) => t.tablename)).toEqual(expect.arrayContaining(["connections", "audit_events"]));
    let dump = "";
    for (const { tablename } of tables) {
      const rows = await getDb().$queryRawUnsafe<unknown[]>(`SELECT * FROM "${tablename.replace(/"/g, '""')}"`);
      dump += JSON.stringify(rows, (_key, value: unknown) =>
        typeof value === "bigint" ? value.toString() : value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value,
      );
    }
    expect(dump).toContain(code.id); // the dump did read the connections
    for (const secret of Object.values(secrets)) {
      const bytes = Buffer.from(secret, "utf8");
      for (const form of [
        secret,
        secret.slice(0, 20),
        bytes.toString("base64"),
        bytes.toString("base64url"),
        bytes.toString("hex"),
        encodeURIComponent(secret),
        JSON.stringify(secret).slice(1, -1),
      ]) {
        expect(dump).not.toContain(form);
      }
    }
  });
});
