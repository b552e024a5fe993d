// Project API keys, played by attackers: one who puts a key where it gets logged (a
// query string, a path), one who holds project A's key and wants project B's flows
// and runs, one who kept a key after it was revoked, one who reads the audit log, the
// access log and the app's log output looking for key text, and one who tries to sign
// in as a key's service user. Requests go through a real HTTP server with the same
// per-request access tracking as server.ts, to the real REST API route handlers, and
// the app's pino logger writes into a buffer the test reads.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as flowRoute from "@/app/api/v1/flows/[flowId]/route";
import * as flowsRoute from "@/app/api/v1/flows/route";
import * as runRoute from "@/app/api/v1/runs/[runId]/route";
import { ApiKeyInvalidError } from "@/lib/api-keys/errors";
import type { TFlowDocument } from "@/lib/flows/document";
import { authenticateWithPassword } from "@/lib/server/accounts/authenticate-with-password";
import { createUserWithPassword } from "@/lib/server/accounts/create-user-with-password";
import { getSessionUser } from "@/lib/server/accounts/get-session-user";
import { requestPasswordReset } from "@/lib/server/accounts/request-password-reset";
import { resolveGoogleSignIn } from "@/lib/server/accounts/resolve-google-sign-in";
import { startAccessLog } from "@/lib/server/access-log/start-access-log";
import { authenticateApiKey } from "@/lib/server/api-keys/authenticate-api-key";
import { createApiKey } from "@/lib/server/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/server/api-keys/revoke-api-key";
import { getDb } from "@/lib/server/db";
import { getFlow } from "@/lib/server/flows/get-flow";
import { listFlows } from "@/lib/server/flows/list-flows";
import { getRun } from "@/lib/server/runs/get-run";
import { listRuns } from "@/lib/server/runs/list-runs";
import { startRun } from "@/lib/server/runs/start-run";
import { flushAccessLog } from "@/lib/web/access-record-buffer";
import { runWithAccessContext } from "@/lib/web/access-record-context";
import { trackAccess } from "@/lib/web/access-record-tracker";
import { clientIpFor } from "@/lib/web/request-context";
import { errorOf } from "../support/error-of";
import { seedPublishedFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.66", userAgent: "vitest" };

// The app's logger (lib/log.ts keeps it on globalThis under this symbol), replaced
// before first use by one that writes into `logLines`, at debug level so every line counts.
const logLines: string[] = [];
(globalThis as Record<symbol, unknown>)[Symbol.for("vaultflow.logger")] = pino(
  { level: "debug", base: { service: "vaultflow" } },
  new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);

const DOCUMENT: TFlowDocument = {
  schemaVersion: 1,
  nodes: [{ id: "trigger", type: "trigger.manual", name: "Start", config: {}, ui: { x: 0, y: 0 } }],
  edges: [],
};

type THandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
const ROUTES: [RegExp, THandler, string?][] = [
  [/^\/api\/v1\/flows$/, flowsRoute.GET as THandler],
  [/^\/api\/v1\/flows\/([^/]+)$/, flowRoute.GET as THandler, "flowId"],
  [/^\/api\/v1\/runs\/([^/]+)$/, runRoute.GET as THandler, "runId"],
];

let server: http.Server;
let base: string;

/** Node request → Fetch Request → the route handler → Node response, as Next.js does it. */
async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", base);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const route = ROUTES.find(([pattern]) => pattern.test(url.pathname));
  if (!route) {
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found.");
    return;
  }
  const [pattern, handler, param] = route;
  const params = param ? { [param]: decodeURIComponent(pattern.exec(url.pathname)![1]!) } : {};
  const response = await handler(new Request(url, { method: req.method, headers }), { params: Promise.resolve(params) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

beforeAll(async () => {
  startAccessLog();
  server = http.createServer((req, res) => {
    const requestId = `sec-${randomBytes(6).toString("hex")}`;
    const clientIp = clientIpFor({ trustProxy: false, forwardedFor: undefined, remoteAddress: req.socket.remoteAddress });
    req.headers["x-vaultflow-client-ip"] = clientIp;
    const context = trackAccess(req, res, { requestId, clientIp });
    void runWithAccessContext(context, () => serve(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** A project with a published flow, one run of it, and a key with every scope. */
async function projectWithKey(label: string) {
  const seeded = await seedPublishedFlow(DOCUMENT, label);
  const { runId } = await startRun({ flowId: seeded.flowId, payload: {}, trigger: "manual", userId: seeded.userId });
  const created = await createApiKey(
    seeded.userId,
    seeded.projectId,
    { name: `${label} key`, scopes: ["flows:read", "flows:run", "runs:read", "runs:write"] },
    meta,
  );
  const { userId: serviceUserId } = await getDb().apiKey.findUniqueOrThrow({ where: { id: created.id }, select: { userId: true } });
  return { ...seeded, runId, key: created.key, keyId: created.id, serviceUserId };
}

/** No 12 characters of the key's secret part in a row, anywhere in `text`. */
function expectNoKeyIn(text: string, key: string): void {
  expect(text).not.toContain(key);
  const secret = key.slice(9); // after `vf_` and the 6 characters shown as the prefix
  for (let i = 0; i + 12 <= secret.length; i += 1) expect(text).not.toContain(secret.slice(i, i + 12));
}

async function storedRecords() {
  await new Promise((resolve) => setTimeout(resolve, 30));
  await flushAccessLog();
  return getDb().accessRecord.findMany({ orderBy: { id: "asc" } });
}

const asText = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v));

describe("an API key outside the Authorization header", () => {
  it("is refused in a query string or a non-standard header, and neither the key nor the path's copy of it is kept", async () => {
    const a = await projectWithKey("query");
    const sent = [
      fetch(`${base}/api/v1/flows?api_key=${a.key}&access_token=${a.key}&token=${a.key}`),
      fetch(`${base}/api/v1/flows`, { headers: { "x-api-key": a.key } }),
      fetch(`${base}/api/v1/flows`, { headers: { cookie: `token=${a.key}` } }),
      fetch(`${base}/api/v1/flows/${a.key}`),
    ];
    const answers = await Promise.all(
      sent.map(async (pending) => {
        const response = await pending;
        return { status: response.status, text: await response.text() };
      }),
    );
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 401, 401]);
    for (const answer of answers) {
      expect(JSON.parse(answer.text)).toEqual({ error: { code: "UNAUTHENTICATED", message: "Invalid or expired API key." } });
      expectNoKeyIn(answer.text, a.key);
    }
    // The key was never accepted: its last use is still empty.
    expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: a.keyId } })).lastUsedAt).toBeNull();

    const records = await storedRecords();
    const refused = records.filter((record) => record.status === 401);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const record of refused) expect([record.userId, record.projectId]).toEqual([null, null]);
    // The key sent as a path segment is stored as the segment's name ([flowId], or [id] for an unlisted route).
    expect(refused.map((record) => record.route)).toContainEqual(expect.stringMatching(/^\/api\/v1\/flows\/\[(flowId|id)\]$/));
    expectNoKeyIn(asText(records), a.key);
    expectNoKeyIn(logLines.join("\n"), a.key);
  });

  it("in the header, is accepted, and the access record names the key's service user and project, never the key", async () => {
    const a = await projectWithKey("header");
    const response = await fetch(`${base}/api/v1/flows`, { headers: { authorization: `Bearer ${a.key}` } });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect((JSON.parse(text) as { flows: { id: string }[] }).flows.map((flow) => flow.id)).toEqual([a.flowId]);
    const records = await storedRecords();
    const mine = records.filter((record) => record.userId === a.serviceUserId);
    expect(mine.map((record) => [record.route, record.status, record.projectId])).toEqual([["/api/v1/flows", 200, a.projectId]]);
    expectNoKeyIn(asText(records), a.key);
    expectNoKeyIn(logLines.join("\n"), a.key);
  });
});

describe("project A's key against project B", () => {
  it("reads B's flows and runs as not found, through the API and through the data layer with the key's user", async () => {
    const a = await projectWithKey("tenant-a");
    const b = await projectWithKey("tenant-b");
    const auth = { headers: { authorization: `Bearer ${a.key}` } };

    const flow = await fetch(`${base}/api/v1/flows/${b.flowId}`, auth);
    const run = await fetch(`${base}/api/v1/runs/${b.runId}`, auth);
    expect([flow.status, run.status]).toEqual([404, 404]);
    // The same answer as for an id that exists nowhere: nothing tells B's objects apart from missing ones.
    const missing = await fetch(`${base}/api/v1/flows/00000000-0000-4000-8000-000000000000`, auth);
    expect(missing.status).toBe(404);
    expect(JSON.parse(await flow.text())).toEqual(JSON.parse(await missing.text()));
    await run.text();
    // Its own flow and run read fine, so the 404s above are the tenant wall, not a broken key.
    expect((await fetch(`${base}/api/v1/flows/${a.flowId}`, auth)).status).toBe(200);
    expect((await fetch(`${base}/api/v1/runs/${a.runId}`, auth)).status).toBe(200);

    const actor = await authenticateApiKey(new Request("http://x/", auth), "flows:read");
    expect(actor.projectId).toBe(a.projectId);
    for (const attempt of [
      () => getFlow(actor.userId, b.flowId),
      () => getRun(actor.userId, b.runId),
      () => listFlows(actor.userId, b.projectId),
      () => listRuns(actor.userId, b.projectId),
    ]) {
      expect((await errorOf(attempt())).code).toMatch(/^(NOT_FOUND|FORBIDDEN)$/);
    }
    // The service user belongs to A alone.
    expect(await getDb().membership.findMany({ where: { userId: a.serviceUserId }, select: { projectId: true } })).toEqual([{ projectId: a.projectId }]);
  });
});

describe("a revoked key", () => {
  it("is refused, and its service user reaches nothing of its own project even through the data layer directly", async () => {
    const a = await projectWithKey("revoked");
    await revokeApiKey(a.userId, { keyId: a.keyId }, meta);
    const response = await fetch(`${base}/api/v1/flows`, { headers: { authorization: `Bearer ${a.key}` } });
    expect(response.status).toBe(401);
    await response.text();
    expect(await getDb().membership.count({ where: { userId: a.serviceUserId } })).toBe(0);
    for (const attempt of [() => getFlow(a.serviceUserId, a.flowId), () => getRun(a.serviceUserId, a.runId), () => listFlows(a.serviceUserId, a.projectId)]) {
      expect((await errorOf(attempt())).code).toMatch(/^(NOT_FOUND|FORBIDDEN)$/);
    }
    expect(await errorOf(authenticateApiKey(new Request("http://x/", { headers: { authorization: `Bearer ${a.key}` } }), "flows:read"))).toBeInstanceOf(
      ApiKeyInvalidError,
    );
  });
});

describe("the key text in stored records", () => {
  it("appears in no audit event, access record or log line after a key's whole life", async () => {
    const a = await projectWithKey("lifecycle");
    const auth = { headers: { authorization: `Bearer ${a.key}` } };
    for (const path of ["/api/v1/flows", `/api/v1/flows/${a.flowId}`, `/api/v1/runs/${a.runId}`]) await (await fetch(`${base}${path}`, auth)).text();
    await revokeApiKey(a.userId, { keyId: a.keyId }, meta);
    await (await fetch(`${base}/api/v1/flows`, auth)).text();

    const audit = await getDb().auditEvent.findMany({ where: { projectId: a.projectId } });
    expect(audit.map((event) => event.action)).toEqual(expect.arrayContaining(["api_key.created", "api_key.revoked"]));
    expectNoKeyIn(asText(audit), a.key);
    expectNoKeyIn(asText(await storedRecords()), a.key);
    expectNoKeyIn(asText(await getDb().apiKey.findMany()), a.key);
    expectNoKeyIn(asText(await getDb().user.findMany()), a.key);
    expectNoKeyIn(logLines.join("\n"), a.key);
  });
});

describe("a key's service user as a person", () => {
  it("cannot sign in, reset a password, hold a session, or be taken over by sign-up or Google", async () => {
    const a = await projectWithKey("service-user");
    const { email } = await getDb().user.findUniqueOrThrow({ where: { id: a.serviceUserId }, select: { email: true } });
    expect(email.endsWith("@keys.vaultflow.invalid")).toBe(true);

    expect((await errorOf(authenticateWithPassword(email, "anything at all 123", meta))).code).toBe("INVALID_CREDENTIALS");
    const sentMail: unknown[] = [];
    const reset = await requestPasswordReset(email, meta, { mailer: { send: async (m) => void sentMail.push(m), close: () => {} } });
    expect(reset.message).toBeTruthy();
    expect(sentMail).toEqual([]);
    expect(await getDb().userToken.count({ where: { userId: a.serviceUserId } })).toBe(0);
    // A forged or leftover session naming the service user is worth nothing.
    expect(await getSessionUser(a.serviceUserId, 0)).toBeNull();

    const signUp = await errorOf(
      createUserWithPassword(
        { email: "api-key-00000000-0000-4000-8000-000000000000@keys.vaultflow.invalid", name: "Mallory", password: "correct horse battery staple 42" } as never,
        { ...meta, ip: "192.0.2.67" },
      ),
    );
    expect(signUp.code).toBe("BAD_INPUT");
    const google = await resolveGoogleSignIn({ sub: "google-sub-mallory", email, emailVerified: true, name: "Mallory" }, meta);
    expect(google).toEqual({ ok: false, reason: "account_exists" });
    expect(await getDb().oAuthAccount.count({ where: { userId: a.serviceUserId } })).toBe(0);
    const after = await getDb().user.findUniqueOrThrow({ where: { id: a.serviceUserId } });
    expect([after.passwordHash, after.kind]).toEqual([null, "API_KEY"]);
  });
});
