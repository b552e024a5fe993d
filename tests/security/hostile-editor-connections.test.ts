// Issue 13, item 3: an editor of a project tries to read a connection's "write-only"
// secret. The owner's connection talks to a loopback "real service"; the editor runs a
// loopback server of their own and tries every way of getting Vaultflow to send the
// secret there: the test address, an HTTP step (fixed and mapped URL, run, step test,
// publish), the OAuth token URL, and a cross-origin 307 from the real token endpoint.
// The attacker's server must receive no secret at all.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppError } from "@/lib/errors";
import type { TFlowDocument } from "@/lib/flows/document";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import type { OutboundPolicy } from "@/lib/http/outbound-request";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { createConnection } from "@/lib/server/connections/create-connection";
import { getAccessToken } from "@/lib/server/connections/oauth/get-access-token";
import { startOAuthAuthorization } from "@/lib/server/connections/oauth/start-oauth-authorization";
import { resolveConnection } from "@/lib/server/connections/resolve-connection";
import { testConnection } from "@/lib/server/connections/test-connection";
import { updateConnection } from "@/lib/server/connections/update-connection";
import { getDb } from "@/lib/server/db";
import { LIMITS } from "@/lib/server/rate-limit/limiters";
import { publishFlow } from "@/lib/server/flows/publish-flow";
import { testFlowStep } from "@/lib/server/flows/test-flow-step";
import { createProject } from "@/lib/server/projects/create-project";
import { claimNextRun } from "@/lib/server/runs/embedded/claim-run";
import { executeRun } from "@/lib/server/runs/embedded/execute-run";
import { createHttpRequestExecutor } from "@/lib/server/runs/executors/http-request";
import { getRun } from "@/lib/server/runs/get-run";
import { listRunSecrets } from "@/lib/server/runs/run-secrets";
import { startRun } from "@/lib/server/runs/start-run";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.13", userAgent: "vitest hostile editor" };
const allowLoopback = (): OutboundPolicy => ({ allow: parseOutboundAllowList("127.0.0.1/32") });
const API_KEY = `sk_live_owner_${randomUUID().replaceAll("-", "")}`;
const CLIENT_SECRET = `cs_owner_${randomUUID().replaceAll("-", "")}`;

type TSeen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
type TServer = { base: string; seen: TSeen[]; server: http.Server };

async function startServer(handle: (seen: TSeen, response: http.ServerResponse) => void): Promise<TServer> {
  const seen: TSeen[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
      seen.push(entry);
      handle(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

let real: TServer;
let attacker: TServer;

beforeAll(async () => {
  // The owner's service: an API that checks the key, and a token endpoint (one path
  // answers tokens, another redirects the token call to the attacker with a 307).
  real = await startServer((seen, response) => {
    if (seen.url.startsWith("/token")) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ access_token: `at_${randomUUID()}`, token_type: "Bearer", expires_in: 3600 }));
      return;
    }
    if (seen.url.startsWith("/moved-token") || seen.url.startsWith("/moved")) {
      response.writeHead(307, { location: `${attacker.base}/catch${seen.url}` });
      response.end();
      return;
    }
    response.writeHead(seen.headers["x-api-key"] === API_KEY ? 200 : 401, { "content-type": "application/json" });
    response.end("{}");
  });
  attacker = await startServer((_seen, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ access_token: "attacker-token", token_type: "Bearer", expires_in: 3600 }));
  });
});

afterAll(async () => {
  for (const { server } of [real, attacker]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** Everything the attacker's server ever received, as one string. */
const attackerSaw = () => JSON.stringify(attacker.seen);

let n = 0;
const newUser = () => getDb().user.create({ data: { email: `hostile-${++n}-${Date.now()}@example.com`, emailVerified: new Date() }, select: { id: true } });

/** An owner with an API-key connection to the real service, and an editor of the same project. */
async function projectWithEditor() {
  const owner = await newUser();
  const project = await createProject(owner.id, { name: `Hostile ${n}` }, meta);
  const editor = await newUser();
  await getDb().membership.create({ data: { projectId: project.id, userId: editor.id, role: "EDITOR" } });
  const connection = await createConnection(
    owner.id,
    {
      projectId: project.id,
      name: "Payments API",
      type: "API_KEY",
      settings: { placement: "header", fieldName: "X-API-Key", testUrl: `${real.base}/me` },
      secret: { apiKey: API_KEY },
    },
    meta,
  );
  return { owner, editor, projectId: project.id, connectionId: connection.id, version: connection.version };
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => {
      throw new Error("expected a refusal");
    },
    (error: unknown) => error as AppError,
  );
}

/** A flow whose HTTP step uses the connection against `url`, with its draft and (optionally) a published version. */
async function flowUsing(projectId: string, connectionId: string, url: string, publish: boolean) {
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } },
      { id: "call", type: "step.http", name: "Call", config: { method: "GET", url, connectionId }, ui: { x: 0, y: 100 } },
    ],
    edges: [{ id: "e1", source: "trigger", target: "call" }],
  };
  const db = getDb();
  const flow = await db.flow.create({ data: { projectId, name: `F ${randomUUID().slice(0, 6)}`, draft: document as never }, select: { id: true } });
  if (publish) {
    // Written directly, as a version published before the connection's binding existed would be.
    const version = await db.flowVersion.create({ data: { flowId: flow.id, number: 1, document: document as never }, select: { id: true } });
    await db.flow.update({ where: { id: flow.id }, data: { activeVersionId: version.id } });
  }
  return flow.id;
}

async function runOnce(userId: string, flowId: string, payload: Record<string, unknown>) {
  const { runId } = await startRun({ flowId, payload, trigger: "manual", userId });
  expect(await claimNextRun("hostile-worker", 5)).toBe(runId);
  await executeRun(runId, {
    owner: "hostile-worker",
    executors: { "step.http": createHttpRequestExecutor({ policy: allowLoopback }) },
    secretsFor: listRunSecrets,
  });
  return getRun(userId, runId);
}

describe("a hostile editor and a connection's secret", () => {
  it("cannot move the test address to their server without the key; Test still calls the real service only", async () => {
    const { owner, editor, projectId, connectionId } = await projectWithEditor();
    const before = attacker.seen.length;

    const moved = await errorOf(
      updateConnection(
        editor.id,
        { connectionId, name: "Payments API", settings: { placement: "header", fieldName: "X-API-Key", testUrl: `${attacker.base}/steal` } },
        meta,
      ),
    );
    expect(moved.code).toBe("BAD_INPUT");
    expect(moved.fieldErrors?.apiKey?.[0]).toMatch(/enter the API key again/);
    // Widening the allowed origins alone is the same change.
    const widened = await errorOf(
      updateConnection(
        editor.id,
        {
          connectionId,
          name: "Payments API",
          settings: { placement: "header", fieldName: "X-API-Key", testUrl: `${real.base}/me`, allowedOrigins: [real.base, attacker.base] },
        },
        meta,
      ),
    );
    expect(widened.fieldErrors?.apiKey?.[0]).toMatch(/enter the API key again/);

    const result = await testConnection(editor.id, { connectionId }, meta, { policy: allowLoopback() });
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(real.seen.at(-1)?.headers["x-api-key"]).toBe(API_KEY);
    expect(attacker.seen.length).toBe(before);
    expect(attackerSaw()).not.toContain(API_KEY);

    // Someone who knows the key may move it, and the move is audited without the key.
    await updateConnection(
      owner.id,
      {
        connectionId,
        name: "Payments API",
        settings: { placement: "header", fieldName: "X-API-Key", testUrl: `${real.base}/v2/me` },
        secret: { apiKey: API_KEY },
      },
      meta,
    );
    const audit = await getDb().auditEvent.findMany({ where: { projectId, action: "connection.origins_changed" }, select: { userId: true, details: true } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.userId).toBe(owner.id);
    expect(audit[0]!.details).toMatchObject({ connectionId, oldOrigins: [real.base], newOrigins: [real.base], changed: ["settings.testUrl"] });
    expect(JSON.stringify(audit)).not.toContain(API_KEY);

    // Defence in depth: a stored test URL outside the allowed origins (written around the
    // data layer) is refused by the vault itself, before anything is sent.
    const settings = { placement: "header", fieldName: "X-API-Key", testUrl: `${attacker.base}/steal`, allowedOrigins: [real.base] };
    await getDb().connection.update({ where: { id: connectionId }, data: { settings } });
    const refused = await testConnection(editor.id, { connectionId }, meta, { policy: allowLoopback() });
    expect(refused.ok).toBe(false);
    expect(refused.message).toContain(`not to ${attacker.base}`);
    expect(attacker.seen.length).toBe(before);
    const blocked = await getDb().auditEvent.findMany({ where: { projectId, action: "outbound.blocked" }, select: { details: true } });
    expect(blocked.map((e) => e.details)).toEqual([{ connectionId, reason: "connection_origin", origin: attacker.base }]);
  });

  it("cannot point an HTTP step that uses the connection at their server: refused at run time (fixed or mapped URL), in a step test and at publish", async () => {
    const { owner, editor, projectId, connectionId } = await projectWithEditor();
    const before = attacker.seen.length;

    // A fixed URL, published directly (as if before the binding existed): the run refuses it.
    const fixedFlow = await flowUsing(projectId, connectionId, `${attacker.base}/fixed`, true);
    const fixedRun = await runOnce(editor.id, fixedFlow, {});
    expect(fixedRun.status).toBe("FAILED");
    expect(fixedRun.error ?? "").toContain(`not to ${attacker.base}`);
    expect(fixedRun.error ?? "").toContain("allowed origins");

    // The origin chosen by a mapping is checked after mapping.
    const mappedFlow = await flowUsing(projectId, connectionId, "{{trigger.target}}/mapped", true);
    const mappedRun = await runOnce(editor.id, mappedFlow, { target: attacker.base });
    expect(mappedRun.status).toBe("FAILED");
    expect(mappedRun.error ?? "").toContain(`not to ${attacker.base}`);

    // "Test step" in the editor uses the same executor.
    const tested = await testFlowStep(editor.id, { flowId: fixedFlow, nodeId: "call", triggerSample: {} }, meta, {
      executors: { "step.http": createHttpRequestExecutor({ policy: allowLoopback, auditAs: { source: "step-test", userId: editor.id } }) },
    });
    expect(tested).toMatchObject({ status: "failed" });
    expect((tested as { error: string }).error).toContain(attacker.base);

    expect(attacker.seen.length).toBe(before);
    expect(attackerSaw()).not.toContain(API_KEY);
    const blocked = await getDb().auditEvent.findMany({ where: { projectId, action: "outbound.blocked" }, select: { details: true } });
    expect(blocked.map((e) => (e.details as { reason: string }).reason)).toEqual(["connection_origin", "connection_origin", "connection_origin"]);

    // Publish shows the problem on the step's URL before anything runs.
    const draftOnly = await flowUsing(projectId, connectionId, `${attacker.base}/publish/{{trigger.id}}`, false);
    const refused = (await errorOf(publishFlow(editor.id, { flowId: draftOnly, note: "" }, meta))) as AppError & {
      problems?: { nodeId: string; field: string; message: string }[];
    };
    expect(refused.problems).toEqual([{ nodeId: "call", field: "url", message: expect.stringContaining(`not to ${attacker.base}`) }]);

    // The real service, with the same connection, still works.
    const fine = await flowUsing(projectId, connectionId, `${real.base}/me`, true);
    expect((await runOnce(owner.id, fine, {})).status).toBe("SUCCEEDED");
    expect(real.seen.at(-1)?.headers["x-api-key"]).toBe(API_KEY);
  });

  it("cannot move the OAuth token URL without the client secret; the next token exchange goes to the real endpoint", async () => {
    const { owner, editor, projectId } = await projectWithEditor();
    const settings = { clientId: "owner-client", tokenUrl: `${real.base}/token`, scopes: "jobs" };
    const connection = await createConnection(
      owner.id,
      { projectId, name: "Jobs API", type: "OAUTH2_CLIENT_CREDENTIALS", settings, secret: { clientSecret: CLIENT_SECRET } },
      meta,
    );
    const before = attacker.seen.length;

    const moved = await errorOf(
      updateConnection(editor.id, { connectionId: connection.id, name: "Jobs API", settings: { ...settings, tokenUrl: `${attacker.base}/token` } }, meta),
    );
    expect(moved.code).toBe("BAD_INPUT");
    expect(moved.fieldErrors?.clientSecret?.[0]).toMatch(/enter the client secret again/);

    const calls = real.seen.length;
    await getAccessToken(connection.id, { policy: allowLoopback() });
    const exchange = real.seen.slice(calls).find((seen) => seen.url === "/token");
    expect(new URLSearchParams(exchange?.body).get("client_secret")).toBe(CLIENT_SECRET);
    expect(attacker.seen.length).toBe(before);
    expect(attackerSaw()).not.toContain(CLIENT_SECRET);
  });

  it("cannot re-point the sign-in page that Connect opens without the client secret; starting sign-ins is audited and rate limited", async () => {
    const { owner, editor, projectId } = await projectWithEditor();
    const settings = { provider: "generic", clientId: "owner-app", authorizationUrl: `${real.base}/authorize`, tokenUrl: `${real.base}/token`, scopes: "read" };
    const connection = await createConnection(
      owner.id,
      { projectId, name: "Generic IdP", type: "OAUTH2_CODE", settings, secret: { clientSecret: CLIENT_SECRET } },
      meta,
    );

    // A phishing page on the attacker's server as the "provider": the owner pressing Connect would land there.
    const phishing = await errorOf(
      updateConnection(
        editor.id,
        { connectionId: connection.id, name: "Generic IdP", settings: { ...settings, authorizationUrl: `${attacker.base}/login` } },
        meta,
      ),
    );
    expect(phishing.fieldErrors?.clientSecret?.[0]).toMatch(/enter the client secret again/);
    const started = await startOAuthAuthorization(owner.id, connection.id, { redirectUri: "http://127.0.0.1:1/api/connections/oauth/callback", meta });
    expect(new URL(started.authorizationUrl).origin).toBe(real.base);

    // Every start stores a state row: an editor cannot pile them up without limit, and each is audited.
    const starts = LIMITS.oauthStartUser.points;
    for (let i = 0; i < starts; i += 1) await startOAuthAuthorization(editor.id, connection.id, { meta });
    const limited = await errorOf(startOAuthAuthorization(editor.id, connection.id, { meta }));
    expect(limited.code).toBe("RATE_LIMITED");
    const audited = await getDb().auditEvent.findMany({
      where: { projectId, action: "connection.oauth_started", userId: editor.id },
      select: { details: true, ip: true },
    });
    expect(audited).toHaveLength(starts);
    expect(audited[0]).toMatchObject({ ip: meta.ip, details: { connectionId: connection.id, provider: "generic", authorizationOrigin: real.base } });
  });

  it("gets neither the body nor a credential when the real token endpoint or API redirects (307) to their server", async () => {
    const { owner, projectId, connectionId } = await projectWithEditor();
    const connection = await createConnection(
      owner.id,
      {
        projectId,
        name: "Redirecting IdP",
        type: "OAUTH2_CLIENT_CREDENTIALS",
        settings: { clientId: "owner-client", tokenUrl: `${real.base}/moved-token` },
        secret: { clientSecret: CLIENT_SECRET },
      },
      meta,
    );
    const before = attacker.seen.length;
    await getAccessToken(connection.id, { policy: allowLoopback() }).catch(() => undefined);
    const caught = attacker.seen.slice(before);
    expect(caught).toHaveLength(1);
    expect(caught[0]!.body).toBe("");
    expect(caught[0]!.method).toBe("GET");
    expect(caught[0]!.headers.authorization).toBeUndefined();
    expect(caught[0]!.headers["content-type"]).toBeUndefined();

    // The API key on an HTTP step's request does not follow a 307 to another origin either.
    const flow = await flowUsing(projectId, connectionId, `${real.base}/moved`, true);
    await runOnce(owner.id, flow, {});
    expect(attacker.seen.length).toBe(before + 2);
    expect(attacker.seen.at(-1)!.headers["x-api-key"]).toBeUndefined();
    expect(attackerSaw()).not.toContain(CLIENT_SECRET);
    expect(attackerSaw()).not.toContain(API_KEY);
  });

  it("does not send the key of a connection saved before the binding anywhere it has no stored URL for (the migration derives the rest)", async () => {
    const { owner, projectId } = await projectWithEditor();
    const db = getDb();
    const legacy = async (name: string, settings: Record<string, string>) => {
      const id = randomUUID();
      await db.connection.create({
        data: { id, projectId, name, type: "API_KEY", settings, secretSealed: sealConnectionSecret({ apiKey: API_KEY }, projectId, id) },
      });
      return id;
    };
    const withUrl = await legacy("Legacy with a test URL", { placement: "header", fieldName: "X-API-Key", testUrl: `${real.base}/me` });
    const withoutUrl = await legacy("Legacy without a URL", { placement: "header", fieldName: "X-API-Key" });
    const migrations = path.join(process.cwd(), "prisma", "migrations");
    const folder = readdirSync(migrations).find((name) => name.endsWith("_connection_allowed_origins"));
    expect(folder).toBeDefined();
    await db.$executeRawUnsafe(readFileSync(path.join(migrations, folder!, "migration.sql"), "utf8"));

    const settingsOf = async (id: string) => (await db.connection.findUniqueOrThrow({ where: { id }, select: { settings: true } })).settings;
    expect(await settingsOf(withUrl)).toMatchObject({ allowedOrigins: [real.base] });
    expect(await settingsOf(withoutUrl)).toMatchObject({ allowedOrigins: [] });

    const before = attacker.seen.length;
    const run = await runOnce(owner.id, await flowUsing(projectId, withoutUrl, `${attacker.base}/legacy`, true), {});
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(/no allowed origins yet.*set the allowed origins/);
    expect((await runOnce(owner.id, await flowUsing(projectId, withUrl, `${real.base}/me`, true), {})).status).toBe("SUCCEEDED");
    expect(attacker.seen.length).toBe(before);
  });

  it("never sends a credential over plain http to an address OUTBOUND_ALLOW does not name", async () => {
    const { owner, projectId } = await projectWithEditor();
    // A host name resolving to a public address: the SSRF guard allows it, so only the
    // plain-http rule stands between the key and the wire (nothing is dialled with it).
    const port = new URL(attacker.base).port;
    const policy = (): OutboundPolicy => ({
      allow: parseOutboundAllowList("127.0.0.1/32"),
      resolveHost: async () => [{ address: "93.184.215.14", family: 4 }],
    });
    const connection = await createConnection(
      owner.id,
      {
        projectId,
        name: "Plain",
        type: "API_KEY",
        settings: { placement: "header", fieldName: "X-API-Key", testUrl: `http://plain.example:${port}/me` },
        secret: { apiKey: API_KEY },
      },
      meta,
    );
    const before = attacker.seen.length;
    const result = await testConnection(owner.id, { connectionId: connection.id }, meta, { policy: policy() });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/plain http/);
    const resolved = await resolveConnection(projectId, connection.id);
    expect(resolved.allowedOrigins).toEqual([`http://plain.example:${port}`]);
    expect(attacker.seen.length).toBe(before);

    // An address the operator allow-listed (loopback here) may get it over plain http,
    // whether named by its IP or by a host name that resolves into the listed range.
    const viaName = (): OutboundPolicy => ({ allow: parseOutboundAllowList("127.0.0.1/32"), resolveHost: async () => [{ address: "127.0.0.1", family: 4 }] });
    const inside = await createConnection(
      owner.id,
      {
        projectId,
        name: "Inside",
        type: "API_KEY",
        settings: { placement: "header", fieldName: "X-API-Key", testUrl: `http://payments.internal:${new URL(real.base).port}/me` },
        secret: { apiKey: API_KEY },
      },
      meta,
    );
    expect(await testConnection(owner.id, { connectionId: inside.id }, meta, { policy: viaName() })).toMatchObject({ ok: true, status: 200 });
  });
});
