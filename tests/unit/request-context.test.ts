import { describe, expect, it } from "vitest";
import { clientIpFor, httpsRedirectLocation, pathForLog, requestIdFor } from "@/lib/web/request-context";

const prodBehindProxy = { isProduction: true, trustProxy: true, host: "flows.example.com", url: "/a?b=1" };

describe("httpsRedirectLocation", () => {
  it("sends a request that a trusted proxy marks as http to https, path and query kept", () => {
    expect(httpsRedirectLocation({ ...prodBehindProxy, forwardedProto: "http" })).toBe("https://flows.example.com/a?b=1");
    expect(httpsRedirectLocation({ ...prodBehindProxy, forwardedProto: "http, https" })).toBe("https://flows.example.com/a?b=1");
  });

  it("leaves https, untrusted proxies and development alone", () => {
    expect(httpsRedirectLocation({ ...prodBehindProxy, forwardedProto: "https" })).toBeNull();
    expect(httpsRedirectLocation({ ...prodBehindProxy, trustProxy: false, forwardedProto: "http" })).toBeNull();
    expect(httpsRedirectLocation({ ...prodBehindProxy, isProduction: false, forwardedProto: "http" })).toBeNull();
    expect(httpsRedirectLocation({ ...prodBehindProxy, forwardedProto: undefined })).toBeNull();
  });

  it("never builds an open redirect from a forged Host or a scheme-relative path", () => {
    expect(httpsRedirectLocation({ ...prodBehindProxy, forwardedProto: "http", host: "evil.com/x" })).toBeNull();
    expect(httpsRedirectLocation({ ...prodBehindProxy, forwardedProto: "http", url: "//evil.com/" })).toBe("https://flows.example.com/");
  });
});

describe("requestIdFor", () => {
  it("keeps a trusted proxy's id and makes a new one otherwise", () => {
    expect(requestIdFor("proxy-id-12345", true)).toBe("proxy-id-12345");
    expect(requestIdFor("proxy-id-12345", false)).not.toBe("proxy-id-12345");
    expect(requestIdFor("bad id\nwith newline", true)).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("pathForLog", () => {
  it("drops the query string, where tokens travel", () => {
    expect(pathForLog("/api/hooks/x?token=s3cr3t")).toBe("/api/hooks/x");
    expect(pathForLog(undefined)).toBe("/");
  });
});

describe("clientIpFor", () => {
  it("uses the socket peer unless a proxy is trusted", () => {
    expect(clientIpFor({ trustProxy: false, forwardedFor: "1.2.3.4", remoteAddress: "::ffff:10.0.0.9" })).toBe("10.0.0.9");
  });

  it("behind a trusted proxy takes the address the proxy saw, not a forged left-most one", () => {
    expect(clientIpFor({ trustProxy: true, forwardedFor: "6.6.6.6, 203.0.113.7", remoteAddress: "10.0.0.1" })).toBe("203.0.113.7");
    expect(clientIpFor({ trustProxy: true, forwardedFor: "not-an-ip", remoteAddress: "10.0.0.1" })).toBe("10.0.0.1");
    expect(clientIpFor({ trustProxy: true, forwardedFor: undefined, remoteAddress: "::1" })).toBe("::1");
  });
});

describe("webhook tokens in the access log", () => {
  it("keeps only the last 4 characters of a webhook token", () => {
    const token = "q8Zt3kP0xV7mN2rL5sW9yB4cD6fH1jK0aE8gU3iO7pQ";
    expect(pathForLog(`/api/webhooks/${token}?x=1`)).toBe(`/api/webhooks/…${token.slice(-4)}`);
    expect(pathForLog(`/api/webhooks/${token}`)).not.toContain(token.slice(0, 8));
    expect(pathForLog("/api/projects/abc")).toBe("/api/projects/abc");
  });
});
