// Issue 17, access log, played by someone who reads the log: a project owner paging
// their access log, or whoever gets an operator's export. Webhook and invitation links
// are bearer secrets in the URL; if the access log kept them, reading the log would
// be enough to call the webhook or take the invitation. The request goes through the
// same per-request code as server.ts (trackAccess, the access context, the buffer and
// its writer) on a real HTTP server, to the real webhook route handler.
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as webhookRoute from "@/app/api/webhooks/[token]/route";
import { getDb } from "@/lib/server/db";
import { startAccessLog } from "@/lib/server/access-log/start-access-log";
import { flushAccessLog } from "@/lib/web/access-record-buffer";
import { noteAccessUser, runWithAccessContext } from "@/lib/web/access-record-context";
import { trackAccess } from "@/lib/web/access-record-tracker";
import { clientIpFor } from "@/lib/web/request-context";
import { seedWebhookFlow } from "../support/seed-flow";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();

const SIGNED_IN_USER = "6a1c3a55-3d5f-4b5e-9e59-2b8f3d2d9a11";
let server: http.Server;
let base: string;

/** Node request → Fetch Request → the route handler → Node response, as Next.js does it. */
async function serveWebhook(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", base);
  const token = decodeURIComponent(url.pathname.split("/")[3] ?? "");
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const request = new Request(url, { method: req.method, headers, body: req.method === "GET" ? undefined : Buffer.concat(chunks) });
  const handler = webhookRoute[req.method as "POST" | "GET"];
  const response = await handler(request, { params: Promise.resolve({ token }) });
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

beforeAll(async () => {
  startAccessLog();
  server = http.createServer((req, res) => {
    // As server.ts, with TRUST_PROXY on: the proxy's X-Forwarded-For names the client.
    const requestId = `sec-${randomBytes(6).toString("hex")}`;
    const clientIp = clientIpFor({ trustProxy: true, forwardedFor: req.headers["x-forwarded-for"], remoteAddress: req.socket.remoteAddress });
    req.headers["x-vaultflow-client-ip"] = clientIp;
    const context = trackAccess(req, res, { requestId, clientIp });
    void runWithAccessContext(context, async () => {
      if (req.url?.startsWith("/api/webhooks/")) return serveWebhook(req, res);
      // A page that accepts a session after some asynchronous work (as getCurrentUser does).
      await new Promise((resolve) => setImmediate(resolve));
      noteAccessUser(SIGNED_IN_USER);
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found.");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The record appears once the response has closed and the buffer is flushed. */
async function storedRecords(where: { route?: { startsWith: string } }) {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    await flushAccessLog();
    const rows = await getDb().accessRecord.findMany({ where, orderBy: { id: "asc" } });
    if (rows.length > 0) return rows;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("no access record was stored");
}

describe("secrets in URLs never reach the access log", () => {
  it("a webhook call stores the route template and the token's last 4 characters at most", async () => {
    const token = randomBytes(32).toString("base64url");
    const response = await fetch(`${base}/api/webhooks/${token}?token=${token}&sig=${token}`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": `curl/8 ${"x".repeat(400)}`, "x-forwarded-for": "203.0.113.50" },
      body: JSON.stringify({ token }),
    });
    const answer = await response.text();
    expect(response.status).toBe(404);

    const rows = await storedRecords({ route: { startsWith: "/api/webhooks/" } });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.route).toBe(`/api/webhooks/[token:…${token.slice(-4)}]`);
    // Nowhere in the stored row: not the token, nor any 5 characters of it in a row.
    const stored = JSON.stringify(row, (_key, value: unknown) => (typeof value === "bigint" ? String(value) : value));
    for (let i = 0; i + 5 <= token.length; i += 1) expect(stored).not.toContain(token.slice(i, i + 5));
    expect([row.method, row.status, row.clientIp, row.projectId, row.userId]).toEqual(["POST", 404, "203.0.113.50", null, null]);
    expect(Number(row.bytes)).toBe(Buffer.byteLength(answer));
    expect(row.userAgent).toHaveLength(256);
  });

  it("a call to a real webhook address is filed under its project for the owners, token still masked", async () => {
    // The path names a token, not the project: the receiver notes the project it found.
    const { projectId, token } = await seedWebhookFlow();

    const accepted = await fetch(`${base}/api/webhooks/${token}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(accepted.status).toBe(202);
    await accepted.text();
    // A link followed in a browser (GET to a POST webhook) is refused, and its owners see that too.
    const refused = await fetch(`${base}/api/webhooks/${token}`);
    expect(refused.status).toBe(405);
    await refused.text();

    let rows: Awaited<ReturnType<typeof storedRecords>> = [];
    for (let attempt = 0; attempt < 50 && rows.length < 2; attempt += 1) {
      rows = (await storedRecords({ route: { startsWith: "/api/webhooks/" } })).filter((row) => row.route.endsWith(`${token.slice(-4)}]`));
    }
    expect(rows.map((row) => [row.method, row.status, row.projectId])).toEqual([
      ["POST", 202, projectId],
      ["GET", 405, projectId],
    ]);
    for (const row of rows) expect(row.route).toBe(`/api/webhooks/[token:…${token.slice(-4)}]`);
  });

  it("an invitation link's token is not kept at all", async () => {
    const token = randomBytes(32).toString("base64url");
    await (await fetch(`${base}/invitations/accept/${token}?token=${token}`)).text();
    await (await fetch(`${base}/invitations/accept?token=${token}`)).text();
    const rows = await storedRecords({ route: { startsWith: "/invitations/" } });
    expect(rows.map((row) => row.route).sort()).toEqual(["/invitations/accept", "/invitations/accept/[token]"]);
    for (const row of rows) expect(JSON.stringify({ ...row, id: String(row.id), bytes: String(row.bytes) })).not.toContain(token.slice(0, 8));
  });

  it("names the user the app accepted during the request, from the request's own context", async () => {
    const project = "0b7f2d0e-3c1a-4f6b-8f0e-6a2b1c3d4e5f";
    await Promise.all(Array.from({ length: 5 }, async () => (await fetch(`${base}/projects/${project}/flows`)).text()));
    const rows = await storedRecords({ route: { startsWith: "/projects/" } });
    expect(rows).toHaveLength(5);
    for (const row of rows) expect([row.route, row.userId, row.projectId, row.status]).toEqual(["/projects/[projectId]/flows", SIGNED_IN_USER, project, 404]);
  });
});
