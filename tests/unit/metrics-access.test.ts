import { describe, expect, it } from "vitest";
import { isLoopbackAddress, metricsAccessFor } from "@/lib/metrics/metrics-access";

const TOKEN = "m".repeat(40);

describe("metricsAccessFor", () => {
  it("with METRICS_TOKEN: only the exact bearer token, from anywhere", () => {
    const remote = { socketIp: "203.0.113.9", clientIp: "203.0.113.9" };
    expect(metricsAccessFor({ token: TOKEN, authorization: `Bearer ${TOKEN}`, ...remote })).toBe("allowed");
    expect(metricsAccessFor({ token: TOKEN, authorization: `bearer ${TOKEN}`, ...remote })).toBe("allowed");
    expect(metricsAccessFor({ token: TOKEN, authorization: null, ...remote })).toBe("unauthorized");
    expect(metricsAccessFor({ token: TOKEN, authorization: `Bearer ${TOKEN}x`, ...remote })).toBe("unauthorized");
    expect(metricsAccessFor({ token: TOKEN, authorization: `Bearer ${TOKEN.slice(1)}`, ...remote })).toBe("unauthorized");
    expect(metricsAccessFor({ token: TOKEN, authorization: `Basic ${TOKEN}`, ...remote })).toBe("unauthorized");
    // Loopback is no way around a configured token.
    expect(metricsAccessFor({ token: TOKEN, authorization: null, socketIp: "127.0.0.1", clientIp: "127.0.0.1" })).toBe("unauthorized");
  });

  it("without METRICS_TOKEN: loopback socket and loopback client only, else not found", () => {
    expect(metricsAccessFor({ token: undefined, authorization: null, socketIp: "127.0.0.1", clientIp: "127.0.0.1" })).toBe("allowed");
    expect(metricsAccessFor({ token: undefined, authorization: null, socketIp: "::1", clientIp: "::ffff:127.0.0.1" })).toBe("allowed");
    expect(metricsAccessFor({ token: undefined, authorization: null, socketIp: "10.0.0.5", clientIp: "10.0.0.5" })).toBe("not-found");
    // A local proxy forwarding an outside client (TRUST_PROXY): the client is not local.
    expect(metricsAccessFor({ token: undefined, authorization: null, socketIp: "127.0.0.1", clientIp: "198.51.100.7" })).toBe("not-found");
    // A forged X-Forwarded-For: 127.0.0.1 from outside: the socket is not local.
    expect(metricsAccessFor({ token: undefined, authorization: null, socketIp: "198.51.100.7", clientIp: "127.0.0.1" })).toBe("not-found");
    expect(metricsAccessFor({ token: undefined, authorization: null, socketIp: null, clientIp: "127.0.0.1" })).toBe("not-found");
    expect(metricsAccessFor({ token: undefined, authorization: `Bearer ${TOKEN}`, socketIp: "10.0.0.5", clientIp: "10.0.0.5" })).toBe("not-found");
  });

  it("isLoopbackAddress", () => {
    expect(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"].every(isLoopbackAddress)).toBe(true);
    expect(["", "unknown", "127.0.0.1.evil.com", "0.0.0.0", "::", "10.0.0.1", "::ffff:10.0.0.1", "1270.0.0.1"].some(isLoopbackAddress)).toBe(false);
  });
});
