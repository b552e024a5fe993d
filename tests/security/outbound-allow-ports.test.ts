// A hostile flow author on a self-hosted deployment that opened ONE internal service
// with OUTBOUND_ALLOW. An address-wide entry opens every port of that address (the
// database, an admin console, a metrics endpoint), so the operator writes `host:port`:
// the author's step to the allowed port works, a step to another port of the same
// address is refused before any connection, and a redirect that tries to reach a
// blocked address is reported by the address that was refused, not by the first host.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import type { TFlowDocument, TFlowNode } from "@/lib/flows/document";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import type { OutboundPolicy } from "@/lib/http/outbound-request";
import { sealConnectionSecret } from "@/lib/server/connections/connection-secret";
import { testConnection } from "@/lib/server/connections/test-connection";
import { getDb } from "@/lib/server/db";
import { testFlowStep } from "@/lib/server/flows/test-flow-step";
import { createExecutors } from "@/lib/server/runs/executors";
import { createHttpRequestExecutor } from "@/lib/server/runs/executors/http-request";
import { setupTestDatabase } from "../support/setup-test-database";

setupTestDatabase();
const meta = { ip: "192.0.2.77", userAgent: "vitest" };

type TService = { port: number; connections: () => number; url: (path?: string, host?: string) => string };
const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startService(handler: (request: IncomingMessage, response: ServerResponse) => void, host = "127.0.0.1"): Promise<TService> {
  let connections = 0;
  const server = createServer(handler);
  server.on("connection", () => (connections += 1));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, connections: () => connections, url: (path = "/", urlHost = host) => `http://${urlHost}:${port}${path}` };
}

const node = (id: string, type: string, config: Record<string, unknown>): TFlowNode => ({ id, type, name: id, config, ui: { x: 0, y: 0 } });

/** An editor's flow with one HTTP step per target URL (no connection: the author aims at the network). */
async function seedFlow(targets: Record<string, string>) {
  const db = getDb();
  const tag = randomUUID().slice(0, 8);
  const user = await db.user.create({ data: { email: `ports-${tag}@example.com` }, select: { id: true } });
  const project = await db.project.create({
    data: { name: `Ports ${tag}`, memberships: { create: { userId: user.id, role: "EDITOR" } } },
    select: { id: true },
  });
  const document: TFlowDocument = {
    schemaVersion: 1,
    nodes: [node("trigger", "trigger.manual", {}), ...Object.entries(targets).map(([id, url]) => node(id, "step.http", { method: "GET", url }))],
    edges: Object.keys(targets).map((id) => ({ id: `e-${id}`, source: "trigger", target: id })),
  };
  const flow = await db.flow.create({ data: { projectId: project.id, name: "Ports", draft: document as never }, select: { id: true } });
  return { userId: user.id, projectId: project.id, flowId: flow.id };
}

const withPolicy = (allow: string) => {
  const policy = (): OutboundPolicy => ({ allow: parseOutboundAllowList(allow) });
  return { executors: { ...createExecutors(), "step.http": createHttpRequestExecutor({ policy }) } };
};

describe("OUTBOUND_ALLOW host:port entries", () => {
  it("open the one port named: the same address on another port stays blocked and is never dialled", async () => {
    const service = await startService((_request, response) => response.end(JSON.stringify({ service: "inventory" })));
    const admin = await startService((_request, response) => response.end(JSON.stringify({ admin: "console" })));
    const flow = await seedFlow({ allowed: service.url("/items"), other: admin.url("/admin"), byName: admin.url("/admin", "localhost") });
    const options = withPolicy(`127.0.0.1:${service.port},localhost:${service.port}`);

    const allowed = await testFlowStep(flow.userId, { flowId: flow.flowId, nodeId: "allowed", triggerSample: {} }, meta, options);
    expect(allowed.status).toBe("succeeded");
    expect(JSON.stringify(allowed)).toContain("inventory");

    for (const nodeId of ["other", "byName"]) {
      const refused = await testFlowStep(flow.userId, { flowId: flow.flowId, nodeId, triggerSample: {} }, meta, options);
      expect(refused.status, nodeId).toBe("failed");
      expect(refused.status === "failed" ? refused.error : "").toContain("blocked");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(admin.connections()).toBe(0);
    const audits = await getDb().auditEvent.findMany({ where: { projectId: flow.projectId, action: "outbound.blocked" }, select: { details: true } });
    expect(audits.map((audit) => (audit.details as { origin: string }).origin).sort()).toEqual([admin.url("", "127.0.0.1"), admin.url("", "localhost")].sort());
  });

  it("name the refused address when a redirect is blocked, in a step's error and in a connection test", async () => {
    const internal = await startService((_request, response) => response.end("internal"), "127.0.0.2");
    const front = await startService((_request, response) => response.writeHead(302, { location: internal.url("/secrets") }).end());
    const flow = await seedFlow({ hop: front.url("/start", "localhost") });

    const step = await testFlowStep(flow.userId, { flowId: flow.flowId, nodeId: "hop", triggerSample: {} }, meta, withPolicy("localhost"));
    expect(step.status).toBe("failed");
    expect(step.status === "failed" ? step.error : "").toContain(`127.0.0.2:${internal.port}`);

    const db = getDb();
    const connectionId = randomUUID();
    const origin = front.url("", "localhost");
    await db.connection.create({
      data: {
        id: connectionId,
        projectId: flow.projectId,
        name: "Front",
        type: "BEARER",
        settings: { testUrl: front.url("/me", "localhost"), allowedOrigins: [origin] },
        secretSealed: sealConnectionSecret({ token: "front-token-0123456789" }, flow.projectId, connectionId),
      },
    });
    await db.membership.updateMany({ where: { projectId: flow.projectId, userId: flow.userId }, data: { role: "OWNER" } });
    const tested = await testConnection(flow.userId, { connectionId }, meta, { policy: { allow: parseOutboundAllowList("localhost") } });
    expect(tested.ok).toBe(false);
    // Not "localhost resolves to a private address": localhost was allowed and answered.
    expect(tested.message).toContain(`127.0.0.2:${internal.port}`);
    expect(tested.message).not.toMatch(/^Blocked: localhost /);
    expect(internal.connections()).toBe(0);
  });
});
