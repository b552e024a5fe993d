// The guarded outbound client against real loopback servers: blocks happen before a
// connection reaches the server (the servers count connections), the allow-list opens
// exactly what it names, redirects are re-judged hop by hop, and the deadline and
// size cap stop a hostile server.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { ResolveHost } from "@/lib/http/guarded-lookup";
import { parseOutboundAllowList } from "@/lib/http/outbound-allow-list";
import { OutboundBlockedError, OutboundError, OutboundResponseTooLargeError, OutboundTimeoutError } from "@/lib/http/outbound-errors";
import { sendOutboundRequest, type OutboundPolicy, type OutboundRequest } from "@/lib/http/outbound-request";

type SeenRequest = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
type TestServer = {
  port: number;
  /** http://<host>:<port><path>; the host defaults to the address listened on. */
  url: (path?: string, host?: string) => string;
  connections: () => number;
  requests: SeenRequest[];
};

const servers: http.Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function startServer(
  handler: (request: http.IncomingMessage, response: http.ServerResponse, seen: SeenRequest) => void,
  options: { host?: string; port?: number } = {},
): Promise<TestServer> {
  const host = options.host ?? "127.0.0.1";
  const requests: SeenRequest[] = [];
  let connections = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const seen = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString() };
      requests.push(seen);
      handler(request, response, seen);
    });
  });
  server.on("connection", () => (connections += 1));
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (path = "/", urlHost = host) => `http://${urlHost.includes(":") ? `[${urlHost}]` : urlHost}:${port}${path}`,
    connections: () => connections,
    requests,
  };
}

/** Lets a connection that should not exist arrive before its absence is asserted. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

async function failure(request: OutboundRequest, policy: OutboundPolicy): Promise<OutboundError> {
  try {
    await sendOutboundRequest(request, policy);
  } catch (error) {
    if (error instanceof OutboundError) return error;
    throw error;
  }
  throw new Error("the request succeeded");
}

const reply =
  (body = "ok") =>
  (_request: http.IncomingMessage, response: http.ServerResponse) =>
    response.end(body);
const loopback: OutboundPolicy = { allow: parseOutboundAllowList("127.0.0.1/32,::1/128") };

describe("outbound requests to a loopback server", () => {
  it("(1) are blocked without an allow-list, before any connection", async () => {
    const server = await startServer(reply());
    const urls = [
      server.url(),
      server.url("/", "localhost"), // judged in the socket's lookup hook
      server.url("/", "localhost").replace("http:", "https:"), // the TLS socket uses the same hook
      server.url("/", "2130706433"),
      server.url("/", "0x7f.1"),
    ];
    for (const url of urls) {
      const error = await failure({ url }, {});
      expect(error).toBeInstanceOf(OutboundBlockedError);
      expect(error).toMatchObject({ reason: "blocked_address", detail: { address: "127.0.0.1", range: "loopback" } });
      expect(error.message).toContain(`:${server.port}`);
    }
    await settle();
    expect(server.connections()).toBe(0);
  });

  it("(2) succeed with 127.0.0.1/32 allowed, returning status, headers and body", async () => {
    const server = await startServer((_request, response) => {
      response.setHeader("X-Answer", "42");
      response.setHeader("Set-Cookie", ["a=1", "b=2"]);
      response.writeHead(201, { "Content-Type": "text/plain" }).end("created: hello");
    });
    const result = await sendOutboundRequest(
      { method: "POST", url: server.url("/things?page=2"), headers: { "Content-Type": "application/json", "X-Trace": "t-1" }, body: '{"a":1}' },
      loopback,
    );
    expect(result.status).toBe(201);
    expect(result.headers["x-answer"]).toBe("42");
    expect(result.headers["content-type"]).toBe("text/plain");
    expect(result.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(result.body.toString()).toBe("created: hello");
    expect(result.url).toBe(server.url("/things?page=2"));
    expect(result.redirects).toBe(0);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({
      method: "POST",
      url: "/things?page=2",
      body: '{"a":1}',
      headers: { "content-type": "application/json", "x-trace": "t-1", "content-length": "7" },
    });
  });
});

describe("redirects", () => {
  const chain = (request: http.IncomingMessage, response: http.ServerResponse) => {
    const hop = Number(/^\/hop\/(\d+)$/.exec(request.url ?? "")?.[1] ?? 0);
    if (hop > 0) response.writeHead(302, { Location: `/hop/${hop - 1}` }).end();
    else response.end("arrived");
  };

  it("(3) follows five and refuses the sixth", async () => {
    const server = await startServer(chain);
    const five = await sendOutboundRequest({ url: server.url("/hop/5") }, loopback);
    expect(five).toMatchObject({ status: 200, redirects: 5, url: server.url("/hop/0") });
    expect(five.body.toString()).toBe("arrived");

    server.requests.length = 0;
    const six = await failure({ url: server.url("/hop/6") }, loopback);
    expect(six).toBeInstanceOf(OutboundBlockedError);
    expect(six).toMatchObject({ reason: "too_many_redirects", redirects: 5 });
    // /hop/6 to /hop/1 were asked; the sixth redirect (to /hop/0) was not followed.
    expect(server.requests.map((r) => r.url)).toEqual(["/hop/6", "/hop/5", "/hop/4", "/hop/3", "/hop/2", "/hop/1"]);
  });

  it("(4) drop credentials on a redirect to another origin and keep them on the same origin", async () => {
    const other = await startServer(reply("landed"));
    const first = await startServer((request, response) => {
      if (request.url === "/elsewhere") response.writeHead(307, { Location: other.url("/landing?x=1", "localhost") }).end();
      else if (request.url === "/same") response.writeHead(308, { Location: "/echo" }).end();
      else if (request.url === "/see-other") response.writeHead(303, { Location: "/echo" }).end();
      else if (request.url === "/found") response.writeHead(302, { Location: "/echo" }).end();
      else response.end("echo");
    });
    const request: OutboundRequest = {
      method: "POST",
      headers: {
        Authorization: "Bearer s3cret",
        Cookie: "session=abc",
        "Proxy-Authorization": "Basic eDp5",
        "X-Api-Key": "k-123",
        "X-Trace": "t-9",
        "Content-Type": "text/plain",
      },
      credentialHeaders: ["x-api-key"],
      body: "payload",
      url: first.url("/elsewhere"),
    };

    const crossed = await sendOutboundRequest(request, loopback);
    expect(crossed).toMatchObject({ status: 200, redirects: 1, url: other.url("/landing?x=1", "localhost") });
    expect(other.requests).toHaveLength(1);
    const landed = other.requests[0]!;
    for (const name of ["authorization", "cookie", "proxy-authorization", "x-api-key"]) expect(landed.headers[name]).toBeUndefined();
    // A 307 to another origin sends neither the body (a token call's holds the client
    // secret) nor the headers describing it: it becomes a GET; harmless headers go along.
    expect(landed).toMatchObject({ method: "GET", body: "", headers: { "x-trace": "t-9" } });
    expect(landed.headers["content-type"]).toBeUndefined();

    await sendOutboundRequest({ ...request, url: first.url("/same") }, loopback);
    const same = first.requests.at(-1)!;
    expect(same).toMatchObject({ method: "POST", body: "payload" });
    expect(same.headers).toMatchObject({ authorization: "Bearer s3cret", cookie: "session=abc", "x-api-key": "k-123" });

    // 303, and 302 after a POST, become a GET without the body and the headers describing it.
    for (const path of ["/see-other", "/found"]) {
      await sendOutboundRequest({ ...request, url: first.url(path) }, loopback);
      const got = first.requests.at(-1)!;
      expect(got).toMatchObject({ method: "GET", url: "/echo", body: "" });
      expect(got.headers["content-type"]).toBeUndefined();
      expect(got.headers["content-length"]).toBeUndefined();
      expect(got.headers.authorization).toBe("Bearer s3cret");
    }
  });

  it("(5) re-judge every hop: an allowed host cannot redirect to a blocked address", async () => {
    const internal = await startServer(reply("internal"), { host: "127.0.0.2" });
    const allowed = await startServer((request, response) => {
      if (request.url === "/to-internal") response.writeHead(302, { Location: internal.url("/admin") }).end();
      else if (request.url === "/to-private") response.writeHead(301, { Location: "http://10.0.0.1/" }).end();
      else if (request.url === "/to-metadata") response.writeHead(302, { Location: "http://169.254.169.254/latest/meta-data/" }).end();
      else if (request.url === "/to-file") response.writeHead(302, { Location: "file:///etc/passwd" }).end();
      else response.end("allowed");
    });
    const byName: OutboundPolicy = { allow: parseOutboundAllowList("localhost") };

    const direct = await sendOutboundRequest({ url: allowed.url("/", "localhost") }, byName);
    expect(direct.body.toString()).toBe("allowed");
    // The host entry covers the name, not the address behind it.
    expect(await failure({ url: allowed.url("/") }, byName)).toMatchObject({ reason: "blocked_address" });

    const toInternal = await failure({ url: allowed.url("/to-internal", "localhost") }, byName);
    expect(toInternal).toMatchObject({
      reason: "blocked_address",
      redirects: 0,
      origin: `http://127.0.0.2:${internal.port}`,
      detail: { address: "127.0.0.2", range: "loopback" },
    });
    expect(await failure({ url: allowed.url("/to-private", "localhost") }, byName)).toMatchObject({
      reason: "blocked_address",
      detail: { address: "10.0.0.1", range: "private" },
    });
    expect(await failure({ url: allowed.url("/to-metadata", "localhost") }, byName)).toMatchObject({
      reason: "blocked_address",
      detail: { range: "cloudMetadata" },
    });
    expect(await failure({ url: allowed.url("/to-file", "localhost") }, byName)).toMatchObject({ reason: "scheme" });
    await settle();
    expect(internal.connections()).toBe(0);
  });
});

describe("DNS rebinding", () => {
  it("(6) refuses a host when any address it resolves to is blocked", async () => {
    const internal = await startServer(reply("internal"));
    const asked: string[] = [];
    const resolveHost: ResolveHost = async (hostname) => {
      asked.push(hostname);
      return [
        { address: "93.184.215.14", family: 4 },
        { address: "127.0.0.1", family: 4 },
      ];
    };
    const error = await failure({ url: internal.url("/", "rebind.test") }, { resolveHost });
    expect(error).toMatchObject({ reason: "blocked_address", detail: { address: "127.0.0.1", range: "loopback" } });
    expect(error.origin).toBe(`http://rebind.test:${internal.port}`);
    expect(asked).toEqual(["rebind.test"]);
    await settle();
    expect(internal.connections()).toBe(0);
  });

  it("(6) judges the very answer the socket connects to, once per connection", async () => {
    // 127.0.0.2 stands in for a public address (it is allow-listed); 127.0.0.1 is the
    // internal service on the same port that a rebinding DNS server switches to.
    const outside = await startServer(reply("outside"), { host: "127.0.0.2" });
    const internal = await startServer(reply("internal"), { port: outside.port });
    let calls = 0;
    const resolveHost: ResolveHost = async () => {
      calls += 1;
      return [{ address: calls === 1 ? "127.0.0.2" : "127.0.0.1", family: 4 }];
    };
    const policy: OutboundPolicy = { allow: parseOutboundAllowList("127.0.0.2/32"), resolveHost };
    const url = outside.url("/", "rebind.test");

    // A check-then-connect client would resolve twice here and land on the internal server.
    const first = await sendOutboundRequest({ url }, policy);
    expect(first.body.toString()).toBe("outside");
    expect(calls).toBe(1);

    // The next connection resolves again, and the new answer is judged again.
    expect(await failure({ url }, policy)).toMatchObject({ reason: "blocked_address", detail: { address: "127.0.0.1" } });
    expect(calls).toBe(2);

    // An allowed first answer does not excuse a blocked second one.
    const mixed: ResolveHost = async () => [
      { address: "127.0.0.2", family: 4 },
      { address: "127.0.0.1", family: 4 },
    ];
    expect(await failure({ url }, { ...policy, resolveHost: mixed })).toMatchObject({ reason: "blocked_address" });
    await settle();
    expect(internal.connections()).toBe(0);
    expect(outside.connections()).toBe(1);
  });
});

describe("limits", () => {
  it("(7) stop reading a response larger than the cap", async () => {
    const endless = await startServer((_request, response) => {
      const chunk = Buffer.alloc(64 * 1024, 97);
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once("drain", pump);
      };
      pump();
    });
    const started = Date.now();
    const error = await failure({ url: endless.url(), maxResponseBytes: 100_000, timeoutMs: 20_000 }, loopback);
    expect(error).toBeInstanceOf(OutboundResponseTooLargeError);
    expect(error).toMatchObject({ maxResponseBytes: 100_000 });
    expect(error.message).toMatch(/exceeded the 100000-byte limit/);
    expect(Date.now() - started).toBeLessThan(10_000);

    const declared = await startServer(reply("x".repeat(2_000)));
    expect(await failure({ url: declared.url(), maxResponseBytes: 1_999 }, loopback)).toBeInstanceOf(OutboundResponseTooLargeError);
    const exact = await sendOutboundRequest({ url: declared.url(), maxResponseBytes: 2_000 }, loopback);
    expect(exact.body.length).toBe(2_000);
  });

  it("(8) time out against a server that never answers", async () => {
    const silent = await startServer(() => undefined);
    const started = Date.now();
    const error = await failure({ url: silent.url(), timeoutMs: 300 }, loopback);
    expect(error).toBeInstanceOf(OutboundTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(silent.connections()).toBe(1);

    // The policy's default applies when the request sets none.
    expect(await failure({ url: silent.url() }, { ...loopback, timeoutMs: 200 })).toMatchObject({ timeoutMs: 200 });
    await expect(sendOutboundRequest({ url: silent.url(), timeoutMs: 300_001 }, loopback)).rejects.toThrow(RangeError);

    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("cancelled by the caller")), 100);
    await expect(sendOutboundRequest({ url: silent.url(), signal: controller.signal }, loopback)).rejects.toThrow("cancelled by the caller");
  });

  it("(9) refuse CR, LF and NUL in headers before connecting", async () => {
    const server = await startServer(reply());
    const attempts: Record<string, string>[] = [
      { "X-Note": "a\r\nX-Injected: 1" },
      { "X-Note": "a\nb" },
      { "X-Note": "a\0b" },
      { "X-Note\r\nX-Injected": "1" },
    ];
    for (const headers of attempts) {
      const error = await failure({ url: server.url(), headers }, loopback);
      expect(error).toMatchObject({ reason: "header_injection" });
      expect(error.message).not.toContain("Injected");
    }
    expect(await failure({ url: server.url(), headers: { Host: "evil.example" } }, loopback)).toMatchObject({ reason: "invalid_header" });
    expect(await failure({ url: server.url(), headers: { "Transfer-Encoding": "chunked" } }, loopback)).toMatchObject({
      reason: "invalid_header",
    });
    await settle();
    expect(server.connections()).toBe(0);
    expect(server.requests).toHaveLength(0);
  });

  it("(10) block IPv4-mapped and IPv6 loopback literals", async () => {
    const server = await startServer(reply());
    const mapped = await failure({ url: server.url("/", "::ffff:127.0.0.1") }, {});
    expect(mapped).toMatchObject({ reason: "blocked_address", detail: { address: "127.0.0.1", range: "loopback" } });
    expect(await failure({ url: server.url("/", "::1") }, {})).toMatchObject({ detail: { address: "::1", range: "loopback" } });
    expect(await failure({ url: server.url("/", "::127.0.0.1") }, {})).toMatchObject({ detail: { range: "ipv4Compatible" } });
    await settle();
    expect(server.connections()).toBe(0);
  });
});
