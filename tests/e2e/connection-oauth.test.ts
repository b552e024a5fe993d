// The OAuth routes over real HTTP: the app's own server (allowed to reach loopback for
// the token call), a real OAuth 2 server on loopback (oauth2-mock-server), and people
// signed in through next-auth. Start (a server action: a POST checked against the page's
// origin, never a link) answers the provider's address with a fresh state; the fixed
// callback connects once; forged, replayed and foreign states get a 400 page and store
// nothing.
import { randomBytes, randomUUID } from "node:crypto";
import type { OAuth2Server } from "oauth2-mock-server";
import type pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { queryAppDatabase, type AppServer } from "../support/app-server";
import { startOAuth2Server } from "../support/openid-provider";
import { HttpClient, readActionManifest } from "./support/http-client";
import { dataOf, signUpOverHttp } from "./support/http-flows";
import { setupCleanups, startMailSink, startOwnServer } from "./support/own-server";

const CLIENT_SECRET = `e2e-client-secret-${randomBytes(8).toString("hex")}`;

const cleanups = setupCleanups();
let app: AppServer;
let oauth: OAuth2Server;
const tokenAnswers: Record<string, unknown>[] = [];

beforeAll(async () => {
  oauth = await startOAuth2Server();
  cleanups.add(() => oauth.stop());
  oauth.service.on("beforeResponse", (response) => {
    queueMicrotask(() => tokenAnswers.push({ ...(response.body as object) }));
  });
  const sink = await startMailSink(cleanups);
  app = await startOwnServer(cleanups, "vaultflow-e2e-oauth-", { OUTBOUND_ALLOW: "127.0.0.1/32", TRUST_PROXY: "true", SMTP_URL: sink.url });
});

const manifest = readActionManifest();
function actionId(key: string): string {
  const entry = manifest.get(key);
  if (!entry) throw new Error(`${key} is not in the build's action manifest`);
  return entry.id;
}

let ip = 0;
async function newUser(label: string): Promise<HttpClient> {
  return (await signUpOverHttp(app.url, `10.77.0.${++ip}`, label)).client;
}

const query = <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> => queryAppDatabase<T>(app.dataDir, sql, values);

async function dumpDatabase(): Promise<string> {
  let dump = "";
  for (const { table_name } of await query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
    dump += JSON.stringify(await query(`SELECT * FROM "${table_name}"`));
  }
  return dump;
}

/** An owner with a project and a pending authorization-code connection to the mock provider. */
async function fixture() {
  const owner = await newUser("owner");
  const project = dataOf<{ id: string }>(
    await owner.callAction(actionId("app/projects/actions.ts#createProjectAction"), "/projects", { name: `OAuth ${randomUUID().slice(0, 6)}` }),
  );
  const issuer = oauth.issuer.url!;
  const connection = dataOf<{ id: string; status: string }>(
    await owner.callAction(actionId("app/projects/[projectId]/connections/actions.ts#createConnectionAction"), `/projects/${project.id}/connections/new`, {
      projectId: project.id,
      name: `Mock provider ${randomUUID().slice(0, 6)}`,
      type: "OAUTH2_CODE",
      settings: { provider: "generic", clientId: "vaultflow-e2e", authorizationUrl: `${issuer}/authorize`, tokenUrl: `${issuer}/token`, scopes: "read write" },
      secret: { clientSecret: CLIENT_SECRET },
    }),
  );
  expect(connection.status).toBe("PENDING");
  return { owner, projectId: project.id, connectionId: connection.id };
}

const START_ACTION = "app/projects/[projectId]/connections/actions.ts#startOAuthAuthorizationAction";

/** Presses "Connect" on the connection's page as `client`: the start action's outcome. */
function startOAuth(client: HttpClient, projectId: string, connectionId: string) {
  return client.callAction(actionId(START_ACTION), `/projects/${projectId}/connections/${connectionId}`, { connectionId });
}

/** Start as `client`, then let the provider send the browser back: the callback path with its query. */
async function startAndAuthorize(client: HttpClient, projectId: string, connectionId: string): Promise<{ authorizeUrl: URL; callback: string }> {
  const authorizeUrl = new URL(dataOf<{ authorizationUrl: string }>(await startOAuth(client, projectId, connectionId)).authorizationUrl);
  const provider = await fetch(authorizeUrl, { redirect: "manual" });
  expect(provider.status).toBe(302);
  const back = new URL(provider.headers.get("location")!);
  expect(back.origin).toBe(app.url);
  return { authorizeUrl, callback: `${back.pathname}${back.search}` };
}

async function connectionRow(id: string) {
  const [row] = await query<{ status: string; version: number; secretSealed: string; accessTokenExpiresAt: Date | null }>(
    'SELECT status, version, "secretSealed", "accessTokenExpiresAt" FROM connections WHERE id = $1',
    [id],
  );
  return row!;
}

async function expectRefusalPage(response: Response, status: number, message: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  expect(response.headers.get("content-security-policy")).toContain("script-src");
  const html = await response.text();
  expect(html).toMatch(message);
  expect(html).not.toMatch(/<script|<style/i);
  return html;
}

describe("OAuth over HTTP", () => {
  it("start answers the provider's address with the fixed redirect URI; the callback connects once; a replay gets 400", async () => {
    const { owner, projectId, connectionId } = await fixture();
    const { authorizeUrl, callback } = await startAndAuthorize(owner, projectId, connectionId);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${oauth.issuer.url}/authorize`);
    expect(Object.fromEntries(authorizeUrl.searchParams)).toMatchObject({
      client_id: "vaultflow-e2e",
      redirect_uri: `${app.url}/api/connections/oauth/callback`,
      response_type: "code",
      scope: "read write",
      code_challenge_method: "S256",
    });
    const state = authorizeUrl.searchParams.get("state")!;
    expect(await dumpDatabase()).not.toContain(state);

    const answers = tokenAnswers.length;
    const done = await owner.fetch(callback);
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`${app.url}/projects/${projectId}/connections/${connectionId}?connected=1`);
    expect(tokenAnswers.length).toBe(answers + 1);
    const tokens = tokenAnswers.at(-1)! as { access_token: string; refresh_token: string };
    const connected = await connectionRow(connectionId);
    expect(connected.status).toBe("CONNECTED");
    expect(connected.accessTokenExpiresAt).not.toBeNull();
    const dump = await dumpDatabase();
    for (const secret of [tokens.access_token, tokens.refresh_token, CLIENT_SECRET, state]) expect(dump).not.toContain(secret);
    const audit = await query<{ action: string }>("SELECT action FROM audit_events WHERE \"projectId\" = $1 AND action LIKE 'connection.%' ORDER BY id", [
      projectId,
    ]);
    expect(audit.map((a) => a.action)).toEqual(["connection.created", "connection.oauth_started", "connection.authorized"]);

    const replay = await owner.fetch(callback);
    const html = await expectRefusalPage(replay, 400, /not valid, or was already used/);
    expect(html).toContain(`href="/projects"`);
    expect(tokenAnswers.length).toBe(answers + 1);
    expect(await connectionRow(connectionId)).toEqual(connected);

    // The server log has the callback's path only: no code, state or token.
    const logs = app.logs().join("\n");
    expect(logs).toContain("/api/connections/oauth/callback");
    const code = new URL(callback, app.url).searchParams.get("code")!;
    for (const secret of [code, state, tokens.access_token, tokens.refresh_token, CLIENT_SECRET]) expect(logs).not.toContain(secret);
  });

  it("answers a forged state, another user's state and an anonymous callback with a refusal, storing nothing", async () => {
    const { owner, projectId, connectionId } = await fixture();
    const before = await connectionRow(connectionId);
    const answers = tokenAnswers.length;

    const forged = await owner.fetch(`/api/connections/oauth/callback?code=abc&state=${randomBytes(32).toString("base64url")}`);
    await expectRefusalPage(forged, 400, /not valid/);
    await expectRefusalPage(await owner.fetch("/api/connections/oauth/callback?code=abc"), 400, /incomplete/);

    const { callback } = await startAndAuthorize(owner, projectId, connectionId);
    const outsider = await newUser("outsider");
    const foreign = await expectRefusalPage(await outsider.fetch(callback), 400, /not valid/);
    expect(foreign).not.toContain(projectId);
    await expectRefusalPage(await new HttpClient(app.url, "10.77.9.9").fetch(callback), 401, /Sign in/);

    const denied = new URL(callback, app.url);
    denied.searchParams.delete("code");
    denied.searchParams.set("error", "access_denied");
    const deniedPage = await expectRefusalPage(await owner.fetch(`${denied.pathname}${denied.search}`), 400, /did not grant access \(access_denied\)/);
    expect(deniedPage).toContain(`href="/projects/${projectId}/connections"`);

    expect(tokenAnswers.length).toBe(answers);
    expect(await connectionRow(connectionId)).toEqual(before);
    expect((await query("SELECT 1 FROM audit_events WHERE action = 'connection.authorized' AND \"projectId\" = $1", [projectId])).length).toBe(0);
  });

  it("start answers not found to outsiders and for missing ids, asks anonymous callers to sign in, and no link or foreign page starts it", async () => {
    const { owner, projectId, connectionId } = await fixture();
    const outsider = await newUser("stranger");
    for (const id of [connectionId, randomUUID()]) {
      const answer = await startOAuth(outsider, projectId, id);
      expect(answer.result).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    }
    expect((await startOAuth(outsider, projectId, "not-a-uuid")).result).toMatchObject({ ok: false, error: { code: "BAD_INPUT" } });
    const anonymous = new HttpClient(app.url, "10.77.9.10");
    expect((await startOAuth(anonymous, projectId, connectionId)).result).toMatchObject({ ok: false, error: { code: "UNAUTHENTICATED" } });

    // The old GET link is gone: following a URL never starts a sign-in at the provider.
    const link = await owner.fetch(`/api/connections/${connectionId}/oauth/start`);
    expect(link.status).toBe(404);
    expect(link.headers.get("location")).toBeNull();
    // A page on another origin cannot post the action for a signed-in owner (Next.js's origin check).
    const foreign = await owner.fetch(`/projects/${projectId}/connections/${connectionId}`, {
      method: "POST",
      headers: {
        "next-action": actionId(START_ACTION),
        accept: "text/x-component",
        "content-type": "text/plain;charset=UTF-8",
        origin: "https://attacker.example",
      },
      body: JSON.stringify([{ connectionId }]),
    });
    expect(foreign.status).toBeGreaterThanOrEqual(400);
    expect(await foreign.text()).not.toContain(String(oauth.issuer.url));
    expect((await query('SELECT 1 FROM oauth_states WHERE "connectionId" = $1', [connectionId])).length).toBe(0);
    expect((await query("SELECT 1 FROM audit_events WHERE action = 'connection.oauth_started' AND \"projectId\" = $1", [projectId])).length).toBe(0);
  });
});
