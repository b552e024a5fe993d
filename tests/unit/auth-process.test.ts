import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import {
  answerHeaders,
  authProcessSocket,
  childExecArgv,
  isAuthPath,
  KEEP_ALIVE_TIMEOUT_MS,
  PASS_THROUGH_IDLE_MS,
  passThroughAgent,
  passThroughHeaders,
  PEER_ADDRESS_HEADER,
} from "@/lib/web/auth-process";

describe("isAuthPath", () => {
  it("takes next-auth's routes and nothing else", () => {
    for (const url of ["/api/auth/csrf", "/api/auth/callback/credentials", "/api/auth/session?x=1", "/api/auth/signin/google"])
      expect(isAuthPath(url), url).toBe(true);
    for (const url of [undefined, "/", "/api/auth", "/api/authx/csrf", "/sign-in", "/api/webhooks/abc", "/x/api/auth/csrf"])
      expect(isAuthPath(url), String(url)).toBe(false);
  });
});

describe("authProcessSocket", () => {
  it("finds the socket argument, or nothing in the main process", () => {
    expect(authProcessSocket(["node", "server.ts", "--auth-process=/tmp/vaultflow-auth-x/http.sock"])).toBe("/tmp/vaultflow-auth-x/http.sock");
    expect(authProcessSocket(["node", "server.ts", "--dev"])).toBeUndefined();
  });
});

describe("passThroughHeaders", () => {
  it("replaces a client's own peer address with the TCP peer's, and drops hop-by-hop headers", () => {
    const out = passThroughHeaders(
      {
        host: "flows.example.com",
        cookie: "a=1",
        "x-forwarded-for": "198.51.100.1",
        [PEER_ADDRESS_HEADER]: "203.0.113.9",
        connection: "keep-alive, X-Custom",
        "x-custom": "hop",
        "keep-alive": "timeout=5",
        "transfer-encoding": "chunked",
        upgrade: "websocket",
        "content-type": "application/x-www-form-urlencoded",
      },
      "127.0.0.1",
    );
    expect(out).toEqual({
      host: "flows.example.com",
      cookie: "a=1",
      "x-forwarded-for": "198.51.100.1",
      [PEER_ADDRESS_HEADER]: "127.0.0.1",
      "content-type": "application/x-www-form-urlencoded",
    });
  });

  it("sends an empty peer address when the socket has none (closed), never the client's", () => {
    expect(passThroughHeaders({ [PEER_ADDRESS_HEADER]: "203.0.113.9" }, undefined)).toEqual({ [PEER_ADDRESS_HEADER]: "" });
  });
});

describe("answerHeaders", () => {
  it("keeps every Set-Cookie line and the answer's headers, without hop-by-hop ones", () => {
    const kept = ["Set-Cookie", "a=1; Path=/; HttpOnly", "Set-Cookie", "b=2; Path=/; HttpOnly", "Content-Type", "application/json"];
    const hopByHop = ["Connection", "keep-alive", "Keep-Alive", "timeout=5", "Transfer-Encoding", "chunked"];
    const csp = ["Content-Security-Policy", "default-src 'none'"];
    expect(answerHeaders([...kept, ...hopByHop, ...csp])).toEqual([...kept, ...csp]);
  });
});

describe("childExecArgv", () => {
  it("passes the loader and heap flags on, and keeps debugger and profiler flags to the main process", () => {
    expect(
      childExecArgv([
        "--import",
        "tsx",
        "--max-old-space-size=512",
        "--inspect=0.0.0.0:9229",
        "--cpu-prof",
        "--heap-prof",
        "--prof",
        "--conditions=react-server",
      ]),
    ).toEqual(["--import", "tsx", "--max-old-space-size=512", "--conditions=react-server"]);
  });
});

describe("passThroughAgent", () => {
  it("closes an idle connection itself, before the server would", async () => {
    // Else a request put on a connection the auth process is closing fails with a 503.
    expect(PASS_THROUGH_IDLE_MS).toBeLessThan(KEEP_ALIVE_TIMEOUT_MS);
    const server = http.createServer((_req, res) => res.end("ok"));
    server.keepAliveTimeout = 5_000;
    const openFor = new Promise<number>((resolve) =>
      server.once("connection", (socket) => {
        const opened = Date.now();
        socket.once("close", () => resolve(Date.now() - opened));
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const agent = passThroughAgent(200);
    try {
      const { port } = server.address() as AddressInfo;
      const status = await new Promise<number | undefined>((resolve, reject) => {
        http
          .get({ host: "127.0.0.1", port, path: "/", agent }, (res) => {
            res.resume();
            res.once("end", () => resolve(res.statusCode));
          })
          .once("error", reject);
      });
      expect(status).toBe(200);
      // Closed by the agent after 200 ms idle, not by the server after its 5 s.
      expect(await openFor).toBeLessThan(2_000);
    } finally {
      agent.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
