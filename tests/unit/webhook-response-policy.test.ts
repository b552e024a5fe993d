// What a flow may answer a webhook call with, and how every answer is served (issue 13,
// item 4). The route serves exactly what webhookHttpResponse builds.
import { describe, expect, it } from "vitest";
import { configErrors } from "@/lib/editor/field-schemas";
import { isInlineAnswerType, respondHeaderProblem, respondStatusProblem, webhookHttpResponse } from "@/lib/webhooks/webhook-response-policy";

const SANDBOX = "sandbox; default-src 'none'";

describe("the headers a Respond step may set", () => {
  it("allows content headers, validators, Retry-After and the flow's own X- headers", () => {
    const allowed: [string, string][] = [
      ["Content-Type", "application/json; charset=utf-8"],
      ["content-disposition", 'attachment; filename="report.csv"'],
      ["Content-Language", "en"],
      ["ETag", '"v1"'],
      ["Last-Modified", "Sun, 06 Dec 2026 10:00:00 GMT"],
      ["Retry-After", "30"],
      ["X-Request-Status", "done"],
    ];
    expect(allowed.map(([name, value]) => respondHeaderProblem(name, value))).toEqual(allowed.map(() => null));
  });

  it("refuses redirects, cookies, CORS, policies, caching switches and anything unknown, naming the header", () => {
    const refused = [
      "Location",
      "Set-Cookie",
      "Refresh",
      "Link",
      "Access-Control-Allow-Origin",
      "Access-Control-Allow-Credentials",
      "Content-Security-Policy",
      "Content-Security-Policy-Report-Only",
      "Strict-Transport-Security",
      "WWW-Authenticate",
      "Clear-Site-Data",
      "Alt-Svc",
      "Cross-Origin-Resource-Policy",
      "Cache-Control",
      "Content-Encoding",
      "Content-Length",
      "Transfer-Encoding",
      "Connection",
      "Server",
    ];
    for (const name of refused) expect(respondHeaderProblem(name, "x")).toMatch(new RegExp(`^The response header "${name}" cannot be set`));
  });

  it("refuses the X- headers servers, proxies and browsers act on, and Vaultflow's own", () => {
    for (const name of [
      "X-Accel-Redirect",
      "X-Sendfile",
      "X-Middleware-Rewrite",
      "X-Frame-Options",
      "X-Content-Type-Options",
      "X-Vaultflow-Run-Id",
      "X-Forwarded-Host",
      "X-UA-Compatible",
    ]) {
      expect([name, respondHeaderProblem(name, "x")]).toEqual([name, expect.stringContaining("cannot be set")]);
    }
  });

  it("marks a forbidden header name a validation problem in the editor (and so at publishing)", () => {
    const errors = configErrors("step.respond", {
      status: 200,
      headers: [
        { name: "X-Ok", value: "1" },
        { name: "Set-Cookie", value: "a=1" },
      ],
      body: "",
    });
    expect([...errors]).toEqual([["headers.1.name", expect.stringMatching(/^The response header "Set-Cookie" cannot be set: a flow may set Content-Type/)]]);
  });

  it("refuses an inline Content-Disposition, a malformed Content-Type and header injection", () => {
    expect(respondHeaderProblem("Content-Disposition", "inline")).toMatch(/must start with "attachment"/);
    expect(respondHeaderProblem("Content-Type", "text/html, application/json")).toMatch(/one media type/);
    expect(respondHeaderProblem("X-Note", "a\r\nSet-Cookie: x=1")).toMatch(/cannot be set/);
    expect(respondHeaderProblem("X Note", "a")).toMatch(/cannot be set/);
  });
});

describe("the status a Respond step may answer with", () => {
  it("refuses every 3xx and anything outside 200-599, at run time and in the editor", () => {
    expect([200, 201, 204, 299, 400, 404, 429, 500, 599].map(respondStatusProblem)).toEqual(Array(9).fill(null));
    for (const status of [300, 301, 302, 303, 307, 308, 399]) expect(respondStatusProblem(status)).toMatch(/cannot redirect/);
    for (const status of [100, 199, 600, 200.5]) expect(respondStatusProblem(status)).toMatch(/from 200 to 599/);
    expect(configErrors("step.respond", { status: 301, headers: [], body: "" }).get("status")).toMatch(/cannot redirect/);
  });
});

describe("serving a webhook answer", () => {
  it("sends JSON and plain text inline; anything else only as a download", () => {
    expect(["application/json", "application/problem+json; charset=utf-8", "text/plain;charset=UTF-8"].every(isInlineAnswerType)).toBe(true);
    expect(
      ["text/html", "image/svg+xml", "application/xml", "text/xml", "application/javascript", "text/csv", ""].some((type) => isInlineAnswerType(type)),
    ).toBe(false);
  });

  it("serves HTML as a sandboxed, never-sniffed attachment, and keeps a flow's own filename", async () => {
    const html = webhookHttpResponse({ status: 200, body: null, raw: "<h1>Sign in</h1>", headers: { "content-type": "text/html" } });
    expect(Object.fromEntries(html.headers)).toMatchObject({
      "content-type": "text/html",
      "content-disposition": "attachment",
      "content-security-policy": SANDBOX,
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    });
    expect(await html.text()).toBe("<h1>Sign in</h1>");
    const csv = webhookHttpResponse({
      status: 200,
      body: null,
      raw: "a,b",
      headers: { "content-type": "text/csv", "content-disposition": 'attachment; filename="a.csv"' },
    });
    expect(csv.headers.get("content-disposition")).toBe('attachment; filename="a.csv"');
  });

  it("leaves out a stored answer's refused headers and never sends a stored 3xx", async () => {
    const stored = webhookHttpResponse({
      status: 200,
      body: null,
      raw: "ok",
      headers: { location: "https://phishing.example", "set-cookie": "a=1", "x-ok": "1", "x-vaultflow-run-id": "run-1" },
    });
    expect([stored.headers.get("location"), stored.headers.get("set-cookie"), stored.headers.get("x-ok"), stored.headers.get("x-vaultflow-run-id")]).toEqual([
      null,
      null,
      "1",
      "run-1",
    ]);
    const redirect = webhookHttpResponse({ status: 302, body: null, raw: "", headers: { location: "https://phishing.example" } });
    expect([redirect.status, redirect.headers.get("location"), redirect.headers.get("content-security-policy")]).toEqual([502, null, SANDBOX]);
    expect(await redirect.json()).toEqual({ error: expect.stringMatching(/status is not allowed/) });
  });

  it("gives Vaultflow's own answers the same headers, 405's Allow included, and no body where HTTP forbids one", async () => {
    const refused = webhookHttpResponse({ status: 405, body: { error: "This webhook accepts POST only." }, headers: { allow: "POST" } });
    expect(Object.fromEntries(refused.headers)).toMatchObject({
      allow: "POST",
      "content-type": "application/json",
      "content-security-policy": SANDBOX,
      "x-content-type-options": "nosniff",
    });
    expect(refused.headers.get("content-disposition")).toBeNull();
    const empty = webhookHttpResponse({ status: 204, body: null, raw: "ignored" });
    expect([empty.status, await empty.text(), empty.headers.get("content-security-policy")]).toEqual([204, "", SANDBOX]);
  });
});
