// Keep-alive in the guarded outbound client, against real loopback servers that count
// the TCP connections they accept. A pooled connection is reused for the same origin
// and the same addresses the guard judged in this very request, and for nothing else:
// a hostile flow whose host name rebinds (first to an allowed address, then to a
// blocked or another address) cannot ride a connection left in the pool.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { closeIdleOutboundConnections, IDLE_TIMEOUT_MS } from "@/lib/http/connection-pool";
import type { ResolveHost } from "@/lib/http/guarded-lookup";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import { OutboundError } from "@/lib/http/outbound-errors";
import { sendOutboundRequest, type OutboundPolicy, type OutboundRequest } from "@/lib/http/outbound-request";

type CountingServer = {
  port: number;
  url: (path?: string, host?: string) => string;
  /** TCP connections accepted so far. */
  connections: () => number;
  /** Connections currently open. */
  open: () => number;
  /** The connection (by accept order, from 1) each request came on. */
  requestConnections: number[];
};

const servers: http.Server[] = [];

afterEach(async () => {
  closeIdleOutboundConnections();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startServer(body: string, options: { host?: string; port?: number } = {}): Promise<CountingServer> {
  const host = options.host ?? "127.0.0.1";
  const numbers = new WeakMap<Socket, number>();
  const openSockets = new Set<Socket>();
  const requestConnections: number[] = [];
  let connections = 0;
  const server = http.createServer((request, response) => {
    requestConnections.push(numbers.get(request.socket) ?? 0);
    request.resume();
    request.on("end", () => response.end(body));
  });
  server.on("connection", (socket: Socket) => {
    connections += 1;
    numbers.set(socket, connections);
    openSockets.add(socket);
    socket.on("close", () => openSockets.delete(socket));
  });
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path = "/", urlHost = host) => `http://${urlHost}:${port}${path}`,
    connections: () => connections,
    open: () => openSockets.size,
    requestConnections,
  };
}

/** Answers the first request on each connection; cuts the connection on any later one, as a server closing an idle connection would. */
async function startOneShotServer(): Promise<{ url: string; requests: { method: string; connection: number; answered: boolean }[] }> {
  const requests: { method: string; connection: number; answered: boolean }[] = [];
  const perConnection = new WeakMap<Socket, number>();
  let connections = 0;
  const server = http.createServer((request, response) => {
    const seen = (perConnection.get(request.socket) ?? 0) + 1;
    perConnection.set(request.socket, seen);
    const entry = { method: request.method ?? "", connection: connections, answered: seen === 1 };
    requests.push(entry);
    if (seen > 1) return request.socket.destroy();
    request.resume();
    request.on("end", () => response.end("ok"));
  });
  server.on("connection", () => (connections += 1));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests };
}

async function text(request: OutboundRequest, policy: OutboundPolicy): Promise<string> {
  return (await sendOutboundRequest(request, policy)).body.toString();
}

async function failure(request: OutboundRequest, policy: OutboundPolicy): Promise<OutboundError> {
  try {
    await sendOutboundRequest(request, policy);
  } catch (error) {
    if (error instanceof OutboundError) return error;
    throw error;
  }
  throw new Error("the request succeeded");
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));
const loopback: OutboundPolicy = { allow: parseOutboundAllowList("127.0.0.0/8") };
const resolvesTo =
  (address: string): ResolveHost =>
  async () => [{ address, family: 4 }];

describe("keep-alive in the outbound client", () => {
  it("reuses one TCP connection for sequential requests to the same origin", async () => {
    const server = await startServer("ok");
    for (let i = 0; i < 5; i++)
      expect(await text({ method: i % 2 ? "POST" : "GET", url: server.url(`/${i}`), body: i % 2 ? "x" : undefined }, loopback)).toBe("ok");
    expect(server.requestConnections).toEqual([1, 1, 1, 1, 1]);
    expect(server.connections()).toBe(1);

    // By host name too, resolved (and judged) again for every request.
    const named = await startServer("named");
    let lookups = 0;
    const policy: OutboundPolicy = { ...loopback, resolveHost: async () => (lookups++, [{ address: "127.0.0.1", family: 4 }]) };
    for (let i = 0; i < 3; i++) expect(await text({ url: named.url("/", "service.test") }, policy)).toBe("named");
    expect(lookups).toBe(3);
    expect(named.connections()).toBe(1);
  });

  it("opens a connection per origin: host names sharing an address do not share connections", async () => {
    const server = await startServer("ok");
    const policy: OutboundPolicy = { ...loopback, resolveHost: resolvesTo("127.0.0.1") };
    await text({ url: server.url("/", "alpha.test"), headers: { Authorization: "Bearer alpha" } }, policy);
    await text({ url: server.url("/", "beta.test") }, policy);
    await text({ url: server.url("/") }, policy);
    await text({ url: server.url("/", "alpha.test") }, policy);
    await text({ url: server.url("/", "beta.test") }, policy);
    // alpha.test, beta.test and the literal 127.0.0.1 each got their own connection, then reused it.
    expect(server.requestConnections).toEqual([1, 2, 3, 1, 2]);
    expect(server.connections()).toBe(3);
  });

  it("refuses a host name that rebinds to a blocked address, though a pooled connection to its old address is open", async () => {
    // 127.0.0.2 plays the public address (allow-listed); 127.0.0.1, on the same port, the
    // internal service the attacker's DNS server switches the name to.
    const outside = await startServer("outside", { host: "127.0.0.2" });
    const internal = await startServer("internal", { port: outside.port });
    let answer = "127.0.0.2";
    const policy: OutboundPolicy = { allow: parseOutboundAllowList("127.0.0.2/32"), resolveHost: async () => [{ address: answer, family: 4 }] };
    const url = outside.url("/", "rebind.test");

    expect(await text({ url }, policy)).toBe("outside");
    expect(await text({ url }, policy)).toBe("outside");
    expect(outside.connections()).toBe(1);
    expect(outside.open()).toBe(1); // idle in the pool

    answer = "127.0.0.1";
    for (const method of ["GET", "POST"] as const) {
      const error = await failure({ method, url, body: method === "POST" ? "{}" : undefined }, policy);
      expect(error).toMatchObject({ reason: "blocked_address", detail: { address: "127.0.0.1", range: "loopback" } });
    }
    // Neither the old pooled connection nor a new one carried the refused requests.
    await settle();
    expect(outside.requestConnections).toEqual([1, 1]);
    expect(internal.connections()).toBe(0);

    // A mixed answer is refused as a whole, pool or no pool.
    policy.resolveHost = async () => [
      { address: "127.0.0.2", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ];
    expect(await failure({ url }, policy)).toMatchObject({ reason: "blocked_address" });
    expect(outside.requestConnections).toEqual([1, 1]);
  });

  it("does not send a request to the old address when the name now resolves to another allowed one", async () => {
    const first = await startServer("first", { host: "127.0.0.2" });
    const second = await startServer("second", { host: "127.0.0.3", port: first.port });
    let answer = "127.0.0.2";
    const policy: OutboundPolicy = { ...loopback, resolveHost: async () => [{ address: answer, family: 4 }] };
    const url = first.url("/", "moving.test");
    expect(await text({ url }, policy)).toBe("first");
    answer = "127.0.0.3";
    expect(await text({ url }, policy)).toBe("second");
    answer = "127.0.0.2";
    expect(await text({ url }, policy)).toBe("first");
    expect(first.requestConnections).toEqual([1, 1]);
    expect(second.connections()).toBe(1);
  });

  it("closes idle connections after the idle timeout and recovers when the server closes one", async () => {
    const server = await startServer("ok");
    await text({ url: server.url() }, loopback);
    expect(server.open()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, IDLE_TIMEOUT_MS + 500));
    expect(server.open()).toBe(0);

    // The server drops the idle connection itself: the next request opens a new one.
    await text({ url: server.url() }, loopback);
    servers[0]!.closeIdleConnections();
    await settle();
    expect(await text({ url: server.url() }, loopback)).toBe("ok");
    expect(server.connections()).toBe(3);
  });

  it("sends an idempotent request once more on a new connection when a pooled one was cut, and never a POST", async () => {
    const server = await startOneShotServer();
    expect(await text({ url: server.url }, loopback)).toBe("ok");
    // The pooled connection is cut when reused: the GET goes again, on a new connection.
    expect(await text({ url: server.url }, loopback)).toBe("ok");
    expect(server.requests).toEqual([
      { method: "GET", connection: 1, answered: true },
      { method: "GET", connection: 1, answered: false },
      { method: "GET", connection: 2, answered: true },
    ]);

    // A POST is not repeated: the server may have acted on it. (The retry's connection was
    // a one-off; a GET puts a connection in the pool first.)
    expect(await text({ url: server.url }, loopback)).toBe("ok");
    const error = await failure({ method: "POST", url: server.url, body: "charge" }, loopback);
    expect(error).toMatchObject({ name: "OutboundNetworkError", code: "ECONNRESET" });
    expect(server.requests.slice(3)).toEqual([
      { method: "GET", connection: 3, answered: true },
      { method: "POST", connection: 3, answered: false },
    ]);
  });
});
