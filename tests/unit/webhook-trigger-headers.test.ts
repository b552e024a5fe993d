// The one rule for which request headers a webhook trigger's payload keeps (issue 13,
// item 1): whatever a browser, a proxy or Vaultflow adds for the caller stays out.
import { describe, expect, it } from "vitest";
import { isTriggerHeaderKept, triggerHeadersOf } from "@/lib/webhooks/trigger-headers";

describe("trigger payload headers", () => {
  it("drops the app's cookies and every credential header, whatever their case", () => {
    const kept = triggerHeadersOf(
      new Headers({
        Cookie: "next-auth.session-token=abc",
        AUTHORIZATION: "Bearer x",
        "Proxy-Authorization": "Basic eA==",
        "content-type": "application/json",
      }),
    );
    expect(kept).toEqual({ "content-type": "application/json" });
  });

  it("drops what server.ts adds to every request (request id, client address, CSP nonce)", () => {
    for (const name of ["x-request-id", "x-vaultflow-client-ip", "x-nonce", "content-security-policy"]) {
      expect([name, isTriggerHeaderKept(name)]).toEqual([name, false]);
    }
  });

  it("drops the forwarded-for chain and the proxies' client-address headers", () => {
    for (const name of [
      "x-forwarded-for",
      "X-Forwarded-Host",
      "x-forwarded-proto",
      "x-forwarded-port",
      "forwarded",
      "x-real-ip",
      "via",
      "cf-connecting-ip",
      "true-client-ip",
    ]) {
      expect([name, isTriggerHeaderKept(name)]).toEqual([name, false]);
    }
  });

  it("drops hop-by-hop headers, those the Connection header names included", () => {
    const kept = triggerHeadersOf(
      new Headers({ connection: "keep-alive, X-Trace-Hop", "keep-alive": "timeout=5", "x-trace-hop": "1", te: "trailers", upgrade: "h2c", "x-other": "2" }),
    );
    expect(kept).toEqual({ "x-other": "2" });
  });

  it("drops Next.js's internal request headers", () => {
    expect(["x-middleware-subrequest", "x-invoke-path", "x-nextjs-data", "next-router-state-tree"].filter((name) => isTriggerHeaderKept(name))).toEqual([]);
  });

  it("keeps what a caller means to send: content type, user agent, integration headers, its signature", () => {
    const sent = {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/abc",
      "x-github-event": "push",
      "x-hub-signature-256": "sha256=00",
      "x-vaultflow-signature": "00",
      "idempotency-key": "k-1",
      accept: "*/*",
      host: "hooks.example.com",
    };
    expect(triggerHeadersOf(new Headers(sent))).toEqual(sent);
  });
});
