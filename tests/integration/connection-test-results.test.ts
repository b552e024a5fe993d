// What a connection's status claims, against a real PostgreSQL, real loopback HTTP APIs
// and a real OAuth 2 server (oauth2-mock-server): "Connected" only after a check passed,
// "Test failed" with a safe reason, "Not tested" again after the secret or the settings
// change, and a stored reason that never carries a secret or an upstream body.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes, randomUUID } from "node:crypto";
import type { OAuth2Server } from "oauth2-mock-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_TEST_MESSAGE_LENGTH, NO_TEST_URL_DETAIL } from "@/lib/connections/connection-health";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { createConnection } from "@/lib/server/connections/create-connection";
import { getConnection } from "@/lib/server/connections/get-connection";
import { listConnections } from "@/lib/server/connections/list-connections";
import { completeOAuthAuthorization, OAUTH_AUTHORIZED_MESSAGE } from "@/lib/server/connections/oauth/complete-oauth-authorization";
import { renewAccessToken } from "@/lib/server/connections/oauth/renew-access-token";
import { startOAuthAuthorization } from "@/lib/server/connections/oauth/start-oauth-authorization";
import { storableTestMessage, testConnection } from "@/lib/server/connections/test-connection";
import { updateConnection } from "@/lib/server/connections/update-connection";
import { getDb } from "@/lib/server/db";
import { createProject } from "@/lib/server/projects/create-project";
import { startOAuth2Server } from "../support/openid-provider";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.81", userAgent: "vitest" };
const policy = { allow: parseOutboundAllowList("127.0.0.1/32") };
const REDIRECT_URI = "http://127.0.0.1:1/api/connections/oauth/callback";
let n = 0;

const newUser = () => getDb().user.create({ data: { email: `health-${++n}-${Date.now()}@example.com`, emailVerified: new Date() }, select: { id: true } });

async function projectWithMembers() {
  const owner = await newUser();
  const project = await createProject(owner.id, { name: `Health ${n}` }, meta);
  const viewer = await newUser();
  await getDb().membership.create({ data: { projectId: project.id, userId: viewer.id, role: "VIEWER" } });
  return { owner, viewer, project };
}

const secretValue = (label: string) => `${label}-${randomBytes(12).toString("hex")}`;
const rowOf = (id: string) => getDb().connection.findUniqueOrThrow({ where: { id } });

type THandler = (request: http.IncomingMessage, response: http.ServerResponse) => void | Promise<void>;
const servers: http.Server[] = [];
let oauth: OAuth2Server;

beforeAll(async () => {
  oauth = await startOAuth2Server({ uniqueTokens: true });
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await oauth?.stop();
});

/** A loopback HTTP API; `handle` decides each answer. */
async function startApi(handle: THandler): Promise<{ url: (path: string) => string; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((request, response) => {
    hits += 1;
    void Promise.resolve(handle(request, response)).catch(() => response.destroy());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: (path) => `http://127.0.0.1:${port}${path}`, hits: () => hits };
}

/** Answers 200 to the right key and 401 otherwise. */
const keyChecker =
  (key: () => string): THandler =>
  (request, response) => {
    response.statusCode = request.headers["x-api-key"] === key() ? 200 : 401;
    response.end("{}");
  };

const apiKeySettings = (testUrl?: string) => ({ placement: "header", fieldName: "X-API-Key", ...(testUrl ? { testUrl } : {}) });

describe("the status of an API-key connection", () => {
  it("is Not tested when saved, Connected with its time after a passing test, Test failed with a safe reason after a 401, and Not tested again after the secret changes", async () => {
    const { owner, viewer, project } = await projectWithMembers();
    let goodKey = secretValue("good");
    const api = await startApi(keyChecker(() => goodKey));
    const created = await createConnection(
      owner.id,
      { projectId: project.id, name: "Billing", type: "API_KEY", settings: apiKeySettings(api.url("/me")), secret: { apiKey: goodKey } },
      meta,
    );
    // Saved is not checked: nothing was sent anywhere yet.
    expect(created.health).toEqual({ state: "NOT_TESTED", checkedAt: null, detail: null });
    expect(api.hits()).toBe(0);
    const viewed = await listConnections(viewer.id, project.id);
    expect(viewed.connections).toEqual([{ id: created.id, name: "Billing", type: "API_KEY", status: "CONNECTED", health: created.health }]);

    const before = Date.now();
    expect(await testConnection(owner.id, { connectionId: created.id }, meta, { policy })).toEqual({
      ok: true,
      status: 200,
      message: "Connected: the service answered 200.",
    });
    const passed = await getConnection(owner.id, project.id, created.id);
    expect(passed.health.state).toBe("CONNECTED");
    expect(passed.health.detail).toBeNull();
    expect(Date.parse(passed.health.checkedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(passed.health.checkedAt!)).toBeLessThanOrEqual(Date.now());
    expect(passed.lastTestMessage).toBe("Connected: the service answered 200.");
    // A test changes nothing the edit form holds: its version stays, so a save after it is no conflict.
    expect(passed.version).toBe(created.version);
    // Viewers see the state and its time, not the reason.
    const forViewer = (await listConnections(viewer.id, project.id)).connections[0]!;
    expect(forViewer.health).toEqual({ state: "CONNECTED", checkedAt: passed.health.checkedAt, detail: null });
    expect(forViewer).not.toHaveProperty("lastTestMessage");

    // A rename changes nothing that was tested.
    await updateConnection(owner.id, { connectionId: created.id, name: "Billing API", settings: apiKeySettings(api.url("/me")) }, meta);
    expect((await getConnection(owner.id, project.id, created.id)).health.state).toBe("CONNECTED");

    // The service stops accepting the key: 401, a failed test with the reason and its time.
    goodKey = secretValue("rotated");
    expect(await testConnection(owner.id, { connectionId: created.id }, meta, { policy })).toEqual({
      ok: false,
      status: 401,
      message: "The service answered 401 Unauthorized: check the key.",
    });
    const failed = await getConnection(owner.id, project.id, created.id);
    expect(failed.health).toMatchObject({ state: "TEST_FAILED", detail: "The service answered 401 Unauthorized: check the key." });
    expect(Date.parse(failed.health.checkedAt!)).toBeGreaterThanOrEqual(Date.parse(passed.health.checkedAt!));
    const failedForViewer = (await listConnections(viewer.id, project.id)).connections[0]!;
    expect(failedForViewer.health).toEqual({ state: "TEST_FAILED", checkedAt: failed.health.checkedAt, detail: null });

    // A new key: whatever the last test said was about the old one.
    await updateConnection(
      owner.id,
      { connectionId: created.id, name: "Billing API", settings: apiKeySettings(api.url("/me")), secret: { apiKey: goodKey } },
      meta,
    );
    const rekeyed = await rowOf(created.id);
    expect([rekeyed.lastTestedAt, rekeyed.lastTestOk, rekeyed.lastTestMessage]).toEqual([null, null, null]);
    expect((await getConnection(owner.id, project.id, created.id)).health).toEqual({ state: "NOT_TESTED", checkedAt: null, detail: null });

    // Tested again, then a setting that shapes the request changes (the header name): Not tested again.
    expect((await testConnection(owner.id, { connectionId: created.id }, meta, { policy })).ok).toBe(true);
    await updateConnection(
      owner.id,
      { connectionId: created.id, name: "Billing API", settings: { ...apiKeySettings(api.url("/me")), fieldName: "X-Other-Key" } },
      meta,
    );
    expect((await getConnection(owner.id, project.id, created.id)).health.state).toBe("NOT_TESTED");
  });

  it("says it cannot be tested without a test address, and gets it back once one is set", async () => {
    const { owner, project } = await projectWithMembers();
    const apiKey = secretValue("k");
    const api = await startApi(keyChecker(() => apiKey));
    const created = await createConnection(
      owner.id,
      { projectId: project.id, name: "No address", type: "API_KEY", settings: apiKeySettings(), secret: { apiKey } },
      meta,
    );
    expect(created.health).toEqual({ state: "NOT_TESTED", checkedAt: null, detail: NO_TEST_URL_DETAIL });
    expect((await testConnection(owner.id, { connectionId: created.id }, meta, { policy }).catch((error: Error) => error)).message).toBe(
      "Add a test URL to test this connection.",
    );
    expect((await rowOf(created.id)).lastTestedAt).toBeNull();

    // Setting the address widens where the key may go, so the key is typed again.
    const updated = await updateConnection(
      owner.id,
      { connectionId: created.id, name: "No address", settings: apiKeySettings(api.url("/ping")), secret: { apiKey } },
      meta,
    );
    expect(updated.health).toEqual({ state: "NOT_TESTED", checkedAt: null, detail: null });
    expect((await testConnection(owner.id, { connectionId: created.id }, meta, { policy })).ok).toBe(true);
    expect((await getConnection(owner.id, project.id, created.id)).health.state).toBe("CONNECTED");
  });

  it("does not let a test that started before an edit vouch for the edited connection", async () => {
    const { owner, project } = await projectWithMembers();
    const oldKey = secretValue("old");
    const newKey = secretValue("new");
    let connectionId = "";
    // The edit lands while the service is answering the test (made with the old key).
    const api = await startApi(async (request, response) => {
      await updateConnection(owner.id, { connectionId, name: "Racy", settings: apiKeySettings(testUrl), secret: { apiKey: newKey } }, meta);
      response.statusCode = request.headers["x-api-key"] === oldKey ? 200 : 401;
      response.end("{}");
    });
    const testUrl = api.url("/me");
    connectionId = (
      await createConnection(
        owner.id,
        { projectId: project.id, name: "Racy", type: "API_KEY", settings: apiKeySettings(testUrl), secret: { apiKey: oldKey } },
        meta,
      )
    ).id;
    const result = await testConnection(owner.id, { connectionId }, meta, { policy });
    expect(result.ok).toBe(true);
    // The old key passed, but the connection now holds the new one, which nothing checked.
    expect((await getConnection(owner.id, project.id, connectionId)).health.state).toBe("NOT_TESTED");
  });
});

describe("the stored reason, written as the attacker", () => {
  it("never holds the secret or the body when the service echoes the credential in a long error page", async () => {
    const { owner, project } = await projectWithMembers();
    const token = secretValue("echoed");
    const page = `<!doctype html><html><body><h1>Internal error</h1><pre>Authorization: Bearer ${token}</pre>${"<p>trace</p>".repeat(4000)}</body></html>`;
    const api = await startApi((request, response) => {
      response.statusCode = 500;
      response.setHeader("content-type", "text/html");
      response.end(page.replace(token, String(request.headers.authorization ?? "").slice("Bearer ".length)));
    });
    const created = await createConnection(
      owner.id,
      { projectId: project.id, name: "Echo", type: "BEARER", settings: { testUrl: api.url("/boom?token=in-the-query") }, secret: { token } },
      meta,
    );
    const result = await testConnection(owner.id, { connectionId: created.id }, meta, { policy });
    expect(result).toEqual({ ok: false, status: 500, message: "The service answered 500 Internal Server Error." });
    const row = await rowOf(created.id);
    expect(row.lastTestOk).toBe(false);
    expect(row.lastTestMessage).toBe("The service answered 500 Internal Server Error.");
    const dto = await getConnection(owner.id, project.id, created.id);
    // The DTO carries the test URL itself (the editor typed it); the reason must not repeat it.
    for (const text of [row.lastTestMessage!, JSON.stringify(dto.health)]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(Buffer.from(token).toString("base64"));
      expect(text).not.toContain("<html");
      expect(text).not.toContain("in-the-query");
    }
    expect(JSON.stringify(dto)).not.toContain(token);
  });

  it("scrubs the connection's own secret out of a reason that quotes what a person typed, and caps its length", async () => {
    const { owner, project } = await projectWithMembers();
    const clientSecret = secretValue("cs");
    // A hostile or careless editor names the connection after its own client secret; the
    // "needs to be reconnected" reason quotes the name.
    const created = await createConnection(
      owner.id,
      {
        projectId: project.id,
        name: clientSecret,
        type: "OAUTH2_CODE",
        settings: { provider: "github", clientId: "gh-client" },
        secret: { clientSecret },
      },
      meta,
    );
    const result = await testConnection(owner.id, { connectionId: created.id }, meta, { policy });
    expect(result.ok).toBe(false);
    expect(result.message).not.toContain(clientSecret);
    expect(result.message).toMatch(/^The connection ".+" needs to be reconnected\.$/);
    const row = await rowOf(created.id);
    expect(row.lastTestMessage).toBe(result.message);
    expect(row.lastTestMessage).not.toContain(clientSecret);

    const long = storableTestMessage(`Could not reach ${"a".repeat(5000)} ${clientSecret}`, [clientSecret]);
    expect(Array.from(long)).toHaveLength(MAX_TEST_MESSAGE_LENGTH);
    expect(long.endsWith("…")).toBe(true);
    const scrubbed = storableTestMessage(`x ${clientSecret} y`, [clientSecret]);
    expect(scrubbed).not.toContain(clientSecret);
    expect(scrubbed.startsWith("x ")).toBe(true);
  });
});

describe("the status of an authorization-code connection", () => {
  async function pendingConnection(projectId: string) {
    const id = randomUUID();
    await getDb().connection.create({
      data: {
        id,
        projectId,
        name: `IdP ${id.slice(0, 8)}`,
        type: "OAUTH2_CODE",
        provider: "generic",
        settings: {
          provider: "generic",
          clientId: "vaultflow-client",
          authorizationUrl: `${oauth.issuer.url}/authorize`,
          tokenUrl: `${oauth.issuer.url}/token`,
          scopes: ["read"],
        },
        secretSealed: sealConnectionSecret<"OAUTH2_CODE">({ clientSecret: "client-secret-value-123" }, projectId, id),
        status: "PENDING",
      },
    });
    return id;
  }

  it("is Not connected yet before the sign-in, Connected by the token exchange, and a refresh leaves the last check as it was", async () => {
    const { owner, project } = await projectWithMembers();
    const connectionId = await pendingConnection(project.id);
    expect((await getConnection(owner.id, project.id, connectionId)).health.state).toBe("PENDING");

    const { authorizationUrl } = await startOAuthAuthorization(owner.id, connectionId, { redirectUri: REDIRECT_URI });
    const back = new URL((await fetch(authorizationUrl, { redirect: "manual" })).headers.get("location")!);
    const before = Date.now();
    const outcome = await completeOAuthAuthorization(owner.id, Object.fromEntries(back.searchParams), meta, { policy, redirectUri: REDIRECT_URI });
    expect(outcome).toEqual({ ok: true, projectId: project.id, connectionId });
    const authorized = await getConnection(owner.id, project.id, connectionId);
    expect(authorized.health.state).toBe("CONNECTED");
    expect(Date.parse(authorized.health.checkedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(authorized.lastTestMessage).toBe(OAUTH_AUTHORIZED_MESSAGE);

    // A refresh (as a run does it) is not a check: the time of the last check stays.
    const renewed = await renewAccessToken(connectionId, (await rowOf(connectionId)).version, { policy, forceRefresh: true });
    expect(renewed.length).toBeGreaterThan(10);
    const afterRefresh = await rowOf(connectionId);
    expect(afterRefresh.version).toBeGreaterThan(authorized.version);
    expect(afterRefresh.lastTestedAt!.toISOString()).toBe(authorized.health.checkedAt);
  });
});
