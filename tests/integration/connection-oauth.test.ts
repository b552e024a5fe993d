// The OAuth 2 part of the connections vault against a real OAuth 2 server on loopback
// (oauth2-mock-server: authorization code with PKCE, refresh_token, client_credentials),
// real PostgreSQL and a real SMTP sink.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { OAuth2Server } from "oauth2-mock-server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAppSecrets } from "@/lib/config/app-secrets";
import { pkceChallengeS256 } from "@/lib/connections/oauth-pkce";
import { open } from "@/lib/crypto/seal";
import { getDatabaseTarget } from "@/lib/db/registry";
import type { AppError } from "@/lib/errors";
import type { TFlowDocument } from "@/lib/flows/document";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import { openConnectionSecret, sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { completeOAuthAuthorization } from "@/lib/server/connections/oauth/complete-oauth-authorization";
import { getAccessToken } from "@/lib/server/connections/oauth/get-access-token";
import { oauthVerifierContext } from "@/lib/server/connections/oauth/oauth-state";
import { renewAccessToken } from "@/lib/server/connections/oauth/renew-access-token";
import { startOAuthAuthorization } from "@/lib/server/connections/oauth/start-oauth-authorization";
import { TokenEndpointUnavailableError } from "@/lib/server/connections/oauth/token-endpoint-error";
import { getDb } from "@/lib/server/db";
import { pruneExpiredRecords } from "@/lib/server/maintenance/prune-expired-records";
import { createProject } from "@/lib/server/projects/create-project";
import { setupMailSink } from "../support/mail-sink";
import { startOAuth2Server } from "../support/openid-provider";
import { seedFlowInProject } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

const database = setupTestDatabase();
const meta = { ip: "192.0.2.10", userAgent: "vitest" };
const policy = { allow: parseOutboundAllowList("127.0.0.1/32") };
const REDIRECT_URI = "http://127.0.0.1:1/api/connections/oauth/callback";
const CLIENT_SECRET = `client-secret-${randomBytes(12).toString("hex")}`;

type TIssued = { grant: string; status: number; body: Record<string, unknown> };

const smtp = setupMailSink("Vaultflow <vaultflow@example.com>");
let oauth: OAuth2Server;
const issued: TIssued[] = [];

beforeAll(async () => {
  oauth = await startOAuth2Server({ uniqueTokens: true });
  // Every answer of the token endpoint, after any test hook changed it (listeners run in order).
  oauth.service.on("beforeResponse", (response, req) => {
    queueMicrotask(() =>
      issued.push({ grant: String((req.body as Record<string, unknown>).grant_type), status: response.statusCode, body: { ...(response.body as object) } }),
    );
  });
});

afterAll(async () => {
  await oauth?.stop();
});

const issuer = () => oauth.issuer.url!;
const calls = (grant: string) => issued.filter((i) => i.grant === grant).length;

let n = 0;
const newUser = () =>
  getDb().user.create({ data: { email: `oauth-${++n}-${Date.now()}@example.com`, emailVerified: new Date() }, select: { id: true, email: true } });

async function projectWithOwner() {
  const owner = await newUser();
  const project = await createProject(owner.id, { name: `OAuth ${n}` }, meta);
  return { owner, projectId: project.id };
}

async function addMember(projectId: string, role: "OWNER" | "EDITOR" | "VIEWER") {
  const user = await newUser();
  await getDb().membership.create({ data: { projectId, userId: user.id, role } });
  return user;
}

async function createCodeConnection(projectId: string) {
  const id = randomUUID();
  await getDb().connection.create({
    data: {
      id,
      projectId,
      name: `Mock IdP ${id.slice(0, 8)}`,
      type: "OAUTH2_CODE",
      provider: "generic",
      settings: {
        provider: "generic",
        clientId: "vaultflow-client",
        authorizationUrl: `${issuer()}/authorize`,
        tokenUrl: `${issuer()}/token`,
        scopes: ["read", "write"],
      },
      secretSealed: sealConnectionSecret<"OAUTH2_CODE">({ clientSecret: CLIENT_SECRET }, projectId, id),
      status: "PENDING",
    },
  });
  return id;
}

async function createClientCredentialsConnection(projectId: string) {
  const id = randomUUID();
  await getDb().connection.create({
    data: {
      id,
      projectId,
      name: `Machine ${id.slice(0, 8)}`,
      type: "OAUTH2_CLIENT_CREDENTIALS",
      settings: { clientId: "machine-client", tokenUrl: `${issuer()}/token`, scopes: ["jobs"] },
      secretSealed: sealConnectionSecret<"OAUTH2_CLIENT_CREDENTIALS">({ clientSecret: CLIENT_SECRET }, projectId, id),
      status: "CONNECTED",
    },
  });
  return id;
}

/** Start, then let the provider redirect back: the callback's query string. */
async function authorize(userId: string, connectionId: string) {
  const { authorizationUrl } = await startOAuthAuthorization(userId, connectionId, { redirectUri: REDIRECT_URI });
  const response = await fetch(authorizationUrl, { redirect: "manual" });
  expect(response.status).toBe(302);
  const back = new URL(response.headers.get("location")!);
  expect(`${back.origin}${back.pathname}`).toBe(REDIRECT_URI);
  return { authorizationUrl: new URL(authorizationUrl), query: Object.fromEntries(back.searchParams) };
}

const complete = (userId: string, query: Record<string, string>) => completeOAuthAuthorization(userId, query, meta, { policy, redirectUri: REDIRECT_URI });

/** A connected authorization-code connection and the tokens the provider issued for it. */
async function connected() {
  const { owner, projectId } = await projectWithOwner();
  const connectionId = await createCodeConnection(projectId);
  const { query } = await authorize(owner.id, connectionId);
  const before = issued.length;
  expect(await complete(owner.id, query)).toEqual({ ok: true, projectId, connectionId });
  const tokens = issued.slice(before).find((i) => i.grant === "authorization_code")!.body;
  return { owner, projectId, connectionId, accessToken: String(tokens.access_token), refreshToken: String(tokens.refresh_token) };
}

const row = (id: string) => getDb().connection.findUniqueOrThrow({ where: { id } });
const secretOf = async (id: string) => {
  const r = await row(id);
  return openConnectionSecret<"OAUTH2_CODE">(r.secretSealed, r.projectId, id);
};
const expireIn = (id: string, ms: number) => getDb().connection.update({ where: { id }, data: { accessTokenExpiresAt: new Date(Date.now() + ms) } });

async function errorOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as Error,
  );
}

async function dumpDatabase(): Promise<string> {
  const client = new pg.Client({ connectionString: database.current().connectionString });
  await client.connect();
  let dump = "";
  try {
    const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
    for (const { table_name } of tables.rows) dump += JSON.stringify((await client.query(`SELECT * FROM "${table_name}"`)).rows);
  } finally {
    await client.end();
  }
  return dump;
}

function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  return [secret, bytes.toString("base64"), bytes.toString("base64url"), bytes.toString("hex"), encodeURIComponent(secret)];
}

/** An active flow with a published version whose HTTP step uses `connectionId` (or none). */
async function activeFlow(projectId: string, connectionId: string | null): Promise<string> {
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
      { id: "call", type: "step.http", name: "Call", config: { method: "GET", url: "https://api.example.com/", connectionId }, ui: { x: 0, y: 100 } },
    ],
    edges: [{ id: "e1", source: "trigger", target: "call" }],
  };
  return seedFlowInProject(projectId, document, { name: `Uses ${randomUUID().slice(0, 6)}`, isActive: true });
}

describe("authorization start", () => {
  it("stores only the state's hash, bound to user, project, connection and provider for 10 minutes, with a sealed PKCE verifier", async () => {
    const { owner, projectId } = await projectWithOwner();
    const connectionId = await createCodeConnection(projectId);
    const { authorizationUrl } = await startOAuthAuthorization(owner.id, connectionId, { redirectUri: REDIRECT_URI });
    const url = new URL(authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer()}/authorize`);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      response_type: "code",
      client_id: "vaultflow-client",
      redirect_uri: REDIRECT_URI,
      scope: "read write",
      code_challenge_method: "S256",
    });
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(params)).not.toContain(CLIENT_SECRET);

    const stateHash = createHash("sha256").update(params.state!).digest("hex");
    const rows = await getDb().oAuthState.findMany({ where: { connectionId } });
    expect(rows).toHaveLength(1);
    const state = rows[0]!;
    expect(state).toMatchObject({ stateHash, userId: owner.id, projectId, connectionId, provider: "generic" });
    const minutes = (state.expiresAt.getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(9.9);
    expect(minutes).toBeLessThanOrEqual(10);
    const verifier = open(state.verifierSealed, oauthVerifierContext(projectId, stateHash), getAppSecrets().encryptionKeys);
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(pkceChallengeS256(verifier)).toBe(params.code_challenge);
    const dump = await dumpDatabase();
    expect(dump).not.toContain(params.state);
    expect(dump).not.toContain(verifier);
  });

  it("answers not found to viewers, outsiders and missing ids, and creates no state", async () => {
    const { projectId } = await projectWithOwner();
    const connectionId = await createCodeConnection(projectId);
    const viewer = await addMember(projectId, "VIEWER");
    const editor = await addMember(projectId, "EDITOR");
    const outsider = await newUser();
    for (const [userId, id] of [
      [viewer.id, connectionId],
      [outsider.id, connectionId],
      [editor.id, randomUUID()],
      [editor.id, "not-a-uuid"],
    ] as const) {
      const error = (await errorOf(startOAuthAuthorization(userId, id, { redirectUri: REDIRECT_URI }))) as AppError;
      expect([error.code, error.message]).toEqual(["NOT_FOUND", "Connection not found."]);
    }
    expect(await getDb().oAuthState.count({ where: { connectionId } })).toBe(0);
    await startOAuthAuthorization(editor.id, connectionId, { redirectUri: REDIRECT_URI });
    expect(await getDb().oAuthState.count({ where: { connectionId } })).toBe(1);
  });
});

describe("callback", () => {
  it("exchanges the code with PKCE, seals the tokens, marks the connection connected and audits it", async () => {
    const { owner, projectId, connectionId, accessToken, refreshToken } = await connected();
    const stored = await row(connectionId);
    expect(stored.status).toBe("CONNECTED");
    expect(stored.statusReason).toBeNull();
    const seconds = (stored.accessTokenExpiresAt!.getTime() - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(3500);
    expect(seconds).toBeLessThanOrEqual(3600);
    expect(await secretOf(connectionId)).toEqual({ clientSecret: CLIENT_SECRET, accessToken, refreshToken });
    expect(await getDb().oAuthState.count({ where: { connectionId } })).toBe(0);
    const audit = await getDb().auditEvent.findMany({ where: { projectId, action: { startsWith: "connection." } }, orderBy: { id: "asc" } });
    // The start is audited too (this test starts without request metadata).
    expect(audit.map((e) => [e.action, e.userId, e.ip])).toEqual([
      ["connection.oauth_started", owner.id, null],
      ["connection.authorized", owner.id, meta.ip],
    ]);
    expect(audit[0]!.details).toMatchObject({ connectionId, provider: "generic", authorizationOrigin: new URL(issuer()).origin });
    expect(audit[1]!.details).toMatchObject({ connectionId, provider: "generic" });

    const dump = await dumpDatabase();
    for (const secret of [accessToken, refreshToken, CLIENT_SECRET]) {
      for (const form of encodedForms(secret)) expect(dump).not.toContain(form);
    }
  });

  it("refuses forged, expired, replayed and another user's state, and a provider error, storing nothing", async () => {
    const { owner, projectId } = await projectWithOwner();
    const editor = await addMember(projectId, "EDITOR");
    const connectionId = await createCodeConnection(projectId);
    const before = await row(connectionId);
    const tokenCalls = issued.length;
    const unchanged = async () => {
      const now = await row(connectionId);
      expect([now.status, now.version, now.secretSealed, now.accessTokenExpiresAt]).toEqual([before.status, before.version, before.secretSealed, null]);
    };

    // Forged: a well-formed state nobody issued.
    const forged = await complete(owner.id, { state: randomBytes(32).toString("base64url"), code: "anything" });
    expect(forged).toEqual({ ok: false, message: expect.stringMatching(/not valid/) });
    await unchanged();

    // Another user's state (an editor of the same project): refused, and not used up.
    const { query } = await authorize(owner.id, connectionId);
    expect(await complete(editor.id, query)).toEqual({ ok: false, message: expect.any(String) });
    await unchanged();
    expect(await getDb().oAuthState.count({ where: { connectionId } })).toBe(1);

    // Expired.
    await getDb().oAuthState.updateMany({ where: { connectionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await complete(owner.id, query);
    expect(expired).toMatchObject({ ok: false, projectId, message: expect.stringMatching(/expired/) });
    await unchanged();

    // The provider refused (the person pressed "Deny"): the state is used up, nothing stored.
    const denied = await authorize(owner.id, connectionId);
    expect(await complete(owner.id, { state: denied.query.state!, error: "access_denied" })).toMatchObject({ ok: false, projectId });
    expect(await complete(owner.id, denied.query)).toMatchObject({ ok: false });
    await unchanged();
    expect(issued.length).toBe(tokenCalls);

    // Replayed: the first use connects, the second finds nothing.
    const fresh = await authorize(owner.id, connectionId);
    expect(await complete(owner.id, fresh.query)).toMatchObject({ ok: true });
    const connectedRow = await row(connectionId);
    const calls = issued.length;
    expect(await complete(owner.id, fresh.query)).toEqual({ ok: false, message: expect.stringMatching(/not valid|already used/) });
    expect(issued.length).toBe(calls);
    expect((await row(connectionId)).version).toBe(connectedRow.version);
    const audit = await getDb().auditEvent.count({ where: { projectId, action: "connection.authorized" } });
    expect(audit).toBe(1);
  });

  it("stores nothing when the token endpoint refuses the code", async () => {
    const { owner, projectId } = await projectWithOwner();
    const connectionId = await createCodeConnection(projectId);
    const before = await row(connectionId);
    const { query } = await authorize(owner.id, connectionId);
    oauth.service.once("beforeResponse", (response) => {
      response.statusCode = 400;
      response.body = { error: "invalid_grant" };
    });
    const outcome = await complete(owner.id, query);
    expect(outcome).toMatchObject({ ok: false, projectId, message: expect.stringContaining("invalid_grant") });
    const after = await row(connectionId);
    expect([after.status, after.version, after.secretSealed]).toEqual(["PENDING", before.version, before.secretSealed]);
    expect(await getDb().auditEvent.count({ where: { projectId, action: { startsWith: "connection." }, NOT: { action: "connection.oauth_started" } } })).toBe(
      0,
    );
  });
});

describe("getAccessToken", () => {
  it("returns the stored token while it is good for more than 5 minutes, and renews it within 5 minutes of expiry", async () => {
    const { connectionId, accessToken } = await connected();
    await expireIn(connectionId, 10 * 60_000);
    const before = calls("refresh_token");
    expect(await getAccessToken(connectionId, { policy })).toBe(accessToken);
    expect(calls("refresh_token")).toBe(before);

    await expireIn(connectionId, 60_000);
    const renewed = await getAccessToken(connectionId, { policy });
    expect(calls("refresh_token")).toBe(before + 1);
    const answer = issued.filter((i) => i.grant === "refresh_token").at(-1)!.body;
    expect(renewed).toBe(answer.access_token);
    expect(renewed).not.toBe(accessToken);
    // The provider rotated the refresh token: the new one is stored with the new access token.
    expect(await secretOf(connectionId)).toEqual({ clientSecret: CLIENT_SECRET, accessToken: renewed, refreshToken: answer.refresh_token });
    expect((await row(connectionId)).accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    expect(await getAccessToken(connectionId, { policy })).toBe(renewed);
    expect(calls("refresh_token")).toBe(before + 1);
  });

  it("renews once for 10 parallel callers with an expired token", async () => {
    const { connectionId } = await connected();
    await expireIn(connectionId, -60_000);
    const before = calls("refresh_token");
    const tokens = await Promise.all(Array.from({ length: 10 }, () => getAccessToken(connectionId, { policy })));
    expect(calls("refresh_token")).toBe(before + 1);
    expect(new Set(tokens).size).toBe(1);
    expect((await secretOf(connectionId)).accessToken).toBe(tokens[0]);
  });

  it("renews a token that has not expired when forced (after a 401)", async () => {
    const { connectionId, accessToken } = await connected();
    const before = calls("refresh_token");
    const renewed = await getAccessToken(connectionId, { policy, forceRefresh: true });
    expect(renewed).not.toBe(accessToken);
    expect(calls("refresh_token")).toBe(before + 1);
  });

  it.skipIf(getDatabaseTargetSafe()?.embedded !== false)(
    "renews once across workers: renewals that bypass the in-process single-flight wait for the row lock and reuse the token",
    async () => {
      const { connectionId } = await connected();
      await expireIn(connectionId, -60_000);
      const { version } = await row(connectionId);
      const before = calls("refresh_token");
      const tokens = await Promise.all(Array.from({ length: 5 }, () => renewAccessToken(connectionId, version, { policy })));
      expect(calls("refresh_token")).toBe(before + 1);
      expect(new Set(tokens).size).toBe(1);
    },
  );

  it("marks the connection for reconnection when the provider refuses the refresh token, audits it and mails every owner", async () => {
    const { owner, projectId, connectionId, refreshToken } = await connected();
    const secondOwner = await addMember(projectId, "OWNER");
    const editor = await addMember(projectId, "EDITOR");
    // Two active flows: one whose live version calls the connection, one that does not.
    const usesIt = await activeFlow(projectId, connectionId);
    const other = await activeFlow(projectId, null);
    await expireIn(connectionId, -60_000);
    const sealedBefore = (await row(connectionId)).secretSealed;
    oauth.service.once("beforeResponse", (response) => {
      response.statusCode = 400;
      response.body = { error: "invalid_grant", error_description: "Token has been revoked" };
    });
    const error = (await errorOf(getAccessToken(connectionId, { policy, mailer: smtp.mailer }))) as AppError;
    const name = (await row(connectionId)).name;
    expect([error.code, error.message]).toEqual(["CONFLICT", `The connection "${name}" needs to be reconnected.`]);

    const after = await row(connectionId);
    expect(after.status).toBe("NEEDS_RECONNECT");
    expect(after.statusReason).toBe("The provider refused to renew access (invalid_grant). Reconnect to continue.");
    expect(after.secretSealed).toBe(sealedBefore);
    const audit = await getDb().auditEvent.findMany({ where: { projectId, action: "connection.refresh_failed" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: "failure", userId: null });
    expect(audit[0]!.details).toMatchObject({ connectionId, error: "invalid_grant" });
    expect(JSON.stringify(audit[0]!.details)).not.toContain(refreshToken);
    // The flow that uses it is switched off (its triggers stop); the other keeps running.
    const flows = await getDb().flow.findMany({ where: { id: { in: [usesIt, other] } }, select: { id: true, isActive: true } });
    expect(Object.fromEntries(flows.map((f) => [f.id, f.isActive]))).toEqual({ [usesIt]: false, [other]: true });
    expect(await getDb().auditEvent.count({ where: { projectId, action: "flow.deactivated" } })).toBe(1);

    for (const to of [owner.email, secondOwner.email]) {
      const mail = await smtp.sink.waitForMail((m) => m.recipients.includes(to));
      expect(mail.subject).toBe("A Vaultflow connection needs to be reconnected");
      expect(mail.text).toContain(`/projects/${projectId}/connections/${connectionId}`);
      expect(mail.text).toContain(name);
      for (const secret of [refreshToken, CLIENT_SECRET]) expect(mail.raw).not.toContain(secret);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.sink.messages.filter((m) => m.recipients.includes(editor.email))).toHaveLength(0);

    // Further uses fail at once, without asking the provider again or mailing again.
    const tokenCalls = issued.length;
    const mails = smtp.sink.messages.length;
    expect(((await errorOf(getAccessToken(connectionId, { policy, mailer: smtp.mailer }))) as AppError).code).toBe("CONFLICT");
    expect(issued.length).toBe(tokenCalls);
    expect(smtp.sink.messages.length).toBe(mails);

    // Reconnecting makes it usable again and is audited as such.
    const { query } = await authorize(owner.id, connectionId);
    expect(await complete(owner.id, query)).toMatchObject({ ok: true });
    const reconnected = await row(connectionId);
    expect([reconnected.status, reconnected.statusReason]).toEqual(["CONNECTED", null]);
    expect(await getDb().auditEvent.count({ where: { projectId, action: "connection.reconnected" } })).toBe(1);
    expect(await getAccessToken(connectionId, { policy })).toBe((await secretOf(connectionId)).accessToken);
  });

  it("throws a retryable error and changes nothing when the token endpoint fails with a server error", async () => {
    const { projectId, connectionId } = await connected();
    await expireIn(connectionId, -60_000);
    const before = await row(connectionId);
    oauth.service.once("beforeResponse", (response) => {
      response.statusCode = 503;
      response.body = { error: "temporarily_unavailable" };
    });
    const error = await errorOf(getAccessToken(connectionId, { policy, mailer: smtp.mailer }));
    expect(error).toBeInstanceOf(TokenEndpointUnavailableError);
    expect((error as TokenEndpointUnavailableError).isRetryable).toBe(true);
    expect(error.message).not.toContain("/token");
    const after = await row(connectionId);
    expect([after.status, after.version, after.secretSealed]).toEqual(["CONNECTED", before.version, before.secretSealed]);
    expect(await getDb().auditEvent.count({ where: { projectId, action: "connection.refresh_failed" } })).toBe(0);
    // The next use renews normally.
    expect(await getAccessToken(connectionId, { policy })).not.toBe((await secretOf(connectionId)).refreshToken);
    expect((await row(connectionId)).version).toBe(before.version + 1);
  });

  it("refuses a connection that was never authorized, and ids that are not OAuth connections", async () => {
    const { projectId } = await projectWithOwner();
    const pending = await createCodeConnection(projectId);
    expect(((await errorOf(getAccessToken(pending, { policy }))) as AppError).code).toBe("CONFLICT");
    expect(((await errorOf(getAccessToken(randomUUID(), { policy }))) as AppError).code).toBe("NOT_FOUND");
  });

  it("caches a client-credentials token, sealed, and fetches a new one ahead of expiry", async () => {
    const { projectId } = await projectWithOwner();
    const connectionId = await createClientCredentialsConnection(projectId);
    const before = calls("client_credentials");
    const first = await getAccessToken(connectionId, { policy });
    const second = await getAccessToken(connectionId, { policy });
    expect(second).toBe(first);
    expect(calls("client_credentials")).toBe(before + 1);
    expect(await secretOf(connectionId)).toEqual({ clientSecret: CLIENT_SECRET, accessToken: first });
    expect((await row(connectionId)).accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 3500_000);
    const dump = await dumpDatabase();
    for (const form of encodedForms(first)) expect(dump).not.toContain(form);

    await expireIn(connectionId, 4 * 60_000);
    const third = await getAccessToken(connectionId, { policy });
    expect(third).not.toBe(first);
    expect(calls("client_credentials")).toBe(before + 2);
  });
});

describe("pruning", () => {
  it("deletes expired authorization states and keeps live ones", async () => {
    const { owner, projectId } = await projectWithOwner();
    const connectionId = await createCodeConnection(projectId);
    await startOAuthAuthorization(owner.id, connectionId, { redirectUri: REDIRECT_URI });
    await startOAuthAuthorization(owner.id, connectionId, { redirectUri: REDIRECT_URI });
    const [old] = await getDb().oAuthState.findMany({ where: { connectionId } });
    await getDb().oAuthState.update({ where: { stateHash: old!.stateHash }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const result = await pruneExpiredRecords(365);
    expect(result.oauthStates).toBeGreaterThanOrEqual(1);
    const left = await getDb().oAuthState.findMany({ where: { connectionId } });
    expect(left).toHaveLength(1);
    expect(left[0]!.stateHash).not.toBe(old!.stateHash);
  });
});

/** The database registered by setupTestDatabase, read when vitest collects the tests. */
function getDatabaseTargetSafe() {
  // Collection runs before beforeAll registers the database; TEST_DATABASE_URL tells the kind.
  try {
    return getDatabaseTarget();
  } catch {
    return { embedded: !process.env.TEST_DATABASE_URL };
  }
}
